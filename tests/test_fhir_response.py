"""The FHIR R4 QuestionnaireResponse export: valid R4, conforming to the exported
Questionnaire, and read back to the very answers it was made from."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from recommender import AnswersError, Recommender
from recommender.intake.answers import parse_answers
from recommender.intake.questions import is_asked
from recommender.interop.fhir_export import fhir_questionnaire, fhir_response, rulebase_info
from recommender.interop.fhir_response import answers_from_response, questionnaire_response

from .conftest import EXAMPLES, load_example
from .fhir_checks import InvalidResourceError, check_response
from .test_scenarios import FILES as SCENARIO_FILES

Json = dict[str, Any]
AUTHORED = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)


def answers_of(path: Path) -> Json:
    """The answers of an example file, or of a scenario file (its `answers`)."""
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    return data["answers"] if path.parent.name == "scenarios" else data


ANSWER_FILES = sorted(EXAMPLES.glob("*.json")) + SCENARIO_FILES


@pytest.fixture(scope="module")
def questionnaires(recommender: Recommender) -> dict[bool, Json]:
    return {clinician: fhir_questionnaire(recommender, clinician) for clinician in (False, True)}


def answered(response: Json) -> dict[str, Json]:
    return {item["linkId"]: item for group in response["item"] for item in group["item"]}


def skipped_fields(recommender: Recommender, answers: dict[str, Any]) -> list[str]:
    """Fields of questions these answers skip (`ask_when`), answered or not."""
    return [
        q.field
        for q in recommender.rulebase.questions.questions
        if q.ask_when is not None and not is_asked(q, answers)
    ]


@pytest.mark.parametrize("path", ANSWER_FILES, ids=lambda path: path.stem)
def test_every_answers_file_exports_valid_and_reads_back(
    recommender: Recommender, questionnaires: dict[bool, Json], path: Path
) -> None:
    answers = answers_of(path)
    recommendation = recommender.recommend(answers)  # complete, or ended early by a red flag
    response = fhir_response(recommender, answers, AUTHORED)
    check_response(response, questionnaires["assessed_cause" in answers])
    complete = parse_answers(answers).complete
    assert response["status"] == ("completed" if complete else "in-progress")
    assert complete or recommendation.stopped_early
    read_back = answers_from_response(response)
    # An answer to a question these answers skip is not in the response (FHIR allows none
    # to a disabled item); it can change nothing, so the recommendation is the same.
    skipped_but_given = [f for f in skipped_fields(recommender, answers) if f in answers]
    assert read_back == {k: v for k, v in answers.items() if k not in skipped_but_given}
    again = recommender.recommend(read_back)
    assert again.model_copy(update={"not_asked": []}) == recommendation.model_copy(
        update={"not_asked": []}
    )


def test_the_export_covers_early_stops_and_clinician_answers() -> None:
    """The files above include both kinds that differ from a plain complete questionnaire."""
    kinds = [answers_of(path) for path in ANSWER_FILES]
    assert any(not parse_answers(answers).complete for answers in kinds)
    assert any("assessed_cause" in answers for answers in kinds)


def test_a_response_names_its_questionnaire_and_time(recommender: Recommender) -> None:
    response = fhir_response(recommender, load_example("m1-weak-side-subtle"), AUTHORED)
    base = recommender.rulebase
    assert response["questionnaire"] == f"urn:facesym:questionnaire:{base.name}|{base.version}"
    assert response["authored"] == "2027-01-04T09:30:00+00:00"
    other_zone = AUTHORED.astimezone(timezone(timedelta(hours=1)))
    again = fhir_response(recommender, load_example("m1-weak-side-subtle"), other_zone)
    assert again["authored"] == "2027-01-04T10:30:00+01:00"


def test_authored_defaults_to_now_in_utc(recommender: Recommender) -> None:
    response = fhir_response(recommender, load_example("m1-weak-side-subtle"))
    when = datetime.fromisoformat(response["authored"])
    assert when.utcoffset() == timedelta(0)


def test_authored_without_a_zone_is_refused(recommender: Recommender) -> None:
    with pytest.raises(ValueError, match="time zone"):
        fhir_response(recommender, load_example("m1-weak-side-subtle"), datetime(2027, 1, 4))


def test_nothing_identifies_the_person(recommender: Recommender) -> None:
    response = fhir_response(recommender, load_example("m2-overactive-within-weeks"), AUTHORED)
    assert set(response) == {"resourceType", "questionnaire", "status", "authored", "item"}


def test_a_list_answer_is_several_answers_and_none_is_no_answer(
    recommender: Recommender,
) -> None:
    answers = load_example("m1-weak-side-subtle")
    answers.update(regions=["brows", "lips"], allergies=[])
    items = answered(fhir_response(recommender, answers, AUTHORED))
    assert [a["valueCoding"]["code"] for a in items["regions"]["answer"]] == ["brows", "lips"]
    assert "answer" not in items["allergies"]  # answered: none of these
    assert answers_from_response(fhir_response(recommender, answers))["allergies"] == []


def test_unasked_follow_ups_are_left_out(recommender: Recommender) -> None:
    answers = load_example("m1-weak-side-subtle")
    assert answers["sudden_weakness"] == "no"
    items = answered(fhir_response(recommender, answers, AUTHORED))
    assert "severe_headache" not in items
    assert "event" not in items


def test_a_follow_up_is_answered_when_asked(
    recommender: Recommender, questionnaires: dict[bool, Json]
) -> None:
    answers = load_example("m1-weak-side-subtle")
    answers.update(first_noticed="after_event", event="dental")
    response = fhir_response(recommender, answers, AUTHORED)
    check_response(response, questionnaires[False])
    event = next(q for q in recommender.questions() if q.field == "event")
    label = next(option.label for option in event.options if option.value == "dental")
    assert answered(response)["event"]["answer"] == [
        {"valueCoding": {"system": "urn:facesym:field:event", "code": "dental", "display": label}}
    ]


def test_the_conformance_check_can_fail(
    recommender: Recommender, questionnaires: dict[bool, Json]
) -> None:
    response = fhir_response(recommender, load_example("m1-weak-side-subtle"), AUTHORED)
    wrong_code = copy.deepcopy(response)
    answered(wrong_code)["side"]["answer"][0]["valueCoding"]["code"] = "up"
    two_answers = copy.deepcopy(response)
    side = answered(two_answers)["side"]
    side["answer"] = side["answer"] * 2
    not_enabled = copy.deepcopy(response)
    gate = not_enabled["item"][0]["item"]
    gate.insert(3, {"linkId": "severe_headache", "text": gate[2]["text"], "answer": []})
    missing = copy.deepcopy(response)
    missing["item"][0]["item"].pop(0)  # age, required
    too_old = copy.deepcopy(response)
    answered(too_old)["age"]["answer"] = [{"valueInteger": 130}]
    bad_status = copy.deepcopy(response)
    bad_status["status"] = "done"
    for broken in (wrong_code, two_answers, not_enabled, missing, too_old, bad_status):
        with pytest.raises(InvalidResourceError):
            check_response(broken, questionnaires[False])


def test_invalid_answers_are_refused(recommender: Recommender) -> None:
    answers = load_example("m1-weak-side-subtle")
    answers["side"] = "up"
    with pytest.raises(AnswersError) as caught:
        fhir_response(recommender, answers)
    assert caught.value.fields == ("side",)


def test_a_clinician_answer_needs_the_clinician_question(recommender: Recommender) -> None:
    answers = load_example("m1-weak-side-subtle")
    answers["assessed_cause"] = "nerve"
    with pytest.raises(ValueError, match="assessed_cause"):
        questionnaire_response(recommender.questions(), rulebase_info(recommender), answers)
    response = fhir_response(recommender, answers, AUTHORED)
    assert response["questionnaire"].startswith(
        "urn:facesym:questionnaire:facesym-default:clinician|"
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"linkId": "shoe_size", "answer": [{"valueInteger": 9}]}, "not a questionnaire field"),
        ({"linkId": "side", "answer": [{"valueString": "left"}]}, "expected a choice answer"),
        (
            {"linkId": "side", "answer": [{"valueCoding": {"system": "urn:x", "code": "left"}}]},
            "coded in urn:facesym:field:side",
        ),
        ({"linkId": "age", "answer": []}, "exactly one answer"),
    ],
)
def test_reading_back_names_the_bad_item(item: Json, message: str) -> None:
    response = {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "g", "item": [item]}]}
    with pytest.raises(ValueError, match=message):
        answers_from_response(response)
