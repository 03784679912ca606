"""A pure-Python evaluator of the engine-neutral rule conditions, for `verify` to enumerate with.

It mirrors `compiler.compile_condition` exactly (negation pushed to the leaves, and a test on
an absent field never matches except `present: false`), so it can stand in for durable-rules
when millions of stage inputs are enumerated. It is never trusted alone: `verify` replays one
input of every distinct stage outcome through the real engine, and the test suite compares the
two on every rule example and on a large sample of enumerated inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .compiler import CompiledStage
from .rulebase import LoadedRule
from .ruleschema import AllOf, AnyOf, Condition, FieldTest, Not

Context = Mapping[str, Any]
Predicate = Callable[[Context], bool]

_NEGATED = {
    "not_equals": "equals",
    "not_one_of": "one_of",
    "contains_none": "contains_any",
}


def holds_for(test: FieldTest, value: Any) -> bool:
    """The truth of one test on a present value (a list field's value is any iterable)."""
    op, operand = test.operator, test.operand
    if op in _NEGATED:
        return not _holds(_NEGATED[op], operand, value)
    return _holds(op, operand, value)


def _holds(op: str, operand: Any, value: Any) -> bool:
    if op == "present":
        return bool(operand)
    if op == "equals":
        return bool(value == operand)
    if op == "one_of":
        return value in operand
    if op == "lt":
        return bool(value < operand)
    if op == "lte":
        return bool(value <= operand)
    if op == "gt":
        return bool(value > operand)
    if op == "gte":
        return bool(value >= operand)
    chosen = set(value)
    if op == "contains_any":
        return any(item in chosen for item in operand)
    if op == "contains_all":
        return all(item in chosen for item in operand)
    raise ValueError(f"unknown operator {op}")  # pragma: no cover - the schema admits no other


def _leaf(test: FieldTest, negate: bool) -> Predicate:
    name = test.field
    if test.operator == "present":
        wanted = bool(test.operand) != negate
        return lambda context: (name in context) == wanted
    if negate:
        return lambda context: name in context and not holds_for(test, context[name])
    return lambda context: name in context and holds_for(test, context[name])


def predicate(condition: Condition, negate: bool = False) -> Predicate:
    """A condition as a Python predicate over a context, with the compiler's semantics."""
    if isinstance(condition, FieldTest):
        return _leaf(condition, negate)
    if isinstance(condition, Not):
        return predicate(condition.not_, not negate)
    if isinstance(condition, AllOf):
        parts, conjunctive = condition.all, not negate
    elif isinstance(condition, AnyOf):
        parts, conjunctive = condition.any, negate
    else:  # pragma: no cover - the schema admits no other kind
        raise TypeError(condition)
    compiled = [predicate(part, negate) for part in parts]
    if conjunctive:
        return lambda context: all(part(context) for part in compiled)
    return lambda context: any(part(context) for part in compiled)


class StageOracle:
    """Which rules of one compiled stage fire on a context, in the engine's firing order."""

    def __init__(self, compiled: CompiledStage) -> None:
        self.compiled = compiled
        ordered = sorted(compiled.stage.rules, key=lambda rule: (rule.rule.priority, rule.order))
        action_of = {rule.id: action for action, rule in compiled.action_rules.items()}
        self._rules: list[tuple[str, Predicate]] = [
            (action_of[rule.id], predicate(rule.rule.when)) for rule in ordered
        ]

    def fired(self, context: Context) -> list[str]:
        """The actions of the rules whose condition holds, lowest priority number first."""
        return [action for action, holds in self._rules if holds(context)]

    def fired_rules(self, context: Context) -> list[LoadedRule]:
        return [self.compiled.action_rules[action] for action in self.fired(context)]


def decode_fact(compiled: CompiledStage, fact: Mapping[str, Any]) -> dict[str, Any]:
    """The context an encoded fact came from (list fields back from value -> bool maps)."""
    context: dict[str, Any] = {}
    for name, spec in compiled.stage.inputs.items():
        if name not in fact:
            continue
        value = fact[name]
        if spec.kind == "multi":
            value = tuple(option for option, chosen in value.items() if chosen)
        context[name] = value
    return context


class OracleEngine:
    """Duck-types `RuleEngine.evaluate` with the oracle, so `run_pipeline` runs unchanged."""

    def __init__(self, stages: Sequence[CompiledStage]) -> None:
        self._oracles = {stage.ruleset_name: StageOracle(stage) for stage in stages}

    def evaluate(self, ruleset: str, fact: Mapping[str, Any]) -> list[str]:
        oracle = self._oracles[ruleset]
        return oracle.fired(decode_fact(oracle.compiled, fact))
