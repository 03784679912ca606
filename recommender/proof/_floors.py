"""Where a stage's outcome cannot change what comes after: the urgency a state is sure to
reach, and proposals to raise a value that is already as high.

Urgency only ever rises through the stages (a raised field combines by max), so leaving out
what can no longer matter lets states that differ only there merge, and the walk stays small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..safety.safety_net import URGENCY_ORDER, Verdict
from ._plan import StepPlan
from ._summary import Summary


def settled(
    plan: StepPlan,
    leads: tuple[int, ...],
    net: Verdict,
    summaries: Sequence[Summary],
    contexts: Sequence[Mapping[str, Any]],
) -> Verdict:
    """`net` without an urgency requirement already met: urgency only ever rises through
    the stages, so once the urgency a state is sure to reach is at least the required
    level, no later step can break it, and states that differ only there merge."""
    level, others = net
    if level < 0:
        return net
    floor = min(
        urgency_floor(plan, step, summary, context)
        for step, summary, context in zip(leads, summaries, contexts, strict=True)
    )
    return (-1, others) if level <= floor else net


def raised(
    plan: StepPlan, leads: tuple[int, ...], contexts: Sequence[Mapping[str, Any]]
) -> tuple[tuple[Any, ...], ...]:
    """The incoming values of the fields each unit's stage may raise: a stage's outcome
    depends on them even where no rule reads them (`below_floor`, `settled`), so every
    memo of a stage's outcomes is keyed on them."""
    return tuple(
        tuple(context[name] for name in plan.raises[step])
        for step, context in zip(leads, contexts, strict=True)
    )


def below_floor(plan: StepPlan, step: int, summary: Summary, context: Mapping[str, Any]) -> Summary:
    """`summary` without proposals to raise a value no higher than it already is: they
    change nothing (a raise combines by max with the incoming value), so leaving them
    out lets firings that differ only there merge."""
    raises = plan.raises[step]
    if not raises or not summary.maxes:
        return summary
    kept = tuple(
        (name, index)
        for name, index in summary.maxes
        if name not in raises or index > raises[name].index(context[name])
    )
    return summary if len(kept) == len(summary.maxes) else replace(summary, maxes=kept)


def urgency_floor(plan: StepPlan, step: int, summary: Summary, context: Mapping[str, Any]) -> int:
    """The least urgency (index in URGENCY_ORDER) a state will end with, by what came in
    and what this stage's fired rules already propose."""
    floor = (
        URGENCY_ORDER.index(context["urgency"]) if context.get("urgency") in URGENCY_ORDER else -1
    )
    spec = plan.urgency_spec[step]
    for name, index in summary.maxes:
        if name == "urgency" and spec is not None and spec[index] in URGENCY_ORDER:
            floor = max(floor, URGENCY_ORDER.index(spec[index]))
    return floor
