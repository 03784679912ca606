"""Run the stages in order over one questionnaire and resolve what each stage decided.

Each stage sees the answers plus the values earlier stages derived. After a stage's rules
fire, their `then` effects are combined here by the generic policies the rule files declare
(`first`, `max`, set union); nothing clinical is decided in this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from ..contract.errors import RuleGapError
from ..engine.compiler import CompiledStage, encode_fact
from ..rulebase.model import LoadedRule, Stage
from ..rulebase.schema import StopWhen
from .evaluator import Evaluator


class StageFiring(NamedTuple):
    """A rule that fired, with the values it read (a tuple: made once per firing, so cheap)."""

    rule: LoadedRule
    matched: Mapping[str, Any]


@dataclass
class PipelineResult:
    context: dict[str, Any]
    """Answers plus every derived value."""
    firings: list[StageFiring] = field(default_factory=list)
    stopped_at: Stage | None = None
    stop: StopWhen | None = None
    """The stop that ended the pipeline (with the pathway it gives), if one did."""
    stages_run: list[str] = field(default_factory=list)


def applicable(fired: Sequence[LoadedRule]) -> list[LoadedRule]:
    """The fired rules whose effects apply: fallbacks drop out when another rule decided."""
    if not any(rule.rule.fallback for rule in fired):
        return list(fired)
    decided = {name for rule in fired if not rule.rule.fallback for name in rule.rule.then.set}

    def superseded(rule: LoadedRule) -> bool:
        return rule.rule.fallback and bool(decided & rule.rule.then.set.keys())

    return [rule for rule in fired if not superseded(rule)]


_PRIORITY_ORDER = attrgetter("rule.priority", "order")
"""A fired rule's place when effects combine: priority, then its order in the stage files."""


def _resolve(
    stage: Stage, fired: Sequence[LoadedRule], context: Mapping[str, Any]
) -> dict[str, Any]:
    """Combine the fired rules' effects into the stage's derived (and raised) values."""
    ordered = sorted(fired, key=_PRIORITY_ORDER)
    proposed: dict[str, list[Any]] = {}  # per field, the values set, in priority order
    added: dict[str, set[Any]] = {}
    for rule in ordered:
        for name, value in rule.rule.then.set.items():
            proposed.setdefault(name, []).append(value)
        for name, values in rule.rule.then.add.items():
            added.setdefault(name, set()).update(values)
    derived: dict[str, Any] = {}
    for name, spec in stage.raises.items():
        proposals = proposed.get(name, [])
        derived[name] = max([context[name], *proposals], key=spec.values.index)
    for name, spec in stage.derives.items():
        if spec.type == "set":
            chosen = added.get(name, set())
            derived[name] = [value for value in spec.values if value in chosen]
            continue
        proposals = proposed.get(name, [])
        if not proposals:
            if spec.default is None:
                raise RuleGapError(f"stage {stage.id}: no rule decided {name}")
            derived[name] = spec.default
        elif spec.combine == "max":
            derived[name] = max(proposals, key=spec.values.index)
        else:
            derived[name] = proposals[0]
    return derived


def run_pipeline(
    engine: Evaluator,
    stages: Sequence[CompiledStage],
    answers: Mapping[str, Any],
    only: int | None = None,
) -> PipelineResult:
    """Evaluate the stages (the first `only` of them, if given) over `answers`."""
    result = PipelineResult(context=dict(answers))
    context, firings = result.context, result.firings
    for compiled in stages[:only]:
        stage = compiled.stage
        fired_actions = engine.evaluate(compiled.ruleset_name, encode_fact(compiled, context))
        fired = applicable([compiled.action_rules[action] for action in fired_actions])
        for rule in fired:
            matched = {name: context[name] for name in rule.reads if name in context}
            firings.append(StageFiring(rule, matched))
        context.update(_resolve(stage, fired, context))
        result.stages_run.append(stage.id)
        for stop in stage.stops:
            if context[stop.field] in stop.one_of:
                result.stopped_at, result.stop = stage, stop
                return result
    return result
