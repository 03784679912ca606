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


_COMPARISONS = {"equals": "==", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def predicate(condition: Condition) -> Predicate:
    """A condition as a Python predicate over a context, with the compiler's semantics.

    The condition is written out as one Python expression and compiled once, since the
    proof tools evaluate rules millions of times and a tree of closures was a quarter of a
    walk. No text from the rule file enters the expression: field names and operands are
    bound as variables (`_f0`, `_o0`, ...), and the expression has no builtins to call.
    """
    names: dict[str, Any] = {"__builtins__": {}}
    expression = _expression(condition, False, names)
    compiled: Predicate = eval(f"lambda context: {expression}", names)
    return compiled


def _bind(names: dict[str, Any], prefix: str, value: Any) -> str:
    name = f"{prefix}{len(names)}"
    names[name] = value
    return name


def _expression(condition: Condition, negate: bool, names: dict[str, Any]) -> str:
    """`condition` (negated when `negate`: negation pushed to the leaves) as an expression
    over `context`, with each name it uses bound in `names`."""
    if isinstance(condition, FieldTest):
        return _leaf_expression(condition, negate, names)
    if isinstance(condition, Not):
        return _expression(condition.not_, not negate, names)
    if isinstance(condition, AllOf):
        parts, conjunctive = condition.all, not negate
    elif isinstance(condition, AnyOf):
        parts, conjunctive = condition.any, negate
    else:  # pragma: no cover - the schema admits no other kind
        raise TypeError(condition)
    written = [_expression(part, negate, names) for part in parts]
    if not written:  # all() of nothing holds, any() of nothing does not
        return "True" if conjunctive else "False"
    return "(" + (" and " if conjunctive else " or ").join(written) + ")"


def _leaf_expression(test: FieldTest, negate: bool, names: dict[str, Any]) -> str:
    """One test: never true on an absent field, except `present: false` (and its negation)."""
    field = _bind(names, "_f", test.field)
    op, operand = test.operator, test.operand
    if op == "present":
        wanted = bool(operand) != negate
        return f"({field} in context)" if wanted else f"({field} not in context)"
    if op in _NEGATED:
        op, negate = _NEGATED[op], not negate
    value = f"context[{field}]"
    if op in _COMPARISONS:
        check = f"{value} {_COMPARISONS[op]} {_bind(names, '_o', operand)}"
    elif op == "one_of":
        check = f"{value} in {_bind(names, '_o', operand)}"
    elif op == "contains_any":
        check = f"not {_bind(names, '_o', frozenset(operand))}.isdisjoint({value})"
    elif op == "contains_all":
        check = f"{_bind(names, '_o', frozenset(operand))}.issubset({value})"
    else:  # pragma: no cover - the schema admits no other
        raise ValueError(f"unknown operator {op}")
    return f"({field} in context and {'not ' if negate else ''}({check}))"


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
