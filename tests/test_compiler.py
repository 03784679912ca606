"""The compiler's durable-rules conditions mean what the rule files say.

Every operator, negated or not and nested in all/any/not, is compiled and run through the real
engine over a grid of facts (absent fields included), and compared with an independent oracle:
three-valued logic where a test on an unanswered field is unknown, and unknown never matches.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from recommender import Recommender, RuleBaseError
from recommender.contract.fields import field_specs
from recommender.engine._fact_format import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE, fnv1a32
from recommender.engine.adapter import RuleEngine
from recommender.engine.compiler import compile_condition
from recommender.rulebase.schema import AllOf, AnyOf, Condition, FieldTest, Not
from recommender.rulebase.yamlio import load_yaml

from .test_loader import edit

C: dict[str, Any] = {
    "eq": {"field": "side", "equals": "left"},
    "ne": {"field": "side", "not_equals": "left"},
    "in": {"field": "side", "one_of": ["left", "both"]},
    "notin": {"field": "side", "not_one_of": ["left", "both"]},
    "lt": {"field": "age", "lt": 18},
    "lte": {"field": "age", "lte": 18},
    "gt": {"field": "age", "gt": 18},
    "gte": {"field": "age", "gte": 18},
    "bool": {"field": "bite_problems", "equals": True},
    "any": {"field": "regions", "contains_any": ["brows", "chin"]},
    "all": {"field": "regions", "contains_all": ["brows", "chin"]},
    "none": {"field": "regions", "contains_none": ["brows", "chin"]},
    "has": {"field": "side", "present": True},
    "hasnt": {"field": "side", "present": False},
}
CONDITIONS: dict[str, Any] = {
    **C,
    **{f"not_{name}": {"not": test} for name, test in C.items()},
    "and": {"all": [C["in"], C["gte"], C["bool"]]},
    "or": {"any": [C["eq"], C["lt"], C["all"]]},
    "not_and": {"not": {"all": [C["in"], C["gte"]]}},
    "not_or": {"not": {"any": [C["eq"], C["none"]]}},
    "nested": {
        "any": [{"all": [C["ne"], {"not": C["lt"]}]}, {"not": {"any": [C["bool"], C["hasnt"]]}}]
    },
    "double_not": {"not": {"not": C["lte"]}},
}

ABSENT = object()
SIDES = [*field_specs()["side"].values, ABSENT]
AGES = [17, 18, 19, ABSENT]
BITES = [True, False, ABSENT]
REGIONS = [["brows"], ["chin", "brows"], ["lips"], ["brows", "lips", "whole_side"], ABSENT]


CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def parse(data: Any) -> Condition:
    return CONDITION.validate_python(data)


def oracle(condition: Condition, answers: dict[str, Any]) -> bool | None:
    """Kleene three-valued logic; None means unknown."""
    if isinstance(condition, Not):
        inner = oracle(condition.not_, answers)
        return None if inner is None else not inner
    if isinstance(condition, AllOf | AnyOf):
        want_all = isinstance(condition, AllOf)
        members = condition.all if isinstance(condition, AllOf) else condition.any
        parts = [oracle(part, answers) for part in members]
        decisive = not want_all  # False decides an all; True decides an any
        if decisive in parts:
            return decisive
        return None if None in parts else want_all
    assert isinstance(condition, FieldTest)
    op, operand = condition.operator, condition.operand
    if op == "present":
        assert isinstance(operand, bool)
        return (condition.field in answers) == operand
    if condition.field not in answers:
        return None
    value = answers[condition.field]
    checks: dict[str, Callable[[], object]] = {
        "equals": lambda: value == operand,
        "not_equals": lambda: value != operand,
        "one_of": lambda: value in operand,
        "not_one_of": lambda: value not in operand,
        "lt": lambda: value < operand,
        "lte": lambda: value <= operand,
        "gt": lambda: value > operand,
        "gte": lambda: value >= operand,
        "contains_any": lambda: bool(set(value) & set(operand)),
        "contains_all": lambda: set(operand) <= set(value),
        "contains_none": lambda: not set(value) & set(operand),
    }
    return bool(checks[op]())


def encode(answers: dict[str, Any]) -> dict[str, Any]:
    fact: dict[str, Any] = {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}
    for name, value in answers.items():
        if name == "regions":
            fact[name] = {v: v in value for v in field_specs()["regions"].values}
        else:
            fact[name] = value
    return fact


def test_compiled_conditions_match_the_oracle_on_every_fact() -> None:
    parsed = {name: parse(data) for name, data in CONDITIONS.items()}
    rules = {
        name: {
            "all": [
                {
                    "m": {
                        "$and": [
                            {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE},
                            compile_condition(condition),
                        ]
                    }
                }
            ],
            "run": f"t:{name}",
        }
        for name, condition in parsed.items()
    }
    engine = RuleEngine({"t": rules})
    checked = 0
    for side, age, bite, regions in itertools.product(SIDES, AGES, BITES, REGIONS):
        answers = {
            k: v
            for k, v in (
                ("side", side),
                ("age", age),
                ("bite_problems", bite),
                ("regions", regions),
            )
            if v is not ABSENT
        }
        fired = set(engine.evaluate("t", encode(answers)))
        for name, condition in parsed.items():
            expected = oracle(condition, answers) is True
            assert (f"t:{name}" in fired) == expected, (name, answers)
            checked += 1
    assert checked == len(SIDES) * len(AGES) * len(BITES) * len(REGIONS) * len(CONDITIONS)


def test_fnv1a32_matches_the_published_test_vectors() -> None:
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C
    assert fnv1a32("foobar") == 0xBF9CF968


def _colliding_names() -> tuple[str, str]:
    seen: dict[int, str] = {}
    while True:
        name = "x" + os.urandom(5).hex()
        other = seen.setdefault(fnv1a32(name), name)
        if other != name:
            return other, name


def test_property_names_whose_hashes_collide_are_refused(rules_copy: Path) -> None:
    first, second = _colliding_names()
    derived = {"description": "probe", "values": ["a", "b"], "combine": "first", "default": "a"}
    rule = {
        "id": "screen.collision_probe",
        "when": {"all": [{"field": first, "equals": "b"}, {"field": second, "equals": "b"}]},
        "then": {"cautions": ["age_over_65"]},
        "rationale": "probe",
        "evidence": ["test"],
        "examples": {"fire": [{first: "b", second: "b"}], "not_fire": [{first: "a"}]},
    }
    files = {s["id"]: s["files"][0] for s in _manifest(rules_copy)["stages"]}
    edit(
        rules_copy,
        files["classify"],
        lambda d: d["derives"].update({first: derived, second: derived}),
    )
    edit(rules_copy, files["screen"], lambda d: d["rules"].append(rule))
    with pytest.raises(RuleBaseError, match="share a hash"):
        Recommender.from_path(rules_copy)


def _manifest(rules: Path) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml((rules / "rulebase.yaml").read_text(encoding="utf-8"))
    return data
