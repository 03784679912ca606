"""Every outcome of one rule group of a stage over the group's fresh answers.

A stage's rules are split into groups that share no fresh field (`components`); each group is
enumerated here over the product of its own fields' classes, with the firings of its rules
summarised per unit, the verdict of the safety-table lines its answers complete, and the
answers the rest of the walk still keeps. The result is memoised on exactly what it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..rulebase.model import LoadedRule
from ..safety.safety_net import NO_VERDICT, decide
from ..safety.safety_net import lines as net_lines
from ._components import FieldGroups
from ._floors import below_floor, raised
from ._plan import StepPlan
from ._skips import KIND as SKIP
from ._skips import left_out_when_asked, skip_problems
from ._space import ABSENT, expansions
from ._summary import EMPTY, SummaryTable
from ._walk_types import ComponentOutcomes, Finding, StateData, StepRecord


class GroupEnumerator:
    """Enumerates rule groups for one walk (see the module docstring)."""

    def __init__(
        self,
        plan: StepPlan,
        records: Sequence[StepRecord],
        note: Callable[[Finding], None],
        table: SummaryTable,
    ) -> None:
        self.plan = plan
        self.space = plan.space
        self.records = records
        self.note = note
        self.example_now: Mapping[str, Any] = {}
        """The example of the state being stepped, for the skip findings' counterexamples."""
        self._table = table
        self._effects = [
            {order: table.intern(summary) for order, summary in effects.items()}
            for effects in plan.rule_summaries
        ]
        self._memo: dict[Any, ComponentOutcomes] = {}

    def outcomes(
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
            needed & names,
            later & names,
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
        expanded = 0
        for values, weight in expansions(members):
            expanded += 1
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
                        summary = self._table.combine(summary, effects[rule.order])
                if plan.skip_checks[step]:
                    self._check_skips(step, ordered[u], present, values)
                summaries.append(self._table.intern(below_floor(plan, step, summary, contexts[u])))
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
        self.records[leads[0]].evaluations += expanded
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
