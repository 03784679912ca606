"""A rule base that breaks a contract invariant gets its recommendation withheld, not repaired."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, UnsafeRecommendationError
from recommender.rulebase.yamlio import load_yaml

from .conftest import load_example
from .test_loader import edit

Data = dict[str, Any]


def files(rules: Path) -> dict[str, str]:
    manifest = load_yaml((rules / "rulebase.yaml").read_text(encoding="utf-8"))
    found = {stage["id"]: stage["files"][0] for stage in manifest["stages"]}
    found.update(manifest["catalogue"])
    return found


def booking_card(rules: Path, injectables: bool) -> str:
    names = files(rules)
    services = load_yaml((rules / names["services"]).read_text(encoding="utf-8"))["services"]
    cards: dict[str, Any] = load_yaml((rules / names["cards"]).read_text(encoding="utf-8"))["cards"]
    return next(
        card_id
        for card_id, card in cards.items()
        if card.get("booking") and services[card["booking"]]["injectables"] == injectables
    )


def add_rule(rules: Path, stage: str, rule_id: str, when: Data, then: Data) -> None:
    rule = {
        "id": rule_id,
        "priority": 0,
        "when": when,
        "then": then,
        "rationale": "unsafe probe",
        "evidence": ["test"],
        "examples": {"fire": [{}], "not_fire": [{}]},
    }

    def append(data: Data) -> None:
        data["rules"].append(rule)

    edit(rules, files(rules)[stage], append)


def withheld(rules: Path, answers: Data) -> str:
    with (
        Recommender.from_path(rules) as recommender,
        pytest.raises(UnsafeRecommendationError) as error,
    ):
        recommender.recommend(answers)
    return str(error.value)


Breaker = Callable[[Path], None]


def test_a_booking_beside_an_emergency_is_withheld(rules_copy: Path) -> None:
    card = booking_card(rules_copy, injectables=False)
    add_rule(
        rules_copy,
        "gate",
        "gate.unsafe_probe",
        {"field": "stroke_signs", "equals": "yes"},
        {"cards": [card]},
    )
    message = withheld(rules_copy, {"age": 40, "stroke_signs": "yes"})
    assert "offers a booking" in message


def test_injectables_for_a_seventeen_year_old_are_withheld(rules_copy: Path) -> None:
    card = booking_card(rules_copy, injectables=True)
    add_rule(
        rules_copy,
        "plan",
        "plan.unsafe_probe",
        {"field": "age", "lt": 18},
        {
            "set": {"pathway": "consultation_injectables"},
            "add": {"injectable_options": ["toxin"]},
            "cards": [card],
        },
    )
    message = withheld(rules_copy, {**load_example("m2-overactive-within-weeks"), "age": 17})
    assert "age 17 but injectable options" in message
    assert "books an injectables appointment" in message


def test_an_absolutely_contraindicated_option_is_withheld(rules_copy: Path) -> None:
    add_rule(
        rules_copy,
        "plan",
        "plan.unsafe_probe",
        {"field": "filler", "equals": "absolute"},
        {"add": {"injectable_options": ["filler"]}},
    )
    message = withheld(
        rules_copy, {**load_example("m2-overactive-within-weeks"), "pregnancy": "pregnant"}
    )
    assert "filler is absolutely contraindicated but offered" in message


def test_a_programme_after_facial_palsy_is_withheld(rules_copy: Path) -> None:
    add_rule(
        rules_copy,
        "plan",
        "plan.unsafe_probe",
        {"field": "palsy_history", "equals": True},
        {"set": {"pathway": "exercise_programme", "exercise_programme": "offer"}},
    )
    message = withheld(rules_copy, {**load_example("m1-weak-side-subtle"), "palsy_history": True})
    assert "nerve-related weakness sign" in message


def test_self_harm_without_crisis_card_first_is_withheld(rules_copy: Path) -> None:
    card = {
        "rank": -1,
        "indicator": "info",
        "summary": "probe",
        "detail": "probe",
        "source": ["test"],
        "booking": None,
    }
    edit(rules_copy, files(rules_copy)["cards"], lambda d: d["cards"].update(probe_card=card))
    add_rule(
        rules_copy,
        "gate",
        "gate.unsafe_probe",
        {"field": "self_harm_thoughts", "equals": "yes"},
        {"cards": ["probe_card"]},
    )
    message = withheld(
        rules_copy, {**load_example("n0-photos-reassurance"), "self_harm_thoughts": "yes"}
    )
    assert "crisis signposting is not the first card" in message


def test_the_default_rule_base_keeps_crisis_support_first(recommender: Recommender) -> None:
    for name in ("m1-weak-side-subtle", "m2-overactive-within-weeks", "s1-skeletal-bite"):
        answers = {**load_example(name), "self_harm_thoughts": "yes"}
        recommendation = recommender.recommend(answers)
        assert recommendation.cards[0].id == "crisis_support"
        assert recommendation.pathway == "clinician_conversation"
