"""Walk the pipeline over the whole enumerated space, stage by stage, merging what cannot differ.

A state is what the rest of the pipeline can still see: the answers later stages (or the
invariants, or the programme builder) read, the derived values they read, and the cards so far
(as the card that would come first and the bookings). Within a stage, rules are split into
groups that share no newly enumerated answer field; each group's fields are enumerated on
their own and its firings summarised (`summary`), and the group summaries are merged (`fold`).
So a stage reading 25 fields costs the sum, not the product, of its groups' spaces, and the
result is still exact: groups over disjoint fields combine freely, every combination is a real
questionnaire. Weights count the questionnaires each state stands for.

Several rule bases can be walked together over one space (`diff` walks old and new); a rule
base whose gate stopped skips its remaining stages while the others go on. Every rule base
still to run a stage in a state runs it in the same step, over one expansion of the answers it
reads; rule bases with the same stage (`stage_key`) at the same point form one unit, decided
once. So walking two rule bases that differ in one rule costs about one walk, plus the
evaluation of the stages where they differ.

The parts: `plan` (what each step reads and hands on, fixed before the walk), `components`
and `fold` (a stage's outcomes over its fresh answers), `floors` (what can no longer change
the outcome), `skips` (the skip proof), `endings` (the end classes), `walk_types` (the state,
record and finding types); this module steps the states through them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..contract.constants import CRISIS_CARD
from ..safety.safety_net import join, pending_fields
from ._endings import end_classes
from ._fold import StageFolder
from ._plan import StepPlan
from ._space import PROGRAMME_FIELDS, Group, Space
from ._stage_key import stage_key
from ._summary import CardKey, Decision, Summary, min_card, resolve
from ._walk_types import (
    OFFER,
    Finding,
    StateData,
    StateKey,
    StepRecord,
    Terminal,
    Track,
    TrackState,
    Unit,
)

__all__ = [
    "OFFER",
    "Finding",
    "StateData",
    "StateKey",
    "Terminal",
    "Track",
    "TrackState",
    "Walk",
    "stage_key",
]


class Walk:
    """The enumeration of one space over one or more rule bases (see the module docstring)."""

    def __init__(self, space: Space, tracks: Sequence[Track]) -> None:
        self.space = space
        self.tracks = tuple(tracks)
        self.plan = StepPlan(space, self.tracks)
        self.steps = self.plan.steps
        self.records = [StepRecord(t, self.plan.stage(i).id) for i, (t, _) in enumerate(self.steps)]
        self.findings: list[Finding] = []
        self._finding_index: dict[tuple[str, str], Finding] = {}
        self._folder = StageFolder(self.plan, self.records, self.note)
        self._pending_answers: dict[frozenset[str], frozenset[str]] = {}
        self._decisions: dict[Any, Decision] = {}
        # Memos of what depends only on a step and on few parts of a state: the walk asks
        # each question once per state or per outcome, hundreds of thousands of times.
        self._needed_memo: dict[Any, frozenset[str]] = {}
        self._by_stages_memo: dict[Any, frozenset[str]] = {}
        self._fresh_memo: dict[Any, list[Group]] = {}
        self._after_memo: dict[Any, TrackState] = {}
        self._projected: dict[Any, tuple[tuple[str, Any], ...]] = {}

    def handed_on(self, index: int) -> set[str]:
        """The derived values a stage hands to later stages and to the recommendation checks."""
        return self.plan.keep_derived(index, self.steps[index][0])

    def note(self, finding: Finding) -> None:
        """Record a finding once per (kind, message); later occurrences only count."""
        key = (finding.kind, finding.message)
        found = self._finding_index.get(key)
        if found is None:
            self._finding_index[key] = finding
            self.findings.append(finding)
        else:
            found.count += finding.count

    # --- the walk ------------------------------------------------------------------------

    def run(self, on_terminal: Callable[[Terminal], None], shard: tuple[int, int] = (0, 1)) -> None:
        """Walk every stage, then hand each end class to `on_terminal`.

        `shard` (number, count) keeps every count-th state after the first stage, so
        `count` processes can share one walk.
        """
        start = StateKey((), frozenset(), tuple(TrackState() for _ in self.tracks))
        states: dict[StateKey, StateData] = {start: StateData(1, {})}
        for index in range(len(self.steps)):
            states = self._step(index, states)
            if index == 0 and shard[1] > 1:
                ordered = sorted(states.items(), key=lambda item: repr(item[0]))
                states = dict(ordered[shard[0] :: shard[1]])
        for key, data in states.items():
            for terminal in end_classes(self.space, key, data):
                on_terminal(terminal)

    def _needed(
        self, index: int, tracks: Sequence[TrackState], assigned: frozenset[str]
    ) -> frozenset[str]:
        """The answers to keep after a step: for later stages, for the invariants, and for
        safety-table lines still waiting for an answer enumerated later."""
        memo_key = (index, _progress(tracks), assigned)
        found = self._needed_memo.get(memo_key)
        if found is None:
            pending = self._pending_answers.get(assigned)
            if pending is None:
                pending = self._pending_answers[assigned] = pending_fields(assigned)
            found = self._needed_memo[memo_key] = frozenset(
                set(self.space.invariant_fields)
                | self.plan.skip_kept
                | self._needed_by_stages(index, tracks)
                | pending
            )
        return found

    def _pending(self, later: int, tracks: Sequence[TrackState]) -> bool:
        """Whether step `later` still has to run for the state holding `tracks`."""
        t, k = self.steps[later]
        return tracks[t].stopped_at is None and tracks[t].done <= k

    def _units(self, index: int, tracks: Sequence[TrackState]) -> list[Unit]:
        """The rule bases still to run this step's stage in a state, grouped into units."""
        t = self.steps[index][0]
        pending = [(t, index)] + [
            (t2, later) for t2, later in self.plan.same_stage[index] if self._pending(later, tracks)
        ]
        units: list[Unit] = []
        for track, step in pending:
            for unit in units:
                lead_track, lead_step = unit[0]
                if (
                    self.plan.keys[lead_step] == self.plan.keys[step]
                    and tracks[lead_track] == tracks[track]
                ):
                    unit.append((track, step))
                    break
            else:
                units.append([(track, step)])
        return units

    def _decide(self, step: int, summary: Summary, context: Mapping[str, Any]) -> Decision:
        t, k = self.steps[step]
        stage = self.tracks[t].stages[k].stage
        decision_key = (step, summary, tuple(context[name] for name in stage.raises))
        decision = self._decisions.get(decision_key)
        if decision is None:
            decision = resolve(
                self.tracks[t].rulebase, stage, k, summary, context, self.plan.unread_sets
            )
            self._decisions[decision_key] = decision
        return decision

    def _step(self, index: int, states: dict[StateKey, StateData]) -> dict[StateKey, StateData]:
        t, k = self.steps[index]
        record = self.records[index]
        merged: dict[StateKey, StateData] = {}
        for key, data in states.items():
            track = key.tracks[t]
            if track.stopped_at is not None or track.done > k:
                self._merge(merged, key, data.weight, data.example)
                continue
            units = self._units(index, key.tracks)
            leads = tuple(unit[0][1] for unit in units)
            starts = [key.tracks[unit[0][0]] for unit in units]
            contexts = [{**dict(key.kept), **dict(start.derived)} for start in starts]
            ahead = list(key.tracks)
            for unit in units:
                for t2, _ in unit:
                    ahead[t2] = replace(key.tracks[t2], done=k + 1)
            fresh = self._fresh(index, leads, key.assigned)
            assigned = key.assigned | {name for g in fresh for name in g.fields}
            needed_all = self._needed(index, ahead, assigned)
            later = self._needed_by_stages(index, ahead)
            self._folder.example_now = data.example
            combined, fired = self._folder.fold(leads, fresh, contexts, needed_all, later)
            for unit, fired_here in zip(units, fired, strict=True):
                for _, step in unit:
                    self.records[step].applicable |= fired_here
            for (summaries, net_new), kepts in combined.items():
                record.classes += len(kepts)
                first = next(iter(kepts.values())).example
                after = self._apply(
                    units, starts, contexts, summaries, {**data.example, **first}, key.tracks
                )
                if after is None:
                    continue  # a gap: no decision, noted
                needed = self._needed(index, after, assigned)
                later_after = self._needed_by_stages(index, after)
                net = join(key.net, net_new)
                # kept_new holds only fresh answers, never one of key.kept's: the two
                # projections join without overlap.
                base = self._project(key.kept, needed, later_after)
                for kept_new, reached in kepts.items():
                    projected = base + self._project(kept_new, needed, later_after)
                    new_key = StateKey(tuple(sorted(projected)), assigned, after, net)
                    self._merge(
                        merged, new_key, data.weight * reached.weight, data.example, reached.example
                    )
        return merged

    def _fresh(self, index: int, leads: tuple[int, ...], assigned: frozenset[str]) -> list[Group]:
        """The groups the units' stage reads that no earlier step enumerated."""
        memo_key = (index, leads, assigned)
        found = self._fresh_memo.get(memo_key)
        if found is None:
            reads = [name for step in leads for name in self.plan.reads[step]]
            found = self._fresh_memo[memo_key] = [
                g for g in self.space.groups_for(reads) if not set(g.fields) <= assigned
            ]
        return found

    def _apply(
        self,
        units: Sequence[Unit],
        starts: Sequence[TrackState],
        contexts: Sequence[Mapping[str, Any]],
        summaries: Sequence[Summary],
        example: dict[str, Any],
        tracks: Sequence[TrackState],
    ) -> tuple[TrackState, ...] | None:
        """Each unit's decision applied to its tracks; None if a unit's stage has a gap."""
        after = list(tracks)
        for unit, start, context, summary in zip(units, starts, contexts, summaries, strict=True):
            lead_track, lead_step = unit[0]
            k = self.steps[lead_step][1]
            stage = self.tracks[lead_track].stages[k].stage
            decision = self._decide(lead_step, summary, context)
            for _, step in unit:
                self.records[step].outcomes.setdefault(decision, example)
                self.records[step].applicable |= decision.applicable
            if decision.overlap is not None:
                self.note(Finding("overlap", decision.overlap, stage.id, None, example))
            if decision.gap is not None:
                seen = ", ".join(f"{n} {context[n]}" for n in self.plan.derived_reads[lead_step])
                message = f"{decision.gap}" + (f" (when {seen})" if seen else "")
                self.note(Finding("gap", message, stage.id, None, example))
                return None
            for t2, step in unit:
                after[t2] = self._track_after(t2, step, start, decision)
        return tuple(after)

    def _track_after(self, t: int, step: int, start: TrackState, decision: Decision) -> TrackState:
        """Track `t` after step `step` decided `decision` from `start` (memoised: it depends
        on nothing else)."""
        memo_key = (t, step, start, decision)
        found = self._after_memo.get(memo_key)
        if found is not None:
            return found
        k = self.steps[step][1]
        stage = self.tracks[t].stages[k].stage
        derived = dict(start.derived)
        derived.update(decision.derived)
        stopped = any(derived[stop.field] in stop.one_of for stop in stage.stops)
        keep_derived = self.plan.keep_derived(step, t)
        found = self._after_memo[memo_key] = TrackState(
            tuple(sorted((n, v) for n, v in derived.items() if n in keep_derived)),
            self._settle(step, min_card(start.card, decision.card)),
            start.bookings | decision.bookings,
            start.alarm or decision.alarm,
            k if stopped else None,
            k + 1,
        )
        return found

    def _settle(self, index: int, card: CardKey | None) -> CardKey | None:
        """Once no later card can come before it, only whether the first card is the crisis
        card still matters (to the invariants): keep just that, so states merge."""
        if card is None or card.rank < 0:
            return card
        if self.plan.later_rank[index] <= card.rank:
            return card
        crisis = card.card_id == CRISIS_CARD
        return CardKey(-1, 0, 0, 0, 0, CRISIS_CARD if crisis else "")

    def _project(
        self, kept: tuple[tuple[str, Any], ...], needed: frozenset[str], later: frozenset[str]
    ) -> tuple[tuple[str, Any], ...]:
        """The answers still needed; those only the invariants read (not in `later`), cut to
        what they test (memoised: the same answers recur in state after state)."""
        memo_key = (kept, needed, later)
        found = self._projected.get(memo_key)
        if found is None:
            found = self._projected[memo_key] = tuple(
                (n, v if n in later else self.space.invariant_class(n, v))
                for n, v in kept
                if n in needed
            )
        return found

    def _needed_by_stages(self, index: int, tracks: Sequence[TrackState]) -> frozenset[str]:
        """The answers a later stage of a track still to run it reads, and the programme's."""
        memo_key = (index, _progress(tracks))
        found = self._by_stages_memo.get(memo_key)
        if found is None:
            needed = set(PROGRAMME_FIELDS)
            for later in range(index + 1, len(self.steps)):
                if self._pending(later, tracks):
                    needed.update(self.plan.stage_reads[later])
            found = self._by_stages_memo[memo_key] = frozenset(needed)
        return found

    @staticmethod
    def _merge(
        states: dict[StateKey, StateData],
        key: StateKey,
        weight: int,
        example: dict[str, Any],
        more: Mapping[str, Any] | None = None,
    ) -> None:
        """Add `weight` to the state `key`, or make it with `example` (updated by `more`: the
        merged dict is built only for a new state, since the first example is the one kept)."""
        found = states.get(key)
        if found is None:
            states[key] = StateData(weight, example if more is None else {**example, **more})
        else:
            found.weight += weight


def _progress(tracks: Sequence[TrackState]) -> tuple[tuple[int | None, int], ...]:
    """What decides which steps are still to run for each track (`Walk._pending`)."""
    return tuple((track.stopped_at, track.done) for track in tracks)
