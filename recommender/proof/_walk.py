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

The parts: `plan` (what each step reads and hands on, fixed before the walk), `step_queries`
(what a step asks of a state: its units, fresh answers and answers to keep), `components`
and `fold` (a stage's outcomes over its fresh answers), `transitions` (a decision and the
track after it), `floors` (what can no longer change the outcome), `skips` (the skip proof),
`endings` (the end classes), `walk_types` (the state, record and finding types); this module
steps the states through them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..safety.safety_net import join
from ._endings import end_classes
from ._fold import StageFolder
from ._plan import StepPlan
from ._sharding import shard_step, share_of
from ._space import Space
from ._stage_key import stage_key
from ._step_queries import StepQueries
from ._summary import Summary
from ._transitions import Transitions
from ._walk_types import (
    OFFER,
    Finding,
    StateData,
    StateKey,
    StepRecord,
    Successor,
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
        self.shard_step = shard_step(self.plan)
        """The first step walked in shares; every process walks the steps before it whole."""
        self.records = [StepRecord(t, self.plan.stage(i).id) for i, (t, _) in enumerate(self.steps)]
        self.findings: list[Finding] = []
        self._finding_index: dict[tuple[str, str], Finding] = {}
        self._folder = StageFolder(self.plan, self.records, self.note)
        self._queries = StepQueries(self.plan)
        self._transitions = Transitions(self.plan, self.tracks)
        self._notes = 0
        """Findings noted so far, counted: a step that notes one is not memoised."""
        self._successor_memo: dict[Any, tuple[int, tuple[Successor, ...]]] = {}

    def handed_on(self, index: int) -> set[str]:
        """The derived values a stage hands to later stages and to the recommendation checks."""
        return self.plan.keep_derived(index, self.steps[index][0])

    def note(self, finding: Finding) -> None:
        """Record a finding once per (kind, message); later occurrences only count."""
        self._notes += 1
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

        `shard` (number, count) keeps one of `count` shares of the states from the step
        `shard_step` on (`sharding`), so `count` processes can share one walk. What the
        steps before it found is counted by share 0 only.
        """
        start = StateKey((), frozenset(), tuple(TrackState() for _ in self.tracks))
        states: dict[StateKey, StateData] = {start: StateData(1, {})}
        for index in range(len(self.steps)):
            if index == self.shard_step and shard[1] > 1:
                states = share_of(states, shard)
                if shard[0] != 0:
                    for finding in self.findings:
                        finding.count = 0
            states = self._step(index, states)
        for key, data in states.items():
            for terminal in end_classes(self.space, key, data):
                on_terminal(terminal)

    def _step(self, index: int, states: dict[StateKey, StateData]) -> dict[StateKey, StateData]:
        t, k = self.steps[index]
        project = self._queries.project
        merged: dict[StateKey, StateData] = {}
        for key, data in states.items():
            track = key.tracks[t]
            if track.stopped_at is not None or track.done > k:
                self._merge(merged, key, data.weight, data.example)
                continue
            assigned, successors = self._successors(index, key, data)
            for successor in successors:
                # successor.kept holds only fresh answers, never one of key.kept's: the two
                # projections join without overlap.
                kept = project(key.kept, successor.needed, successor.later) + successor.kept
                new_key = StateKey(
                    tuple(sorted(kept)), assigned, successor.tracks, join(key.net, successor.net)
                )
                self._merge(
                    merged, new_key, data.weight * successor.weight, data.example, successor.example
                )
        return merged

    def _successors(
        self, index: int, key: StateKey, data: StateData
    ) -> tuple[frozenset[str], Sequence[Successor]]:
        """The answers assigned after step `index` from the state `key`, and the states it
        reaches there, less what `key` adds to each (`Successor`), in the order first reached.

        They depend on the state only through the stage's fold (by its number), the tracks,
        the answers assigned and the context the decisions read, so they are memoised on
        those: states that differ only in answers and verdicts the stage does not read reach
        the same successors. A step that noted a gap or an overlap is not memoised, so each
        state meeting it is counted in the finding, as before.
        """
        queries = self._queries
        units = queries.units(index, key.tracks)
        leads = tuple(unit[0][1] for unit in units)
        starts = [key.tracks[unit[0][0]] for unit in units]
        contexts = [{**dict(key.kept), **dict(start.derived)} for start in starts]
        ahead = list(key.tracks)
        k = self.steps[index][1]
        for unit in units:
            for t2, _ in unit:
                ahead[t2] = replace(key.tracks[t2], done=k + 1)
        fresh = queries.fresh(index, leads, key.assigned)
        assigned = key.assigned | {name for g in fresh for name in g.fields}
        needed_all, later = queries.keeps(index, ahead, assigned)
        self._folder.groups.example_now = data.example
        combined, fired, number = self._folder.fold(leads, fresh, contexts, needed_all, later)
        for unit, fired_here in zip(units, fired, strict=True):
            for _, step in unit:
                self.records[step].applicable |= fired_here
        raised = tuple(
            self._transitions.raised(lead, context)
            for lead, context in zip(leads, contexts, strict=True)
        )
        memo_key = (index, number, key.tracks, key.assigned, raised)
        found = self._successor_memo.get(memo_key)
        if found is not None:
            self.records[index].classes += found[0]
            return assigned, found[1]
        notes = self._notes
        classes = 0
        reached: dict[tuple[Any, ...], Successor] = {}
        for (summaries, net_new), kepts in combined.items():
            classes += len(kepts)
            first = next(iter(kepts.values())).example
            after = self._apply(units, starts, contexts, summaries, data.example, first, key.tracks)
            if after is None:
                continue  # a gap: no decision, noted
            needed, later_after = queries.keeps(index, after, assigned)
            for kept_new, reaching in kepts.items():
                projected = queries.project(kept_new, needed, later_after)
                successor_key = (after, net_new, projected)
                found_successor = reached.get(successor_key)
                if found_successor is None:
                    reached[successor_key] = Successor(
                        after,
                        net_new,
                        projected,
                        needed,
                        later_after,
                        reaching.weight,
                        reaching.example,
                    )
                else:
                    reached[successor_key] = replace(
                        found_successor, weight=found_successor.weight + reaching.weight
                    )
        self.records[index].classes += classes
        successors = tuple(reached.values())
        if self._notes == notes:
            self._successor_memo[memo_key] = (classes, successors)
        return assigned, successors

    def _apply(
        self,
        units: Sequence[Unit],
        starts: Sequence[TrackState],
        contexts: Sequence[Mapping[str, Any]],
        summaries: Sequence[Summary],
        example: Mapping[str, Any],
        more: Mapping[str, Any],
        tracks: Sequence[TrackState],
    ) -> tuple[TrackState, ...] | None:
        """Each unit's decision applied to its tracks; None if a unit's stage has a gap.

        The example of the outcome is `example` updated by `more`, merged only when a record
        or a finding keeps it: this runs once per state and outcome, millions of times.
        """
        after = list(tracks)
        for unit, start, context, summary in zip(units, starts, contexts, summaries, strict=True):
            lead_track, lead_step = unit[0]
            k = self.steps[lead_step][1]
            stage = self.tracks[lead_track].stages[k].stage
            decision = self._transitions.decide(lead_step, summary, context)
            for _, step in unit:
                record = self.records[step]
                if decision not in record.outcomes:
                    record.outcomes[decision] = {**example, **more}
                record.applicable |= decision.applicable
            if decision.overlap is not None:
                self.note(Finding("overlap", decision.overlap, stage.id, None, {**example, **more}))
            if decision.gap is not None:
                seen = ", ".join(f"{n} {context[n]}" for n in self.plan.derived_reads[lead_step])
                message = f"{decision.gap}" + (f" (when {seen})" if seen else "")
                self.note(Finding("gap", message, stage.id, None, {**example, **more}))
                return None
            for t2, step in unit:
                after[t2] = self._transitions.track_after(t2, step, start, decision)
        return tuple(after)

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
