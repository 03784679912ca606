"""The engine-neutral rule conditions evaluated in plain Python.

The same semantics as `compiler.compile_condition` (negation pushed to the leaves, and a test
on an absent field never matches except `present: false`). The proof tools' oracle evaluates
rules with it, and the contract invariants evaluate their own, independent conditions with it.
The loader and the proof tools read off it which fields a condition tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .schema import AllOf, AnyOf, Condition, FieldTest, Not

Context = Mapping[str, Any]
Predicate = Callable[[Context], bool]

_NEGATED = {
    "not_equals": "equals",
    "not_one_of": "one_of",
    "contains_none": "contains_any",
}


Check = Callable[[Any], bool]


def value_test(test: FieldTest) -> Check:
    """One test as a function of a present value, its operator resolved once: the proof
    tools evaluate conditions millions of times, and reading the operator off the model
    each time was a third of the walk."""
    op, operand = test.operator, test.operand
    if op in _NEGATED:
        positive = _check(_NEGATED[op], operand)
        return lambda value: not positive(value)
    return _check(op, operand)


def _check(op: str, operand: Any) -> Check:
    if op == "present":
        answer = bool(operand)
        return lambda value: answer
    if op == "equals":
        return lambda value: bool(value == operand)
    if op == "one_of":
        return lambda value: value in operand
    if op == "lt":
        return lambda value: bool(value < operand)
    if op == "lte":
        return lambda value: bool(value <= operand)
    if op == "gt":
        return lambda value: bool(value > operand)
    if op == "gte":
        return lambda value: bool(value >= operand)
    if op == "contains_any":
        wanted = frozenset(operand)
        return lambda value: not wanted.isdisjoint(value)
    if op == "contains_all":
        needed = frozenset(operand)
        return lambda value: needed.issubset(value)
    raise ValueError(f"unknown operator {op}")  # pragma: no cover - the schema admits no other


def _leaf(test: FieldTest, negate: bool) -> Predicate:
    name = test.field
    if test.operator == "present":
        wanted = bool(test.operand) != negate
        return lambda context: (name in context) == wanted
    check = value_test(test)
    if negate:
        return lambda context: name in context and not check(context[name])
    return lambda context: name in context and check(context[name])


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


def field_tests(condition: Condition) -> Iterator[FieldTest]:
    if isinstance(condition, FieldTest):
        yield condition
    elif isinstance(condition, AllOf):
        for part in condition.all:
            yield from field_tests(part)
    elif isinstance(condition, AnyOf):
        for part in condition.any:
            yield from field_tests(part)
    elif isinstance(condition, Not):
        yield from field_tests(condition.not_)


def fields_read(condition: Condition) -> tuple[str, ...]:
    """The fields a condition reads, in first-mention order."""
    return tuple(dict.fromkeys(test.field for test in field_tests(condition)))
