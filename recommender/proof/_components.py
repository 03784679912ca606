"""A stage's rules split into groups that share no newly enumerated answer field.

Groups over disjoint fields combine freely (every combination is a real questionnaire), so
each group's fields are enumerated on their own: a stage reading 25 fields costs the sum, not
the product, of its groups' spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rulebase.model import LoadedRule
from ..safety.safety_net import lines as net_lines
from ._plan import StepPlan
from ._space import Group

FieldGroups = tuple[tuple[str, ...], ...]
"""The fields of the space's groups (a field, or the coupled pair) enumerated together."""


def split_rules(
    plan: StepPlan, leads: tuple[int, ...], fresh: Sequence[Group]
) -> list[tuple[FieldGroups, list[tuple[int, LoadedRule]]]]:
    """The units' rules (tagged with their unit) split into groups sharing no fresh field."""
    owner = {name: g.fields for g in fresh for name in g.fields}
    parent: dict[tuple[str, ...], tuple[str, ...]] = {g.fields: g.fields for g in fresh}

    def root(item: tuple[str, ...]) -> tuple[str, ...]:
        while parent[item] != item:
            item = parent[item]
        return item

    rules = [(unit, rule) for unit, step in enumerate(leads) for rule in plan.stage(step).rules]
    # A safety-table line is decided where its last answers are enumerated, so its fresh
    # fields belong to one group, exactly as a rule's do.
    rule_reads = {
        (unit, rule.order): plan.rule_reads[leads[unit]][rule.order] for unit, rule in rules
    }
    linked = [rule_reads[(unit, rule.order)] for unit, rule in rules]
    linked += [tuple(e.fields) for e in net_lines()]
    for reads in linked:
        roots = [root(g) for g in {owner[name] for name in reads if name in owner}]
        for other in roots[1:]:
            parent[root(other)] = root(roots[0])
    parts: dict[
        tuple[str, ...] | None, tuple[list[tuple[str, ...]], list[tuple[int, LoadedRule]]]
    ] = {}
    for g in fresh:
        parts.setdefault(root(g.fields), ([], []))[0].append(g.fields)
    for unit, rule in rules:
        touched = [owner[name] for name in rule_reads[(unit, rule.order)] if name in owner]
        key = root(touched[0]) if touched else None
        parts.setdefault(key, ([], []))[1].append((unit, rule))
    return [(tuple(groups), members) for groups, members in parts.values()]
