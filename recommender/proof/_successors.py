"""What one stage step reaches from one state of the walk, memoised on what the step reads.

For a state and a step, the stage's outcomes over its fresh answers (`fold`) are decided
(`transitions`) and turned into the states they reach, less what the state itself adds to each
(its own kept answers, its safety verdict, its weight and example): `Successor`s, which the
walk joins onto each state. States that differ only in what the stage does not read reach the
same successors, so they are built once for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ._fold import StageFolder
from ._plan import StepPlan
from ._step_queries import StepQueries
from ._summary import Summary
from ._transitions import Transitions
from ._walk_types import (
    Finding,
    FindingLog,
    StateData,
    StateKey,
    StepRecord,
    Successor,
    Track,
    TrackState,
    Unit,
)


class StepSuccessors:
    """The successors of states at each step of one walk (see the module docstring)."""

    def __init__(
        self,
        plan: StepPlan,
        tracks: Sequence[Track],
        records: Sequence[StepRecord],
        log: FindingLog,
    ) -> None:
        self.plan = plan
        self.steps = plan.steps
        self.tracks = tuple(tracks)
        self.records = records
        self._log = log
        self.folder = StageFolder(plan, records, log.note)
        self.queries = StepQueries(plan)
        self.transitions = Transitions(plan, self.tracks)
        self._memo: dict[Any, tuple[int, tuple[Successor, ...]]] = {}

    def of(
        self, index: int, key: StateKey, data: StateData
    ) -> tuple[frozenset[str], Sequence[Successor]]:
        """The answers assigned after step `index` from the state `key`, and the states it
        reaches there, less what `key` adds to each (`Successor`), in the order first reached.

        They depend on the state only through the stage's fold, the tracks and the answers
        assigned, so they are memoised on those. The fold's number stands for everything its
        own memo is keyed on, the incoming values the stage may raise (all its decisions read
        of the context) among them. So states that differ only in answers and verdicts the
        stage does not read reach the same successors. A step that noted a gap or an overlap
        is not memoised, so each state meeting it is counted in the finding, as before.
        """
        queries = self.queries
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
        self.folder.groups.example_now = data.example
        combined, fired, number = self.folder.fold(leads, fresh, contexts, needed_all, later)
        for unit, fired_here in zip(units, fired, strict=True):
            for _, step in unit:
                self.records[step].applicable |= fired_here
        memo_key = (index, number, key.tracks, key.assigned)
        found = self._memo.get(memo_key)
        if found is not None:
            self.records[index].classes += found[0]
            return assigned, found[1]
        notes = self._log.noted
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
        if self._log.noted == notes:
            self._memo[memo_key] = (classes, successors)
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
            decision = self.transitions.decide(lead_step, summary, context)
            for _, step in unit:
                record = self.records[step]
                if decision not in record.outcomes:
                    record.outcomes[decision] = {**example, **more}
                record.applicable |= decision.applicable
            if decision.overlap is not None:
                self._log.note(
                    Finding("overlap", decision.overlap, stage.id, None, {**example, **more})
                )
            if decision.gap is not None:
                seen = ", ".join(f"{n} {context[n]}" for n in self.plan.derived_reads[lead_step])
                message = f"{decision.gap}" + (f" (when {seen})" if seen else "")
                self._log.note(Finding("gap", message, stage.id, None, {**example, **more}))
                return None
            for t2, step in unit:
                after[t2] = self.transitions.track_after(t2, step, start, decision)
        return tuple(after)
