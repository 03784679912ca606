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
from ..safety.safety_net import NO_VERDICT, Verdict, decide, join
from ..safety.safety_net import lines as net_lines
from ._components import FieldGroups, split_rules
from ._floors import below_floor, raised, settled
from ._plan import StepPlan
from ._skips import KIND as SKIP
from ._skips import left_out_when_asked, skip_problems
from ._space import ABSENT, NET_FIELDS, Group, expansions
from ._summary import EMPTY, Summary, combine
from ._walk_types import ComponentOutcomes, Finding, Outcomes, StateData, StepRecord


class StageFolder:
    """Folds one walk's stages (see the module docstring); holds the walk's memos."""

    def __init__(
        self, plan: StepPlan, records: Sequence[StepRecord], note: Callable[[Finding], None]
    ) -> None:
        self.plan = plan
        self.space = plan.space
        self.records = records
        self.note = note
        self.example_now: Mapping[str, Any] = {}
        """The example of the state being stepped, for the skip findings' counterexamples."""
        self._memo: dict[Any, ComponentOutcomes] = {}
        self._folds: dict[Any, tuple[Outcomes, tuple[frozenset[int], ...]]] = {}
        self._split: dict[Any, list[tuple[FieldGroups, list[tuple[int, LoadedRule]]]]] = {}
        self._combined: dict[tuple[Summary, Summary], Summary] = {}
        self._pairs: dict[Any, tuple[tuple[Summary, ...], Verdict]] = {}
        """Two outcomes folded together: their summaries combined and the verdict settled."""
        self._interned: dict[Summary, Summary] = {EMPTY: EMPTY}
        """One object per distinct summary, so the memo and outcome lookups compare
        summaries by identity instead of field by field."""
        self._effects = [
            {order: self._intern(summary) for order, summary in effects.items()}
            for effects in plan.rule_summaries
        ]

    def fold(
        self,
        leads: tuple[int, ...],
        fresh: Sequence[Group],
        contexts: Sequence[Mapping[str, Any]],
        needed: frozenset[str],
        later: frozenset[str],
    ) -> tuple[Outcomes, tuple[frozenset[int], ...]]:
        """All outcomes of the units' stage over its fresh fields, rule groups merged
        (memoised), and per unit the non-fallback rules that fired on the way."""
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
        combined: Outcomes = {((EMPTY,) * len(leads), NO_VERDICT): {(): StateData(1, {})}}
        components = [
            self._component(leads, groups, rules, contexts, needed, later)
            for groups, rules in self._split_rules(leads, fresh)
        ]
        # Fewest outcomes first keeps the partial products small.
        components.sort(key=len)
        combine, single = self._combine, len(leads) == 1
        pairs = self._pairs
        # `settled` reads the contexts only for their urgency: with it, the pair's key.
        urgencies = tuple(context.get("urgency") for context in contexts)
        for outcomes in components:
            for (sums_b, _), (_, fired_b) in outcomes.items():
                for mine, more, summary in zip(fired, fired_b, sums_b, strict=True):
                    mine |= more - summary.fallbacks
            folded: Outcomes = {}
            # Summaries combine once per pair of outcomes; the kept answers, which no
            # decision reads, only multiply out beneath them.
            for (sums_a, net_a), kepts_a in combined.items():
                for (sums_b, net_b), (kepts_b, _) in outcomes.items():
                    pair_key = (leads, urgencies, sums_a, net_a, sums_b, net_b)
                    outcome = pairs.get(pair_key)
                    if outcome is None:
                        sums: tuple[Summary, ...]
                        if single:
                            sums = (combine(sums_a[0], sums_b[0]),)
                        else:
                            sums = tuple(combine(a, b) for a, b in zip(sums_a, sums_b, strict=True))
                        verdict = settled(self.plan, leads, join(net_a, net_b), sums, contexts)
                        outcome = pairs[pair_key] = (sums, verdict)
                    target = folded.setdefault(outcome, {})
                    for kept_a, reached_a in kepts_a.items():
                        weight_a, example_a = reached_a.weight, reached_a.example
                        for kept_b, reached_b in kepts_b.items():
                            weight_b, example_b = reached_b.weight, reached_b.example
                            kept = kept_a + kept_b
                            entry = target.get(kept)
                            if entry is None:
                                target[kept] = StateData(
                                    weight_a * weight_b, {**example_a, **example_b}
                                )
                            else:
                                entry.weight += weight_a * weight_b
            combined = folded
        result = (combined, tuple(frozenset(f) for f in fired))
        self._folds[memo_key] = result
        return result

    def _component(
        self,
        leads: tuple[int, ...],
        groups: FieldGroups,
        rules: list[tuple[int, LoadedRule]],
        contexts: Sequence[Mapping[str, Any]],
        needed: frozenset[str],
        later: frozenset[str],
    ) -> ComponentOutcomes:
        """Every outcome of one rule group over its fresh fields: the summaries and the
        verdict of the safety-table lines whose last answers are among them, with the kept
        answers of the questionnaires reaching it.

        Kept are the fresh answers in `needed`: exact where a later stage reads them (`later`),
        else cut to what the invariants test.
        """
        seen = tuple(
            tuple(
                (n, contexts[u][n])
                for n in sorted(
                    {
                        n
                        for v, rule in rules
                        if v == u
                        for n in self.plan.rule_reads[leads[v]][rule.order]
                    }
                )
                if n in contexts[u]
            )
            for u in range(len(leads))
        )
        names = {name for fields in groups for name in fields}
        known = names | {name for name in contexts[0] if name in self.space.fields}
        deciding = [e for e in net_lines() if e.fields & names and e.fields <= known]
        earlier = sorted({n for e in deciding for n in e.fields} - names)
        net_seen = tuple((n, contexts[0][n]) for n in earlier)
        memo_key = (
            leads,
            groups,
            seen,
            raised(self.plan, leads, contexts),
            needed,
            later,
            net_seen,
        )
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        ordered = [
            sorted(
                (rule for v, rule in rules if v == u),
                key=lambda rule: (rule.rule.priority, rule.order),
            )
            for u in range(len(leads))
        ]
        plan = self.plan
        members = [self.space.group(fields[0]) for fields in groups]
        outcomes: ComponentOutcomes = {}
        fresh_skips = [skip for skip in self.plan.skips[0] if skip.field in names]
        for values, weight in expansions(members):
            if fresh_skips and left_out_when_asked(fresh_skips, contexts[0], values):
                continue  # an incomplete questionnaire, not one of the inputs
            summaries = []
            fired: list[set[int]] = []
            for u, step in enumerate(leads):
                predicates = plan.predicates[step]
                full = {**contexts[u], **values}
                present = {n: v for n, v in full.items() if v is not ABSENT}
                summary = EMPTY
                fired_here = set()
                effects = self._effects[step]
                for rule in ordered[u]:
                    if predicates[rule.order](present):
                        fired_here.add(rule.order)
                        summary = self._combine(summary, effects[rule.order])
                if plan.skip_checks[step]:
                    self._check_skips(step, ordered[u], present, values)
                summaries.append(self._intern(below_floor(plan, step, summary, contexts[u])))
                fired.append(fired_here)
            kept = tuple(
                sorted(
                    (n, v if n in later else self.space.invariant_class(n, v))
                    for n, v in values.items()
                    if n in needed
                )
            )
            answers = {**contexts[0], **values}
            present = {n: v for n, v in answers.items() if v is not ABSENT}
            net = decide(NO_VERDICT, deciding, present)
            outcome = (tuple(summaries), net)
            reached = outcomes.get(outcome)
            if reached is None:
                outcomes[outcome] = ({kept: StateData(weight, values)}, tuple(fired))
                continue
            kepts, fired_before = reached
            for mine, more in zip(fired_before, fired, strict=True):
                mine |= more
            entry = kepts.get(kept)
            if entry is None:
                kepts[kept] = StateData(weight, values)
            else:
                entry.weight += weight
        self.records[leads[0]].evaluations += sum(1 for _ in expansions(members))
        self._memo[memo_key] = outcomes
        return outcomes

    def _check_skips(
        self,
        step: int,
        rules: Sequence[LoadedRule],
        present: Mapping[str, Any],
        values: Mapping[str, Any],
    ) -> None:
        """Note each rule that fires differently where a question is skipped (`skip_problems`),
        with this questionnaire."""
        plan = self.plan
        problems = skip_problems(plan.skip_checks[step], plan.predicates[step], rules, present)
        for message, rule_id in problems:
            example = {**self.example_now, **values}
            self.note(Finding(SKIP, message, plan.stage(step).id, rule_id, example))

    def _split_rules(
        self, leads: tuple[int, ...], fresh: Sequence[Group]
    ) -> list[tuple[FieldGroups, list[tuple[int, LoadedRule]]]]:
        memo_key = (leads, tuple(g.fields for g in fresh))
        found = self._split.get(memo_key)
        if found is None:
            found = self._split[memo_key] = split_rules(self.plan, leads, fresh)
        return found

    def _combine(self, a: Summary, b: Summary) -> Summary:
        if a is EMPTY:  # identity, not equality: this runs millions of times
            return b
        if b is EMPTY:
            return a
        found = self._combined.get((a, b))
        if found is None:
            found = self._combined[(a, b)] = self._intern(combine(a, b))
        return found

    def _intern(self, summary: Summary) -> Summary:
        return self._interned.setdefault(summary, summary)
