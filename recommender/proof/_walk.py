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
track after it), `successors` (the states one step reaches from a state, memoised), `floors`
(what can no longer change the outcome), `skips` (the skip proof), `endings` (the end
classes), `walk_types` (the state, record and finding types); this module steps the states
through them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..safety.safety_net import join
from ._collector import collector_paused
from ._endings import end_classes
from ._plan import StepPlan
from ._sharding import shard_step, share_of
from ._space import Space
from ._stage_key import stage_key
from ._successors import StepSuccessors
from ._walk_types import (
    OFFER,
    Finding,
    FindingLog,
    StateData,
    StateKey,
    StepRecord,
    Terminal,
    Track,
    TrackState,
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
        self.log = FindingLog()
        self.findings = self.log.findings
        self._successors = StepSuccessors(self.plan, self.tracks, self.records, self.log)

    def handed_on(self, index: int) -> set[str]:
        """The derived values a stage hands to later stages and to the recommendation checks."""
        return self.plan.keep_derived(index, self.steps[index][0])

    def note(self, finding: Finding) -> None:
        """Record a finding once per (kind, message); later occurrences only count."""
        self.log.note(finding)

    # --- the walk ------------------------------------------------------------------------

    def run(self, on_terminal: Callable[[Terminal], None], shard: tuple[int, int] = (0, 1)) -> None:
        """Walk every stage, then hand each end class to `on_terminal`.

        `shard` (number, count) keeps one of `count` shares of the states from the step
        `shard_step` on (`sharding`), so `count` processes can share one walk. What the
        steps before it found is counted by share 0 only. Python's cyclic collector is off
        meanwhile (`collector`).
        """
        start = StateKey((), frozenset(), tuple(TrackState() for _ in self.tracks))
        states: dict[StateKey, StateData] = {start: StateData(1, {})}
        with collector_paused():
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
        successors_of, project = self._successors.of, self._successors.queries.project
        merged: dict[StateKey, StateData] = {}
        for key, data in states.items():
            track = key.tracks[t]
            if track.stopped_at is not None or track.done > k:
                self._merge(merged, key, data.weight, data.example)
                continue
            assigned, successors = successors_of(index, key, data)
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
