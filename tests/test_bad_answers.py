"""Regressions for answers that used to escape as the wrong exception or take seconds.

Each case comes from the 2026-12-01 reliability review (F1, F2, F3, F5): the rejection is an
`AnswersError` naming the field, and a red flag shown by the valid answers is still attached.
How fast these are rejected is measured by scripts/bad_input_timing.py, not here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from recommender import AnswersError, Recommender
from recommender.contract._preview import PREVIEW_LENGTH, preview
from recommender.contract.fields import field_specs
from recommender.intake.answers import MAX_ANSWERS_TEXT, MAX_UNKNOWN_KEYS, key_label, parse_answers

STROKE = {"age": 40, "stroke_signs": "yes"}


def nested(depth: int, leaf: object = "no") -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def nested_tuple(depth: int) -> object:
    value: object = "no"
    for _ in range(depth):
        value = (value,)
    return value


def rejection(recommender: Recommender, call: str, answers: object) -> AnswersError:
    with pytest.raises(AnswersError) as error:
        getattr(recommender, call)(answers)
    return error.value


@pytest.mark.parametrize("call", ["recommend", "next_question"])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("side", nested(5_000)),  # F1: repr() of this raised RecursionError
        ("regions", [nested(5_000)]),
        ("side", {"k": nested(5_000)}),
        ("age", 10**5000),  # F2: repr() of this raised ValueError (4,300-digit limit)
        ("age", -(10**5000)),
        ("allergies", ["lidocaine"] * 100_000),  # F3: the no-repeats check was quadratic
        ("jaw_problems", [object()] * 100_000),
        ("side", "x" * 1_000_000),
        ("bite_problems", float("nan")),
        ("side", b"left"),
    ],
    ids=[
        "deep-list",
        "deep-list-item",
        "deep-dict",
        "huge-int",
        "huge-negative-int",
        "many-repeats",
        "many-junk-items",
        "huge-text",
        "nan",
        "bytes",
    ],
)
def test_a_bad_value_is_an_answers_error_that_keeps_the_red_flag(
    recommender: Recommender, call: str, field: str, value: object
) -> None:
    error = rejection(recommender, call, {**STROKE, field: value})
    assert error.fields == (field,)
    assert error.red_flag is not None
    assert (error.red_flag.pathway, error.red_flag.urgency) == ("red_flag", "emergency")
    assert len(str(error)) < 400


def test_a_list_longer_than_its_values_is_refused_by_its_length() -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers({"allergies": ["lidocaine"] * 100_000})
    problem = error.value.problems[0]
    allowed = field_specs()["allergies"].values
    assert (
        problem.message
        == f"has 100,000 items; each value may be chosen once, so at most {len(allowed)}"
    )
    assert problem.allowed == allowed


def test_a_list_as_long_as_its_values_is_still_checked_for_repeats() -> None:
    values = field_specs()["regions"].values
    repeated = [values[0]] * len(values)
    with pytest.raises(AnswersError) as error:
        parse_answers({"regions": repeated})
    assert "repeated: brows" in error.value.problems[0].message


def test_a_huge_unknown_key_is_named_shortly_without_a_suggestion() -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers({"goal" + "x" * 10_000_000: "subtle"})
    problem = error.value.problems[0]
    assert len(problem.field) == PREVIEW_LENGTH
    assert problem.message == "is not a questionnaire field"


def test_a_short_mistyped_key_still_gets_a_suggestion() -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers({"stroke_sign": "yes"})
    assert error.value.problems[0].message.endswith("(did you mean stroke_signs?)")


def test_a_million_unknown_keys_are_named_a_few_then_counted(recommender: Recommender) -> None:
    answers: dict[str, Any] = {f"k{i}": i for i in range(1_000_000)}
    error = rejection(recommender, "recommend", {**answers, **STROKE})
    assert error.fields == (*[f"k{i}" for i in range(MAX_UNKNOWN_KEYS)], "answers")
    assert (
        error.problems[-1].message
        == f"and {1_000_000 - MAX_UNKNOWN_KEYS:,} more keys that are not fields"
    )
    assert error.red_flag is not None


@pytest.mark.parametrize("key", ["\ud800", "line\nbreak", "  ", 7, (1, 2), nested_tuple(3_000)])
def test_an_odd_key_is_named_in_printable_encodable_text(key: object) -> None:
    with pytest.raises(AnswersError) as error:
        # Any: the odd key sits beside STROKE's str keys (a dict[object, ...] would refuse them)
        answers: dict[Any, object] = {key: 1, **STROKE}
        parse_answers(answers)
    (problem,) = error.value.problems
    assert problem.field == key_label(key) == preview(key)
    assert problem.field.isprintable()
    str(error.value).encode("utf-8")  # a web page or terminal can show it


def test_key_labels_are_stable_so_a_form_can_send_them_back() -> None:
    for key in ["\ud800", "x" * 100, "tab\there", "age"]:
        assert key_label(key_label(key)) == key_label(key)
    assert key_label("age") == "age"


def test_json_text_longer_than_any_questionnaire_is_refused_unread() -> None:
    padded = json.dumps(STROKE) + " " * MAX_ANSWERS_TEXT
    for text in (padded, padded.encode()):
        with pytest.raises(AnswersError) as error:
            parse_answers(text)
        assert error.value.fields == ("answers",)
        assert "too long for a questionnaire" in error.value.problems[0].message
    assert parse_answers(json.dumps(STROKE) + " " * 1_000).values == STROKE


@pytest.mark.parametrize(
    "text",
    [
        '{"age": 40, "side": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"age": 1' + "0" * 5_000 + "}",
        b'{"age": 40, "side": "\xff"}',
        '{"\\ud800": 1, "age": 40}',
    ],
    ids=["deep", "huge-int", "not-utf8", "surrogate-key"],
)
def test_bad_json_text_is_an_answers_error(text: str | bytes) -> None:
    with pytest.raises(AnswersError) as error:
        parse_answers(text)
    assert error.value.problems
    str(error.value).encode("utf-8")


def test_a_key_given_twice_in_json_text_is_refused(recommender: Recommender) -> None:
    """Two values for one answer are ambiguous: refused, never the last one silently."""
    with pytest.raises(AnswersError) as error:
        recommender.recommend('{"age": 45, "stroke_signs": "no", "age": 16}')
    (problem,) = error.value.problems
    assert problem.field == "answers" and "more than once" in problem.message


def test_json_text_nested_too_deeply_says_so_in_plain_words(recommender: Recommender) -> None:
    text = '{"age": 40, "side": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(AnswersError) as error:
        recommender.recommend(text)
    (problem,) = error.value.problems
    assert problem.field == "answers" and "nested too deeply" in problem.message
    assert "recursion" not in problem.message
