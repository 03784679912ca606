"""Questions asked only when they can matter (`ask_when`): skipped, never guessed.

The proof that a skipped answer could never change the recommendation is `facesym verify`'s
(a whole-space walk, in test_verify.py, with a broken copy that reads a skipped answer).
These tests check the questionnaire flow, validation and the loader's rules for skipping,
and compare the real recommendation with and without the answer on real answer sets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recommender import AnswersError, Recommender, RuleBaseError
from recommender.intake.questions import skipped
from recommender.rulebase.loader import load_rulebase
from recommender.rulebase.yamlio import load_yaml

from .conftest import EXAMPLES, ROOT, load_example
from .test_next_question import walk

SKIPPED = "open_to_injectables"
ALL_VALUES = ("yes", "no", "info_first")


def aged(name: str, age: int) -> dict[str, Any]:
    return load_example(name) | {"age": age}


def compared(recommender: Recommender, answers: dict[str, Any]) -> dict[str, Any]:
    """What a skipped answer must not change: everything but the audit trail (the rules'
    matched answers, and which questions were asked)."""
    data = recommender.recommend(answers).model_dump(mode="json")
    for name in ("explanation", "rulebase", "not_asked"):
        data.pop(name)
    return data


def minors() -> list[dict[str, Any]]:
    """Complete answer sets of under-18s: the examples made younger, and every scenario of
    an under-18 that answers the whole questionnaire."""
    found = [aged(path.stem, age) for path in sorted(EXAMPLES.glob("*.json")) for age in (12, 17)]
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        if isinstance(answers.get("age"), int) and answers["age"] < 18 and SKIPPED in answers:
            found.append(answers)
    return found


def test_under_18_is_never_asked_about_injectables(recommender: Recommender) -> None:
    asked, answers = walk(recommender, aged("m2-overactive-within-weeks", 16))
    assert SKIPPED not in asked and SKIPPED not in answers
    assert skipped(recommender.rulebase.questions, answers) == [SKIPPED]
    adult, _ = walk(recommender, aged("m2-overactive-within-weeks", 18))
    assert SKIPPED in adult
    assert len(adult) == len(asked) + 1


def test_progress_counts_only_the_questions_this_person_is_asked(
    recommender: Recommender,
) -> None:
    for age, expected in ((16, False), (45, True)):
        answers: dict[str, Any] = {}
        source = aged("m1-weak-side-subtle", age)
        seen = []
        while (question := recommender.next_question(answers)) is not None:
            seen.append((question.position, question.total))
            answers[question.field] = source[question.field]
        positions = [position for position, _ in seen]
        assert positions == list(range(1, len(seen) + 1))
        assert seen[-1][1] == len(seen)  # the last question says "n of n"
        assert all(total == len(seen) for _, total in seen[1:])  # known once age is
        assert (SKIPPED in answers) is expected


@pytest.mark.parametrize("value", ALL_VALUES)
def test_a_skipped_answer_given_anyway_changes_nothing(
    recommender: Recommender, value: str
) -> None:
    """v1 questionnaires answer every question; a minor's answer to F3 is still accepted and
    gives exactly the result of leaving it out."""
    cases = minors()
    assert len(cases) >= 10
    for answers in cases:
        without = {k: v for k, v in answers.items() if k != SKIPPED}
        assert compared(recommender, without | {SKIPPED: value}) == compared(recommender, without)


def test_an_adult_who_leaves_it_out_has_not_finished(recommender: Recommender) -> None:
    answers = load_example("m2-overactive-within-weeks")
    del answers[SKIPPED]
    with pytest.raises(AnswersError) as caught:
        recommender.recommend(answers)
    problem = next(p for p in caught.value.problems if p.field == SKIPPED)
    assert problem.message == "required answer is missing"
    assert set(problem.allowed) == set(ALL_VALUES)


def test_the_clinician_sees_what_was_not_asked(recommender: Recommender) -> None:
    answers = aged("m1-weak-side-subtle", 16)
    del answers[SKIPPED]
    recommendation = recommender.recommend(answers)
    assert recommendation.not_asked == [SKIPPED]
    summary = recommender.clinician_summary(recommendation)
    assert [line.split()[0] for line in summary.not_asked] == ["F3"]
    assert recommender.for_client(recommendation).model_dump_json().count("F3") == 0
    given = recommender.recommend(aged("m1-weak-side-subtle", 16))
    assert given.not_asked == []  # answered anyway: nothing was left out


def test_the_question_says_when_it_is_asked(recommender: Recommender) -> None:
    question = next(q for q in recommender.questions() if q.field == SKIPPED)
    assert question.ask_when == {"field": "age", "gte": 18}


def _edit_question(rules: Path, field: str, **changes: Any) -> None:
    path = rules / "catalogue" / "questions.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"))
    question = next(q for q in data["questions"] if q["field"] == field)
    question.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML


@pytest.mark.parametrize(
    ("field", "changes", "message"),
    [
        ("goal", {"ask_when": {"field": "age", "gte": 18}}, "required by the contract"),
        (SKIPPED, {"ask_when": {"field": "distress", "equals": "none"}}, "an earlier question"),
        (
            SKIPPED,
            {"ask_when": {"field": "jaw_unable_to_eat", "equals": True}},
            "every client is asked",
        ),
        (SKIPPED, {"ask_when": {"field": "age", "gte": 500}}, "ask_when"),
        (
            SKIPPED,
            {"enable_when": {"field": "goal", "one_of": ["subtle"]}},
            "not both",
        ),
    ],
)
def test_a_skip_the_loader_cannot_accept_fails_the_load(
    rules_copy: Path, field: str, changes: dict[str, Any], message: str
) -> None:
    _edit_question(rules_copy, field, **changes)
    with pytest.raises(RuleBaseError, match=message) as caught:
        load_rulebase(rules_copy)
    assert caught.value.file == "catalogue/questions.yaml"
