"""Answer validation: every rejection names the field and, where useful, the allowed values."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from recommender import AnswersError, Questionnaire, Recommender
from recommender.contract.fields import field_specs
from recommender.intake.answers import parse_answers

Build = Callable[..., dict[str, Any]]


def problems_of(error: pytest.ExceptionInfo[AnswersError]) -> dict[str, str]:
    return {problem.field: str(problem) for problem in error.value.problems}


def test_complete_answers_parse_as_complete(complete_answers: Build) -> None:
    parsed = parse_answers(complete_answers())
    assert parsed.complete
    assert isinstance(parsed.questionnaire(), Questionnaire)


def test_unknown_key_is_named_with_a_suggestion(complete_answers: Build) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(goall="subtle"))
    assert problems_of(error) == {
        "goall": "goall: is not a questionnaire field (did you mean goal?)"
    }


def test_wrong_value_names_field_and_allowed_values(complete_answers: Build) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(stroke_signs="maybe"))
    message = problems_of(error)["stroke_signs"]
    assert "'maybe' is not an allowed value" in message
    assert "allowed: yes, no, not_sure" in message


def test_wrong_list_item_names_field_and_allowed_values(complete_answers: Build) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(regions=["brows", "nose"]))
    assert "'nose'" in problems_of(error)["regions"]
    assert error.value.problems[0].allowed == field_specs()["regions"].values


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", True),
        ("age", 40.0),
        ("age", "40"),
        ("age", 121),
        ("age", -1),
        ("bite_problems", "yes"),
        ("bite_problems", 1),
        ("regions", "brows"),
        ("allergies", None),
    ],
)
def test_values_are_not_coerced(complete_answers: Build, field: str, value: object) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(**{field: value}))
    assert error.value.fields == (field,)


@pytest.mark.parametrize("field", ["regions", "allergies", "bleeding_risk", "jaw_problems"])
def test_list_answers_may_not_repeat(complete_answers: Build, field: str) -> None:
    value = [field_specs()[field].values[0]] * 2
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(**{field: value}))
    assert "repeated" in problems_of(error)[field]


def test_regions_may_not_be_empty_but_other_lists_may(complete_answers: Build) -> None:
    assert parse_answers(complete_answers(allergies=[], jaw_problems=[])).complete
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(regions=[]))
    assert "choose at least one" in problems_of(error)["regions"]


def test_event_is_required_after_an_event(
    recommender: Recommender, complete_answers: Build
) -> None:
    answers = complete_answers(first_noticed="after_event")
    assert parse_answers(answers).missing == ("event",)
    with pytest.raises(AnswersError) as error:
        recommender.recommend(answers)
    message = problems_of(error)["event"]
    assert "required answer is missing" in message
    assert "face_injury" in message


def test_event_without_after_event_is_rejected(complete_answers: Build) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(event="dental"))
    assert problems_of(error) == {"event": "event: answered only when first_noticed is after_event"}


def test_event_null_counts_as_not_answered(complete_answers: Build) -> None:
    assert parse_answers(complete_answers(event=None)).complete


def test_missing_required_answers_are_all_listed(
    recommender: Recommender, complete_answers: Build
) -> None:
    answers = complete_answers()
    del answers["goal"], answers["distress"]
    with pytest.raises(AnswersError) as error:
        recommender.recommend(answers)
    assert error.value.fields == ("goal", "distress")
    assert "allowed: subtle, within_weeks, immediate, advice_only" in str(error.value)


def test_every_problem_is_reported_at_once(complete_answers: Build) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(age=500, side="up", nonsense=1))
    assert set(error.value.fields) == {"age", "side", "nonsense"}


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "42", "", '{"age": NaN}'])
def test_bad_json_text_is_an_answers_error(raw: str) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(raw)
    assert error.value.fields == ("answers",)


def test_json_text_and_model_inputs_match_the_dict(
    recommender: Recommender, complete_answers: Build
) -> None:
    answers = complete_answers()
    from_dict = recommender.recommend(answers)
    assert recommender.recommend(json.dumps(answers)) == from_dict
    assert recommender.recommend(json.dumps(answers).encode()) == from_dict
    assert recommender.recommend(Questionnaire.model_validate(answers)) == from_dict


def test_long_values_are_shortened_in_messages(complete_answers: Build) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(complete_answers(side="x" * 100_000))
    assert len(str(error.value)) < 400


def test_questionnaire_json_schema_lists_every_field_and_value() -> None:
    schema = Questionnaire.model_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(field_specs())
    assert set(schema["required"]) == {n for n, s in field_specs().items() if s.required}
    assert "not_sure" in json.dumps(schema["properties"]["stroke_signs"])


def test_the_shared_field_specs_cannot_be_changed_by_a_caller() -> None:
    """One mapping serves the whole process (parsing, the questions, the proof's partition):
    a caller that could change it would change them all."""
    specs = field_specs()
    with pytest.raises(TypeError):
        specs["age"] = specs["side"]  # type: ignore[index]  # what a careless caller would do
    assert field_specs() is specs and specs["age"].kind == "integer"


def test_a_red_flag_in_the_valid_answers_survives_other_mistakes(
    recommender: Recommender, complete_answers: Build
) -> None:
    for answers in (
        {"age": "abc", "stroke_signs": "yes"},
        complete_answers(stroke_signs="not_sure", goal="soonish"),
    ):
        for call in (recommender.recommend, recommender.next_question):
            with pytest.raises(AnswersError) as error:
                call(answers)
            red_flag = error.value.red_flag
            assert red_flag is not None
            assert (red_flag.pathway, red_flag.urgency) == ("red_flag", "emergency")
            assert all(card.booking is None for card in red_flag.cards)


def test_no_red_flag_is_invented_for_invalid_answers(recommender: Recommender) -> None:
    with pytest.raises(AnswersError) as error:
        recommender.recommend({"age": "abc", "stroke_signs": "no"})
    assert error.value.red_flag is None
    assert error.value.valid_answers == {"stroke_signs": "no"}
