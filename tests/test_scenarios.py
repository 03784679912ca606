"""The clinical scenario suite: realistic questionnaires with the next step the brief expects.

Each file in tests/scenarios/ holds the answers (complete, or stopped at the gate), a one-line
`why`, and `expected`: pathway, urgency, category, injectable options and whether a programme
is offered, plus optional checks (cards, cautions, red flags, exercises, rules that fired).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender
from recommender.fields import field_specs
from recommender.recommendation import PATHWAYS, Recommendation

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.json"))
REQUIRED_EXPECTED = {"pathway", "urgency", "category", "injectable_options", "exercise_programme"}
OPTIONAL_EXPECTED = {
    "red_flags",
    "first_card",
    "has_cards",
    "no_cards",
    "cautions",
    "no_cautions",
    "no_booking",
    "no_injectables_booking",
    "excluded_exercises",
    "included_exercises",
    "fired",
}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def all_scenarios() -> list[dict[str, Any]]:
    return [load(path) for path in FILES]


def is_complete(answers: dict[str, Any]) -> bool:
    return all(name in answers for name, spec in field_specs().items() if spec.required)


def check(recommender: Recommender, rec: Recommendation, expected: dict[str, Any]) -> list[str]:
    """Every way the recommendation differs from the expectation."""
    problems: list[str] = []
    card_ids = [card.id for card in rec.cards]

    def differ(what: str, got: object, want: object) -> None:
        if got != want:
            problems.append(f"{what}: got {got!r}, expected {want!r}")

    differ("pathway", rec.pathway, expected["pathway"])
    differ("urgency", rec.urgency, expected["urgency"])
    differ("category", rec.category, expected["category"])
    options = sorted(rec.injectable_options)
    differ("injectable_options", options, sorted(expected["injectable_options"]))
    differ("exercise_programme", rec.exercise_programme is not None, expected["exercise_programme"])
    missing_flags = set(expected.get("red_flags", [])) - set(rec.red_flags)
    if missing_flags:
        problems.append(f"red flags {sorted(missing_flags)} missing from {rec.red_flags}")
    if "first_card" in expected:
        differ("first card", card_ids[:1], [expected["first_card"]])
    for card in expected.get("has_cards", []):
        if card not in card_ids:
            problems.append(f"card {card} missing from {card_ids}")
    for card in expected.get("no_cards", []):
        if card in card_ids:
            problems.append(f"card {card} should not be shown")
    for caution in expected.get("cautions", []):
        if caution not in rec.cautions:
            problems.append(f"caution {caution} missing from {rec.cautions}")
    for caution in expected.get("no_cautions", []):
        if caution in rec.cautions:
            problems.append(f"caution {caution} should not be listed")
    booked = [card.booking for card in rec.cards if card.booking is not None]
    if expected.get("no_booking") and booked:
        problems.append(f"expected no booking, got {booked}")
    if expected.get("no_injectables_booking"):
        services = recommender.rulebase.services
        injectables = [code for code in booked if services[code].injectables]
        if injectables:
            problems.append(f"expected no injectables booking, got {injectables}")
    chosen = [e.id for e in rec.exercise_programme.exercises] if rec.exercise_programme else []
    for exercise in expected.get("excluded_exercises", []):
        if exercise in chosen:
            problems.append(f"exercise {exercise} should have been left out of {chosen}")
    for exercise in expected.get("included_exercises", []):
        if exercise not in chosen:
            problems.append(f"exercise {exercise} missing from {chosen}")
    fired = {firing.rule for firing in rec.explanation}
    for rule in expected.get("fired", []):
        if rule not in fired:
            problems.append(f"rule {rule} did not fire")
    return problems


def test_there_are_at_least_sixty_scenarios() -> None:
    assert len(FILES) >= 60


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_scenario_file_is_well_formed(path: Path) -> None:
    data = load(path)
    assert set(data) == {"why", "covers", "answers", "expected"}
    assert isinstance(data["why"], str) and data["why"].strip()
    assert "\n" not in data["why"], "the why is one line"
    expected = data["expected"]
    assert set(expected) >= REQUIRED_EXPECTED
    assert set(expected) <= REQUIRED_EXPECTED | OPTIONAL_EXPECTED


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_scenario_gets_the_expected_next_step(recommender: Recommender, path: Path) -> None:
    data = load(path)
    recommendation = recommender.recommend(data["answers"])
    problems = check(recommender, recommendation, data["expected"])
    assert not problems, f"{path.name} ({data['why']}): " + "; ".join(problems)


# --- what the suite must cover (issue 3, done-when) -------------------------------------------


def covered_tags() -> set[str]:
    return {tag for data in all_scenarios() for tag in data["covers"]}


def test_every_expressible_red_flag_has_a_scenario() -> None:
    flags = {flag for data in all_scenarios() for flag in data["expected"].get("red_flags", [])}
    expressible = {f"R{n}" for n in range(1, 18)} | {f"P{n}" for n in range(1, 6)}
    assert expressible <= flags, sorted(expressible - flags)
    # R18, R19 and R21 live outside the gate answers and route to medical_first
    assert {"R18", "R19", "R21"} <= covered_tags()


def test_every_category_has_a_scenario() -> None:
    categories = {data["expected"]["category"] for data in all_scenarios()}
    assert categories == {
        "N0",
        "M1",
        "M2",
        "M3",
        "S1",
        "S2",
        "D1",
        "V1",
        "V2",
        "L1",
        "T1",
        "unclear",
    }


def test_every_rule_fires_in_some_scenario(recommender: Recommender) -> None:
    fired = {
        firing.rule
        for data in all_scenarios()
        for firing in recommender.recommend(data["answers"]).explanation
    }
    rules = {rule.id for rule in recommender.rulebase.all_rules()}
    assert rules <= fired, f"rules no scenario exercises: {sorted(rules - fired)}"


def test_every_pathway_has_a_scenario() -> None:
    pathways = {data["expected"]["pathway"] for data in all_scenarios()}
    assert pathways == set(PATHWAYS)


@pytest.mark.parametrize("field", ["goal", "exercise_commitment", "open_to_injectables"])
def test_every_goal_answer_has_a_complete_scenario(field: str) -> None:
    seen = {data["answers"][field] for data in all_scenarios() if is_complete(data["answers"])}
    assert seen == set(field_specs()[field].values)


def test_every_contraindication_class_and_person_is_covered() -> None:
    needed = {
        "absolute",
        "defer",
        "caution",
        "under_18",
        "over_65",
        "pregnancy",
        "breastfeeding",
        "anticoagulants",
        "palsy_history",
        "wellbeing",
        "self_harm",
        "assessed_cause",
        "partial",
    }
    assert needed <= covered_tags(), sorted(needed - covered_tags())


def test_ages_and_wellbeing_signals_really_appear_in_the_answers() -> None:
    scenarios = all_scenarios()
    ages = {data["answers"]["age"] for data in scenarios}
    assert any(age < 18 for age in ages) and any(age >= 65 for age in ages)
    complete = [data["answers"] for data in scenarios if is_complete(data["answers"])]
    assert any(a["time_thinking"] == "over_3h" for a in complete)
    assert any(a["distress"] in ("severe", "extreme") for a in complete)
    assert any(a["avoidance"] == "often" for a in complete)
    assert any(a["hoped_result"] == "perfectly_even" for a in complete)
    assert any(a["self_harm_thoughts"] == "yes" for a in complete)
    assert any("assessed_cause" in a for a in complete)
    assert any(not is_complete(data["answers"]) for data in scenarios)
