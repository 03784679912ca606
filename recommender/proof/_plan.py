"""What the walk knows of each step before it starts: the per-step tables it reads millions
of times (what a step expands, its rules' predicates and summaries, what it hands on).

A step is one stage of one rule base; rule bases walked together take their stages in turn
(old gate, new gate, old classify...), so answers are expanded once for both and equal stages
stay aligned. Everything here depends only on the rule bases and the space, never on a state.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..contract.constants import REQUIRED_DERIVED
from ..rulebase.conditions import Predicate, predicate
from ..rulebase.model import Stage
from ._space import Skip, Space, skips_of
from ._stage_key import stage_key
from ._summary import Summary, fallback_sets, of_rule
from ._walk_types import Track

Step = tuple[int, int]
"""(track, stage index): one stage of one rule base."""


class StepPlan:
    """The per-step tables of one walk (see the module docstring)."""

    def __init__(self, space: Space, tracks: Sequence[Track]) -> None:
        self.space = space
        self.tracks = tuple(tracks)
        depth = max(len(track.stages) for track in tracks)
        self.steps: list[Step] = [
            (t, k) for k in range(depth) for t, track in enumerate(tracks) if k < len(track.stages)
        ]
        self.skips = [skips_of(track.rulebase) for track in self.tracks]
        self.skip_checks = [self._skip_checks_for(t, k) for t, k in self.steps]
        # A rule that reads a skippable answer is checked, and the answer's absence kept
        # valid, only where the test that skips it can be evaluated: its field is read with
        # the rule (kept until then, in the same rule group, in every memo key).
        self.rule_reads = [
            {
                rule.order: rule.reads + self._skip_fields(t, rule.reads)
                for rule in self.stage(index).rules
            }
            for index, (t, _) in enumerate(self.steps)
        ]
        self.stage_reads = [self._answer_inputs(index) for index in range(len(self.steps))]
        self.reads = [
            tuple(dict.fromkeys((*reads, *self._skip_fields(t, reads))))
            for reads, (t, _) in zip(self.stage_reads, self.steps, strict=True)
        ]
        """What a step expands: its rules' answers, and the fields of the tests that skip
        any of them. Those are kept to the end like the invariants' answers, cut to the
        classes of the tests (`Space`), so the check adds no exact value to any state."""
        self.skip_kept = frozenset(skip.test.field for skip in space.skips)
        self.input_names = [
            tuple(dict.fromkeys((*self.stage(index).inputs, *self.reads[index])))
            for index in range(len(self.steps))
        ]
        self.urgency_spec = [self._urgency_values(index) for index in range(len(self.steps))]
        self.fallback_sets = [fallback_sets(self.stage(index)) for index in range(len(self.steps))]
        # Derived values no stage reads and no check needs (the audit list of red flags, the
        # exercise-group statuses only the programme's wording uses): deciding them would only
        # split states that nothing can tell apart. Only sets and max-combined values with a
        # default qualify, so no gap or equal-priority overlap can hide behind this.
        read = {name for track in tracks for c in track.stages for name in c.stage.inputs}
        self.unread_sets = frozenset(
            name
            for track in tracks
            for c in track.stages
            for name, spec in c.stage.derives.items()
            if name not in read
            and name not in REQUIRED_DERIVED
            and (spec.type == "set" or (spec.combine == "max" and spec.default is not None))
        )
        self.derived_reads = [self._derived_inputs(index) for index in range(len(self.steps))]
        self.predicates: list[dict[int, Predicate]] = [
            {rule.order: predicate(rule.rule.when) for rule in self.stage(index).rules}
            for index in range(len(self.steps))
        ]
        self.raises = [
            {name: tuple(spec.values) for name, spec in self.stage(index).raises.items()}
            for index in range(len(self.steps))
        ]
        self.rule_summaries: list[dict[int, Summary]] = [
            {
                rule.order: of_rule(
                    self.tracks[t].rulebase,
                    self.stage(index),
                    k,
                    rule,
                    self.unread_sets,
                    self.fallback_sets[index],
                )
                for rule in self.stage(index).rules
            }
            for index, (t, k) in enumerate(self.steps)
        ]
        self.later_rank = [self._min_later_rank(index) for index in range(len(self.steps))]
        self.keys = [stage_key(self.tracks[t].rulebase, k) for t, k in self.steps]
        self.same_stage = [
            tuple(
                (t2, later)
                for later, (t2, k2) in enumerate(self.steps)
                if later > index and k2 == k and t2 != t
            )
            for index, (t, k) in enumerate(self.steps)
        ]
        """Per step, the later steps running the same stage of another rule base."""

    def stage(self, index: int) -> Stage:
        """The rule-base stage step `index` runs."""
        t, k = self.steps[index]
        return self.tracks[t].stages[k].stage

    def keep_derived(self, index: int, t: int) -> set[str]:
        """The derived values track `t` hands on after step `index`: to its later stages
        and to the recommendation checks."""
        keep = set(REQUIRED_DERIVED)
        for later, (track, _) in enumerate(self.steps):
            if later > index and track == t:
                keep.update(self.derived_reads[later])
        return keep

    def _answer_inputs(self, index: int) -> tuple[str, ...]:
        return tuple(name for name in self.stage(index).inputs if name in self.space.fields)

    def _derived_inputs(self, index: int) -> tuple[str, ...]:
        return tuple(name for name in self.stage(index).inputs if name not in self.space.fields)

    def _skip_fields(self, track: int, reads: Sequence[str]) -> tuple[str, ...]:
        """The fields of the tests that skip any of `reads` (see `skips_of`)."""
        return tuple(
            skip.test.field
            for skip in self.skips[track]
            if skip.field in reads and skip.test.field not in reads
        )

    def _skip_checks_for(self, track: int, stage: int) -> tuple[tuple[Skip, frozenset[int]], ...]:
        """Each skippable answer this stage's rules read, with the rules (by order) reading it."""
        rules = self.tracks[track].stages[stage].stage.rules
        found = []
        for skip in self.skips[track]:
            readers = frozenset(rule.order for rule in rules if skip.field in rule.reads)
            if readers:
                found.append((skip, readers))
        return tuple(found)

    def _urgency_values(self, index: int) -> tuple[str, ...] | None:
        stage = self.stage(index)
        spec = stage.derives.get("urgency") or stage.raises.get("urgency")
        return tuple(spec.values) if spec is not None else None

    def _min_later_rank(self, index: int) -> int:
        t = self.steps[index][0]
        ranks = [
            self.tracks[t].rulebase.cards[card_id].rank
            for later, (track, k) in enumerate(self.steps)
            if later > index and track == t
            for rule in self.tracks[t].stages[k].stage.rules
            for card_id in rule.rule.then.cards
        ]
        return min(ranks, default=1 << 30)
