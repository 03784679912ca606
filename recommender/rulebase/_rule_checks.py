"""Check one rule against what its stage can read and derive: each test's field and operand,
its effects, its cards and cautions, and its examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contract._preview import preview
from ..contract.errors import RuleBaseError
from ..contract.fields import FieldSpec
from .conditions import field_tests
from .schema import CardFile, CautionFile, DerivedField, FieldTest, Rule


def _check_value(spec: FieldSpec, value: object) -> str | None:
    if spec.allows(value):
        return None
    allowed = ", ".join(spec.describe_allowed())
    return f"{spec.name} cannot be {preview(value)}; allowed: {allowed}"


# The engine holds numbers in 64 bits; a field without bounds of its own is held to those.
_INT64 = (-(2**63), 2**63 - 1)


def _check_comparison(spec: FieldSpec, op: str, operand: int) -> str | None:
    """A comparison operand within the field's own bounds: outside them the test is always
    true or never true, which is a mistake (`present: true` says "any answer")."""
    if spec.kind != "integer":
        return f"{op} needs a number field; {spec.name} is not"
    low = spec.minimum if spec.minimum is not None else _INT64[0]
    high = spec.maximum if spec.maximum is not None else _INT64[1]
    if low <= operand <= high:
        return None
    return (
        f"{op} {preview(operand)}: {spec.name} is a whole number from {low} to {high},"
        " so this test would always or never hold; compare with a number in that range"
    )


def check_test(test: FieldTest, spec: FieldSpec) -> str | None:
    op, operand = test.operator, test.operand
    if op == "present":
        return None
    if op in ("lt", "lte", "gt", "gte"):
        return _check_comparison(spec, op, operand)
    if op.startswith("contains_"):
        if spec.kind != "multi":
            return f"{op} needs a list field; {spec.name} is not a list"
        return next((p for p in (_check_value(spec, v) for v in operand) if p), None)
    if spec.kind == "multi":
        return f"{op} cannot test the list field {spec.name}; use contains_any/all/none"
    values = operand if isinstance(operand, list) else [operand]
    return next((p for p in (_check_value(spec, v) for v in values) if p), None)


def _check_example(example: Mapping[str, Any], domains: Mapping[str, FieldSpec]) -> str | None:
    for key, value in example.items():
        spec = domains.get(key)
        if spec is None:
            return f"example names {preview(key)}, which this stage cannot read"
        items = value if spec.kind == "multi" and isinstance(value, list) else [value]
        if spec.kind == "multi" and not isinstance(value, list):
            return f"example value for {key} must be a list"
        problem = next((p for p in (_check_value(spec, v) for v in items) if p), None)
        if problem:
            return f"example: {problem}"
    return None


def check_rule(
    rule: Rule,
    file: str,
    stage_id: str,
    available: Mapping[str, FieldSpec],
    own: Mapping[str, DerivedField],
    catalogue: tuple[CardFile, CautionFile],
    raised: Mapping[str, DerivedField],
) -> None:
    """Check one rule; `raised` maps each earlier value this stage may raise to its definition."""

    def fail(message: str) -> RuleBaseError:
        return RuleBaseError(file, message, rule.id)

    for test in field_tests(rule.when):
        spec = available.get(test.field)
        if spec is None:
            if test.field in own:
                raise fail(
                    f"reads {test.field}, which its own stage derives; no earlier stage produces it"
                )
            raise fail(f"reads unknown field {test.field!r} (no answer or earlier stage has it)")
        problem = check_test(test, spec)
        if problem:
            raise fail(problem)
    for name, value in rule.then.set.items():
        derived = raised.get(name) or own.get(name)
        if derived is None or derived.type != "enum":
            raise fail(f"set {name}: not a value stage {stage_id} derives or raises")
        if value not in derived.values:
            raise fail(f"set {name}: {value!r} is not one of {', '.join(derived.values)}")
    for name, values in rule.then.add.items():
        derived = own.get(name)
        if derived is None or derived.type != "set":
            raise fail(f"add {name}: not a set stage {stage_id} derives")
        unknown = [v for v in values if v not in derived.values]
        if unknown:
            raise fail(f"add {name}: {', '.join(unknown)} not among its values")
    cards, cautions = catalogue
    for card in rule.then.cards:
        if card not in cards.cards:
            raise fail(f"card {card!r} is not in the card catalogue")
    for caution in rule.then.cautions:
        if caution not in cautions.cautions:
            raise fail(f"caution {caution!r} is not in the caution catalogue")
    for example in [*rule.examples.fire, *rule.examples.not_fire]:
        problem = _check_example(example, available)
        if problem:
            raise fail(problem)
