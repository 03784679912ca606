"""The client view and the clinician summary: what each audience gets, and the proof's parts.

The whole-space proof runs in `facesym verify` (tests/test_verify_client.py); these tests
check its pieces quickly: the scanner, the structure check, the catalogue parts, and the
real client view and CLI text of every example and clinical scenario.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import click
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from recommender import Recommendation, Recommender
from recommender.contract.recommendation import CATEGORIES, PATHWAYS, URGENCIES
from recommender.proof.client_check import ClientProof, structure_problems
from recommender.rulebase.yamlio import load_yaml
from recommender.views.client import (
    HOW_SOON_WORDS,
    NEXT_STEP_WORDS,
    ClientCard,
    ClientRecommendation,
)
from recommender.views.clinician import CATEGORY_WORDS
from recommender.views.render import render_client

from .conftest import EXAMPLES
from .test_scenarios import FILES as SCENARIO_FILES

CLINICIAN_ONLY = {"category", "injectable_options", "cautions", "explanation", "red_flags"}


def every_answers_file() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json")) + list(SCENARIO_FILES)


def answers_in(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    answers: dict[str, object] = data.get("answers", data)
    return answers


@pytest.fixture(scope="module")
def proof(recommender: Recommender) -> ClientProof:
    return ClientProof(recommender.rulebase)


# --- the scanner ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Yes, both close fully (both_close)",
        "To book: Facial exercise coaching (EX-COACH)",
        "Likely category: M1",
        "Why: rules classify.m1_weak_side, plan.weak_muscle_exercises.",
        "Red flag R12 fired",
        "Ask us about Botox.",
        "A toxin could help.",
        "One to three hours (1_to_3h)",
    ],
)
def test_the_scanner_catches_codes_and_forbidden_words(proof: ClientProof, text: str) -> None:
    assert proof.checker.problems(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Call 999 or go to A&E now.",
        "Call NHS 111, or 999 in an emergency.",
        "Which parts of your face look uneven to you? Choose all that apply.",
        "Lips or smile",
        "A 20-week routine with check-ins at weeks 8 and 20.",
    ],
)
def test_the_scanner_leaves_plain_english_alone(proof: ClientProof, text: str) -> None:
    assert proof.checker.problems(text) == [], text


def test_the_codes_come_from_the_contract_and_the_rule_base_ids(
    recommender: Recommender, proof: ClientProof
) -> None:
    rulebase = recommender.rulebase
    codes = proof.checker.codes
    assert {"both_close", "not_sure", "M1", "N0"} <= codes
    assert {code for code in rulebase.services if not code.islower()} <= codes
    assert {rule.id for rule in rulebase.all_rules()} <= codes
    assert {caution for caution in rulebase.cautions if "_" in caution} <= codes
    assert set(rulebase.derived["red_flags"].values) <= codes
    assert not codes & {"lips", "stable", "yes", "no", "info", "warning", "critical"}


# --- the proof's structure and parts -------------------------------------------------------


def test_every_client_field_has_a_known_bounded_source(proof: ClientProof) -> None:
    assert structure_problems(proof.checker) == []


def test_a_text_field_without_a_source_or_an_open_type_is_a_finding(proof: ClientProof) -> None:
    class Leaky(BaseModel):
        next_step: str
        category: str
        score: int
        pathway: Literal["red_flag", "reassurance"]
        card: ClientCard

    found = structure_problems(proof.checker, Leaky)
    assert any("category is text with no declared source" in p for p in found)
    assert any("score has a type the proof cannot bound" in p for p in found)
    assert any("pathway may hold the code 'red_flag'" in p for p in found)
    assert not any("next_step" in p or "cards." in p for p in found)  # known paths pass


def test_the_shipped_catalogue_is_clean(proof: ClientProof) -> None:
    assert proof.catalogue_problems() == []
    sources = {part.source for part in proof.parts}
    assert sources == {
        "next_step_words",
        "how_soon_words",
        "card_summary",
        "card_detail",
        "service_name",
        "service_about",
        "region_label",
        "exercise_text",
        "illustration_text",
        "side_emphasis",
        "illustration_note",
        "session_note",
        "schedule_text",
        "stop_if",
    }


def test_the_word_tables_cover_every_pathway_and_urgency() -> None:
    assert set(NEXT_STEP_WORDS) == set(PATHWAYS)
    assert set(HOW_SOON_WORDS) == set(URGENCIES)
    assert set(CATEGORY_WORDS) == set(CATEGORIES)


def _edit_catalogue(root: Path, name: str, edit: object) -> str:
    manifest = load_yaml((root / "rulebase.yaml").read_text(encoding="utf-8"))
    path = root / manifest["catalogue"][name]
    data = load_yaml(path.read_text(encoding="utf-8"))
    found: str = edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return found


def test_a_code_in_a_card_or_an_exercise_is_found_by_id(rules_copy: Path) -> None:
    def card(data: dict[str, dict[str, dict[str, str]]]) -> str:
        card_id = next(iter(data["cards"]))
        data["cards"][card_id]["detail"] += " Ask for EX-COACH."
        return card_id

    def exercise(data: dict[str, dict[str, dict[str, str]]]) -> str:
        exercise_id = next(iter(data["exercises"]))
        data["exercises"][exercise_id]["how_to"] += " Only if both_close."
        return exercise_id

    card_id = _edit_catalogue(rules_copy, "cards", card)
    exercise_id = _edit_catalogue(rules_copy, "exercises", exercise)
    with Recommender.from_path(rules_copy) as broken:  # the loader does not look for codes
        found = ClientProof(broken.rulebase).catalogue_problems()
    assert any(f"card {card_id} detail" in p and "'EX-COACH'" in p for p in found), found
    assert any(f"exercise {exercise_id} how_to" in p and "'both_close'" in p for p in found)


# --- real views ------------------------------------------------------------------------------


def test_the_client_model_is_its_own_and_holds_no_clinician_field() -> None:
    assert not issubclass(ClientRecommendation, Recommendation)
    assert not CLINICIAN_ONLY & set(ClientRecommendation.model_fields)
    assert ClientRecommendation.model_config.get("extra") == "forbid"
    with pytest.raises(ValidationError):
        ClientRecommendation.model_validate(
            {
                "next_step": "x",
                "how_soon": None,
                "get_help_now": False,
                "stopped_early": False,
                "cards": [],
                "exercise_programme": None,
                "category": "M1",
            }
        )


@pytest.mark.parametrize("path", every_answers_file(), ids=lambda path: path.stem)
def test_every_example_and_scenario_gives_a_clean_client_view(
    recommender: Recommender, proof: ClientProof, path: Path
) -> None:
    full = recommender.recommend(answers_in(path))
    view = recommender.for_client(full)
    text = click.unstyle(render_client(view))
    assert proof.view_problems(view, text) == []
    shown = view.model_dump_json() + text
    for value in (*full.cautions, *(firing.rule for firing in full.explanation)):
        assert value not in shown
    assert all(option not in shown.lower() for option in ("toxin",))
    assert len(view.cards) == len(full.cards)
    assert view.get_help_now == (full.pathway == "red_flag")
    if full.exercise_programme is not None:
        assert view.exercise_programme is not None
        assert len(view.exercise_programme.exercises) == len(full.exercise_programme.exercises)


def test_bookings_are_named_and_the_code_stays_with_the_clinic(recommender: Recommender) -> None:
    path = EXAMPLES / "m1-weak-side-subtle.json"
    full = recommender.recommend(path.read_text(encoding="utf-8"))
    view = recommender.for_client(full)
    pairs = [(c.booking, v.booking) for c, v in zip(full.cards, view.cards, strict=True)]
    assert any(code for code, _ in pairs)
    for code, booking in pairs:
        if code is None:
            assert booking is None
        else:
            assert booking is not None
            service = recommender.rulebase.services[code]
            assert (booking.name, booking.about) == (service.label, service.description)
            assert code not in view.model_dump_json()


def test_the_clinician_summary_has_what_the_prescriber_needs(recommender: Recommender) -> None:
    path = EXAMPLES / "m2-overactive-within-weeks.json"
    full = recommender.recommend(path.read_text(encoding="utf-8"))
    summary = recommender.clinician_summary(full)
    assert summary.category == full.category
    assert summary.category_words == CATEGORY_WORDS[full.category]
    assert summary.injectable_options == full.injectable_options
    assert [c.id for c in summary.cautions] == full.cautions
    for note in summary.cautions:
        assert note.text == recommender.rulebase.cautions[note.id].text
        assert note.evidence
    assert summary.rules == full.explanation
    assert summary.red_flags == full.red_flags
