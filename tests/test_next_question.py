"""The questionnaire flow: one question at a time, in order, stopping early at a red flag."""

from __future__ import annotations

from typing import Any

import pytest

from recommender import AnswersError, Recommender
from recommender.contract.fields import field_specs

from .conftest import load_example


def walk(recommender: Recommender, source: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Answer each asked question from `source`; return the fields asked and the answers."""
    answers: dict[str, Any] = {}
    asked: list[str] = []
    while (question := recommender.next_question(answers)) is not None:
        assert question.field not in answers
        asked.append(question.field)
        answers[question.field] = source[question.field]
    return asked, answers


def test_first_question_is_the_age_check(recommender: Recommender) -> None:
    question = recommender.next_question({})
    assert question is not None
    assert (question.id, question.field, question.kind) == ("A1", "age", "integer")
    assert (question.minimum, question.maximum, question.position) == (0, 120, 1)
    assert question.required


def test_a_whole_questionnaire_is_asked_in_order(recommender: Recommender) -> None:
    source = load_example("m1-weak-side-subtle")
    asked, answers = walk(recommender, source)
    assert asked[:2] == ["age", "stroke_signs"]
    assert set(asked) == set(source)
    order = [q.field for q in recommender.questions()]
    assert asked == [field for field in order if field in source]
    assert recommender.recommend(answers).pathway == "exercise_programme"


def test_event_is_asked_only_after_an_event(recommender: Recommender) -> None:
    source = {
        **load_example("m1-weak-side-subtle"),
        "first_noticed": "after_event",
        "event": "dental",
    }
    asked, _ = walk(recommender, source)
    assert asked.index("first_noticed") < asked.index("event")
    plain, _ = walk(recommender, load_example("m1-weak-side-subtle"))
    assert "event" not in plain
    event = next(q for q in recommender.questions() if q.field == "event")
    assert event.enable_when is not None
    assert (event.enable_when.field, event.enable_when.one_of) == ("first_noticed", ["after_event"])


def test_the_assessors_field_is_never_asked(recommender: Recommender) -> None:
    asked, _ = walk(recommender, load_example("m2-overactive-within-weeks"))
    assert "assessed_cause" not in asked


def test_an_emergency_answer_ends_the_questionnaire(recommender: Recommender) -> None:
    answers = {"age": 52, "stroke_signs": "not_sure"}
    assert recommender.next_question(answers) is None
    recommendation = recommender.recommend(answers)
    assert (recommendation.pathway, recommendation.urgency) == ("red_flag", "emergency")
    assert recommendation.stopped_early


def test_a_partial_questionnaire_without_a_red_flag_is_incomplete(
    recommender: Recommender,
) -> None:
    answers = {"age": 52, "stroke_signs": "no"}
    question = recommender.next_question(answers)
    assert question is not None and question.field == "sudden_weakness"
    with pytest.raises(AnswersError) as error:
        recommender.recommend(answers)
    assert "sudden_weakness" in error.value.fields
    assert all(p.message == "required answer is missing" for p in error.value.problems)


def test_invalid_partial_answers_are_rejected(recommender: Recommender) -> None:
    with pytest.raises(AnswersError) as error:
        recommender.next_question({"age": 52, "stroke_signs": "perhaps"})
    assert error.value.fields == ("stroke_signs",)


def test_clients_see_positions_among_the_questions_they_are_asked(
    recommender: Recommender,
) -> None:
    asked = recommender.questions()
    assert all(not q.for_clinician for q in asked)
    assert [q.position for q in asked] == list(range(1, len(asked) + 1))
    assert {q.total for q in asked} == {len(asked)}
    clinician = [q for q in recommender.questions(include_clinician=True) if q.for_clinician]
    assert [q.field for q in clinician] == ["assessed_cause"]
    assert clinician[0].position is None


def test_list_questions_say_whether_none_may_be_chosen(recommender: Recommender) -> None:
    minimum = {q.field: q.min_items for q in recommender.questions() if q.multiple}
    assert minimum == {
        "injectables_warning_signs": 1,
        "regions": 1,
        "allergies": 0,
        "bleeding_risk": 0,
        "jaw_problems": 0,
    }


def test_every_field_has_one_question_with_labelled_options(recommender: Recommender) -> None:
    questions = recommender.questions(include_clinician=True)
    assert [q.field for q in questions] == list(dict.fromkeys(q.field for q in questions))
    assert {q.field for q in questions} == set(field_specs())
    for question in questions:
        spec = field_specs()[question.field]
        if spec.kind in ("choice", "multi"):
            assert [o.value for o in question.options] == list(spec.values)
        if spec.kind == "boolean":
            assert [o.value for o in question.options] == [True, False]
        assert all(option.label.strip() for option in question.options)
        assert question.multiple == (spec.kind == "multi")
