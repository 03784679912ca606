"""A stage's outcomes over its newly enumerated answers, rule groups evaluated apart and merged.

Each rule group (`components.split_rules`) is enumerated over its own fresh fields and its
firings summarised (`summary`); the groups' outcomes are then multiplied out, summaries
combined once per pair of outcomes. Both steps are memoised on exactly what they read, so
states that look alike to a stage are folded once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..rulebase.model import LoadedRule
from ..safety.safety_net import NO_VERDICT, join
from ._components import FieldGroups, split_rules
from ._floors import raised, settled
from ._group_outcomes import GroupEnumerator
from ._plan import StepPlan
from ._space import NET_FIELDS, Group
from ._summary import EMPTY, Summary, SummaryTable
from ._walk_types import Finding, Kepts, Outcome, Outcomes, StateData, StepRecord


class StageFolder:
    """Folds one walk's stages (see the module docstring); holds the walk's memos of them."""

    def __init__(
        self, plan: StepPlan, records: Sequence[StepRecord], note: Callable[[Finding], None]
    ) -> None:
        self.plan = plan
        self._table = SummaryTable()
        self.groups = GroupEnumerator(plan, records, note, self._table)
        self._folds: dict[Any, tuple[Outcomes, tuple[frozenset[int], ...], int]] = {}
        self._split: dict[Any, list[tuple[FieldGroups, list[tuple[int, LoadedRule]]]]] = {}
        self._pairs: dict[Any, dict[tuple[int, int], tuple[int, Outcome]]] = {}
        """Per (leads, urgencies), two outcomes folded together (by their numbers in
        `_numbers`): their summaries combined and the verdict settled, and its number."""
        self._numbers: dict[Outcome, int] = {}
        """A number for each distinct outcome, so a pair is looked up by two ints instead of
        by hashing both outcomes' summaries again for every pair (the fold's inner loop)."""

    def fold(
        self,
        leads: tuple[int, ...],
        fresh: Sequence[Group],
        contexts: Sequence[Mapping[str, Any]],
        needed: frozenset[str],
        later: frozenset[str],
    ) -> tuple[Outcomes, tuple[frozenset[int], ...], int]:
        """All outcomes of the units' stage over its fresh fields, rule groups merged
        (memoised), per unit the non-fallback rules that fired on the way, and the number of
        this fold (the same number for the same inputs, so callers can memoise on it)."""
        fresh_fields = tuple(g.fields for g in fresh)
        names = {name for fields in fresh_fields for name in fields}
        seen = tuple(
            tuple((n, context[n]) for n in self.plan.input_names[step] if n in context)
            for step, context in zip(leads, contexts, strict=True)
        )
        net_seen = tuple((n, contexts[0][n]) for n in NET_FIELDS if n in contexts[0])
        memo_key = (
            leads,
            fresh_fields,
            seen,
            raised(self.plan, leads, contexts),
            needed & names,
            later & names,
            net_seen,
        )
        found = self._folds.get(memo_key)
        if found is not None:
            return found
        fired: list[set[int]] = [set() for _ in leads]
        number = self._number
        start: Outcome = ((EMPTY,) * len(leads), NO_VERDICT)
        # Per outcome number: the outcome and its kept answers, in the order first met.
        combined: dict[int, tuple[Outcome, Kepts]] = {
            number(start): (start, {(): StateData(1, {})})
        }
        components = [
            self.groups.outcomes(leads, groups, rules, contexts, needed, later)
            for groups, rules in self._split_rules(leads, fresh)
        ]
        # Fewest outcomes first keeps the partial products small.
        components.sort(key=len)
        combine, single = self._table.combine, len(leads) == 1
        # `settled` reads the contexts only for their urgency: with the leads, the pairs' key.
        urgencies = tuple(context.get("urgency") for context in contexts)
        pairs = self._pairs.setdefault((leads, urgencies), {})
        for outcomes in components:
            for (sums_b, _), (_, fired_b) in outcomes.items():
                for mine, more, summary in zip(fired, fired_b, sums_b, strict=True):
                    mine |= more - summary.fallbacks
            rows_b = [
                (number(outcome_b), outcome_b, tuple(kepts_b.items()))
                for outcome_b, (kepts_b, _) in outcomes.items()
            ]
            folded: dict[int, tuple[Outcome, Kepts]] = {}
            # Summaries combine once per pair of outcomes; the kept answers, which no
            # decision reads, only multiply out beneath them.
            for number_a, ((sums_a, net_a), kepts_a) in combined.items():
                items_a = tuple(kepts_a.items())
                for number_b, (sums_b, net_b), items_b in rows_b:
                    paired = pairs.get((number_a, number_b))
                    if paired is None:
                        sums: tuple[Summary, ...]
                        if single:
                            sums = (combine(sums_a[0], sums_b[0]),)
                        else:
                            sums = tuple(combine(a, b) for a, b in zip(sums_a, sums_b, strict=True))
                        verdict = settled(self.plan, leads, join(net_a, net_b), sums, contexts)
                        outcome = (sums, verdict)
                        paired = pairs[(number_a, number_b)] = (number(outcome), outcome)
                    reaching = folded.get(paired[0])
                    if reaching is None:
                        reaching = folded[paired[0]] = (paired[1], {})
                    target = reaching[1]
                    for kept_a, reached_a in items_a:
                        weight_a, example_a = reached_a.weight, reached_a.example
                        for kept_b, reached_b in items_b:
                            kept = kept_a + kept_b
                            entry = target.get(kept)
                            if entry is None:
                                target[kept] = StateData(
                                    weight_a * reached_b.weight, {**example_a, **reached_b.example}
                                )
                            else:
                                entry.weight += weight_a * reached_b.weight
            combined = folded
        result = (dict(combined.values()), tuple(frozenset(f) for f in fired), len(self._folds))
        self._folds[memo_key] = result
        return result

    def _number(self, outcome: Outcome) -> int:
        """The number of this distinct outcome (given on first sight, kept for the walk)."""
        numbers = self._numbers
        found = numbers.get(outcome)
        if found is None:
            found = numbers[outcome] = len(numbers)
        return found

    def _split_rules(
        self, leads: tuple[int, ...], fresh: Sequence[Group]
    ) -> list[tuple[FieldGroups, list[tuple[int, LoadedRule]]]]:
        memo_key = (leads, tuple(g.fields for g in fresh))
        found = self._split.get(memo_key)
        if found is None:
            found = self._split[memo_key] = split_rules(self.plan, leads, fresh)
        return found
