"""The engine-neutral rule conditions evaluated in plain Python.

The same semantics as `compiler.compile_condition` (negation pushed to the leaves, and a test
on an absent field never matches except `present: false`). The proof tools' oracle evaluates
rules with it, and the contract invariants evaluate their own, independent conditions with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
