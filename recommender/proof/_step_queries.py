"""What a step asks of a state before it folds the stage: which rule bases run it together,
which answers are fresh, and which answers the state must keep afterwards.

Each answer depends only on the step and on a few parts of a state (the tracks' progress,
the answers assigned so far), and the walk asks it hundreds of thousands of times, once per
state or per outcome; so every query is memoised on exactly the parts it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..safety.safety_net import pending_fields
from ._plan import StepPlan
from ._space import PROGRAMME_FIELDS, Group
from ._walk_types import TrackState, Unit

Progress = tuple[tuple[int | None, int], ...]
"""Per track, where its gate stopped (if it did) and how many stages it has applied."""


def progress(tracks: Sequence[TrackState]) -> Progress:
    """What decides which steps are still to run for each track (`StepQueries.pending`)."""
    return tuple((track.stopped_at, track.done) for track in tracks)


class StepQueries:
    """The memoised questions of one walk's steps (see the module docstring)."""

    def __init__(self, plan: StepPlan) -> None:
        self.plan = plan
        self.space = plan.space
        self.steps = plan.steps
        self._pending_answers: dict[frozenset[str], frozenset[str]] = {}
        self._needed: dict[Any, frozenset[str]] = {}
        self._by_stages: dict[Any, frozenset[str]] = {}
        self._fresh: dict[Any, list[Group]] = {}
        self._projected: dict[Any, tuple[tuple[str, Any], ...]] = {}
        self._keeps: dict[Any, tuple[frozenset[str], frozenset[str]]] = {}

    def pending(self, later: int, tracks: Sequence[TrackState]) -> bool:
        """Whether step `later` still has to run for the state holding `tracks`."""
        t, k = self.steps[later]
        return tracks[t].stopped_at is None and tracks[t].done <= k

    def units(self, index: int, tracks: Sequence[TrackState]) -> list[Unit]:
        """The rule bases still to run this step's stage in a state, grouped into units:
        those with the same stage (`stage_key`) from the same track state decide once."""
        t = self.steps[index][0]
        pending = [(t, index)] + [
            (t2, later) for t2, later in self.plan.same_stage[index] if self.pending(later, tracks)
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

    def fresh(self, index: int, leads: tuple[int, ...], assigned: frozenset[str]) -> list[Group]:
        """The groups the units' stage reads that no earlier step enumerated."""
        memo_key = (index, leads, assigned)
        found = self._fresh.get(memo_key)
        if found is None:
            reads = [name for step in leads for name in self.plan.reads[step]]
            found = self._fresh[memo_key] = [
                g for g in self.space.groups_for(reads) if not set(g.fields) <= assigned
            ]
        return found

    def needed(
        self, index: int, tracks: Sequence[TrackState], assigned: frozenset[str]
    ) -> frozenset[str]:
        """The answers to keep after a step: for later stages, for the invariants, and for
        safety-table lines still waiting for an answer enumerated later."""
        memo_key = (index, progress(tracks), assigned)
        found = self._needed.get(memo_key)
        if found is None:
            pending = self._pending_answers.get(assigned)
            if pending is None:
                pending = self._pending_answers[assigned] = pending_fields(assigned)
            found = self._needed[memo_key] = frozenset(
                set(self.space.invariant_fields)
                | self.plan.skip_kept
                | self.needed_by_stages(index, tracks)
                | pending
            )
        return found

    def keeps(
        self, index: int, tracks: Sequence[TrackState], assigned: frozenset[str]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """`needed` and `needed_by_stages` together, from one look at the tracks' progress:
        the walk asks for both once per state and outcome."""
        memo_key = (index, progress(tracks), assigned)
        found = self._keeps.get(memo_key)
        if found is None:
            found = self._keeps[memo_key] = (
                self.needed(index, tracks, assigned),
                self.needed_by_stages(index, tracks),
            )
        return found

    def needed_by_stages(self, index: int, tracks: Sequence[TrackState]) -> frozenset[str]:
        """The answers a later stage of a track still to run it reads, and the programme's."""
        memo_key = (index, progress(tracks))
        found = self._by_stages.get(memo_key)
        if found is None:
            needed = set(PROGRAMME_FIELDS)
            for later in range(index + 1, len(self.steps)):
                if self.pending(later, tracks):
                    needed.update(self.plan.stage_reads[later])
            found = self._by_stages[memo_key] = frozenset(needed)
        return found

    def project(
        self, kept: tuple[tuple[str, Any], ...], needed: frozenset[str], later: frozenset[str]
    ) -> tuple[tuple[str, Any], ...]:
        """The answers still needed; those only the invariants read (not in `later`), cut to
        what they test (the same answers recur in state after state)."""
        memo_key = (kept, needed, later)
        found = self._projected.get(memo_key)
        if found is None:
            found = self._projected[memo_key] = tuple(
                (n, v if n in later else self.space.invariant_class(n, v))
                for n, v in kept
                if n in needed
            )
        return found
