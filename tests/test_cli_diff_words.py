"""`facesym diff` in words a prescriber reads, with example people `recommend -` accepts.

No test here walks a whole rule base (that takes minutes; tests/test_diff.py does it). The
report's wording is checked on reports built by hand, the example people on the end classes
of a walk of the gate stage alone (the same walk machinery, a fraction of a second), and the
age a person is given on every age and every example questionnaire.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, default_rules_path
from recommender.contract.constants import ADULT_AGE
from recommender.engine.compiler import compile_rulebase
from recommender.proof._space import FieldClasses, Space, answers_from
from recommender.proof._walk import Track, Walk
from recommender.proof.diff import ChangeGroup, DiffReport, client_age, outcome, render, share_words

from .conftest import EXAMPLES, ROOT, load_example
from .test_cli_support import run


@pytest.fixture(scope="module")
def ages(recommender: Recommender) -> FieldClasses:
    return Space([recommender.rulebase, recommender.rulebase]).fields["age"]


def test_an_example_age_stays_in_its_class_and_reads_as_a_real_client(
    ages: FieldClasses,
) -> None:
    for age in range(0, 121):
        moved = client_age(ages, age)
        assert ages.signature(moved) == ages.signature(age), age
        if age >= ADULT_AGE:
            assert ADULT_AGE <= moved <= 90, (age, moved)
        else:
            assert 12 <= moved < ADULT_AGE, (age, moved)
    assert client_age(ages, 0) == 16 and client_age(ages, 64) == 40


def questionnaires() -> list[dict[str, Any]]:
    found = []
    for path in sorted([*EXAMPLES.glob("*.json"), *(ROOT / "tests/scenarios").glob("*.json")]):
        data = json.loads(path.read_text(encoding="utf-8"))
        answers = data.get("answers", data)
        if isinstance(answers, dict) and "age" in answers:
            found.append(answers)
    return found


def test_moving_the_age_within_its_class_never_changes_the_result(
    recommender: Recommender, ages: FieldClasses
) -> None:
    """The walk's representative (the lowest age of a class) and the age shown decide alike."""
    checked = 0
    for answers in questionnaires():
        for representative in (0, 17, 18, 64, 65, 120):
            walked = recommender.recommend({**answers, "age": representative})
            shown = recommender.recommend({**answers, "age": client_age(ages, representative)})
            assert outcome(walked) == outcome(shown), (answers, representative)
            assert [c.id for c in walked.cards] == [c.id for c in shown.cards]
            checked += 1
    assert checked > 100


def test_every_example_person_of_a_walk_is_accepted_by_recommend(
    recommender: Recommender,
) -> None:
    """End classes of a real walk (the gate alone), made into example people as `diff` does."""
    space = Space([recommender.rulebase, recommender.rulebase])
    walk = Walk(space, [Track(recommender.rulebase, compile_rulebase(recommender.rulebase)[:1])])
    ends: list[Any] = []
    walk.run(ends.append)
    assert len(ends) > 1000
    seen_ages = set()
    for end in ends[::7]:
        person = answers_from(end.assignment)
        person["age"] = client_age(space.fields["age"], person["age"])
        seen_ages.add(person["age"])
        recommender.recommend(json.dumps(person))  # raises if not a complete questionnaire
    assert seen_ages == {16, 40, 65}
    line = json.dumps(person)
    result = run("recommend", "-", "--format", "json", input=line)
    assert result.exit_code == 0, result.stderr


def report_with(groups: list[ChangeGroup], total: int = 10**30) -> DiffReport:
    return DiffReport("/clinic/old-rules", "/clinic/new-rules", groups, total, 45_000)


def test_the_report_says_shares_and_changes_in_words() -> None:
    adult = {**load_example("n0-photos-reassurance"), "age": 40}
    teen = {**load_example("m1-weak-side-subtle"), "age": 16}
    groups = [
        ChangeGroup(
            (
                ("pathway", "exercise_programme", "medical_first"),
                ("exercise_programme", True, False),
            ),
            red_flag=False,
            under_18=True,
            questionnaires=3 * 10**26,
            classes=4,
            example=teen,
        ),
        ChangeGroup(
            (("pathway", "reassurance", "clinician_conversation"),),
            red_flag=False,
            under_18=False,
            questionnaires=10**27,
            classes=9,
            example=adult,
        ),
    ]
    text = render(report_with(groups), width=79)
    assert "e+" not in text and "{'" not in text  # no exponents, no Python dicts
    assert "0.13% (about 1 in 770) get a different result, in 2 groups of change" in " ".join(
        text.split()
    )
    words = " ".join(text.split())
    assert (
        "1. [under 18] 23% of the changes, 0.03% (about 1 in 3,300) of all questionnaires:" in words
    )
    assert 'next step changes from "A facial exercise programme" to "See your GP or' in words
    assert "exercise programme changes from offered to not offered" in words
    assert "2. 77% of the changes, 0.1% (about 1 in 1,000) of all questionnaires:" in words
    assert all(len(line) <= 79 for line in text.splitlines() if not line.startswith("{"))
    examples = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert examples == [teen, adult]


def test_each_printed_example_line_runs_through_recommend(tmp_path: Path) -> None:
    person = {**load_example("s1-skeletal-bite"), "age": 40}
    group = ChangeGroup((("category", "S1", "D1"),), False, False, 5, 1, person)
    text = render(report_with([group], total=10))
    line = next(line for line in text.splitlines() if line.startswith("{"))
    result = run("recommend", "-", input=line)
    assert result.exit_code == 0, result.stderr
    assert "Your next step:" in result.stdout
    assert "likely category changes from S1 (skeletal (bone) difference) to D1" in text


def test_identical_rule_bases_say_so_in_words() -> None:
    rules = str(default_rules_path())
    result = run("diff", rules, rules)
    assert result.exit_code == 0, result.stderr
    words = " ".join(result.stdout.split())
    assert "No questionnaire gets a different result" in words and "nothing was walked" in words


@pytest.mark.parametrize(
    ("part", "whole", "words"),
    [
        (1, 3, "33%"),
        (1, 610, "0.16% (about 1 in 610)"),
        (3, 10**9, "about 1 in 330 million"),
        (1819, 110_900_000_000_000, "about 1 in 61 billion"),
        (0, 10, "none"),
    ],
)
def test_shares_read_as_people_say_them(part: int, whole: int, words: str) -> None:
    assert share_words(part, whole) == words
