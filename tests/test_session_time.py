"""The session length is what the shown exercises add up to, on every surface.

The expected minutes are worked out here from the catalogue file itself (read as plain YAML,
not through the models), for the exercises a person is actually shown, so a change to the
doses, the rests or the selection that the stated length does not follow fails here.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from recommender import Recommender, RuleBaseError
from recommender.views.render import render_client

from .conftest import EXAMPLES, ROOT

SCENARIOS = ROOT / "tests" / "scenarios"
CATALOGUE: dict[str, Any] = yaml.safe_load(
    (ROOT / "rules" / "catalogue" / "exercises.yaml").read_text(encoding="utf-8")
)

WITH_PROGRAMME = [
    EXAMPLES / "m1-weak-side-subtle.json",
    SCENARIOS / "m1-subtle-full-commitment.json",
    SCENARIOS / "m1-subtle-shorter-routine.json",
    SCENARIOS / "n0-optional-programme.json",
    SCENARIOS / "exercises-jaw-clicking-no-vowels.json",
    SCENARIOS / "exercises-over-65-no-neck-moves.json",
    SCENARIOS / "v1-subtle-exercise-only.json",
]


def answers_in(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    answers: dict[str, Any] = data.get("answers", data)
    return answers


def expected_minutes(names: list[str], commitment: str) -> int:
    """The catalogue's arithmetic by hand: reps x seconds x sets, plus every rest."""
    by_name = {e["name"]: e["timing"] for e in CATALOGUE["exercises"].values()}
    session = CATALOGUE["session"]
    one_round = 0
    for name in names:
        timing = by_name[name]
        sets = timing.get("sets", 1)
        one_round += sets * timing["reps"] * timing["seconds_each"]
        one_round += (sets - 1) * session["rest_between_sets_seconds"]
    one_round += (len(names) - 1) * session["rest_between_exercises_seconds"]
    rounds = session["rounds"][commitment]
    total: int = rounds * one_round + (rounds - 1) * session["rest_between_rounds_seconds"]
    return math.ceil(total / 60)


@pytest.mark.parametrize("path", WITH_PROGRAMME, ids=lambda path: path.stem)
def test_stated_minutes_are_the_sum_of_the_shown_exercises(
    recommender: Recommender, path: Path
) -> None:
    answers = answers_in(path)
    view = recommender.for_client(recommender.recommend(answers))
    programme = view.exercise_programme
    assert programme is not None, path.name
    names = [exercise.name for exercise in programme.exercises]
    minutes = expected_minutes(names, answers["exercise_commitment"])
    assert programme.session_minutes == minutes
    routine = [phase for phase in programme.schedule if phase.minutes is not None]
    assert len(routine) == 3  # daily, every other day, keeping it up
    assert all(phase.minutes == minutes for phase in routine)
    text = " ".join(click.unstyle(render_client(view)).split())
    assert f"Each session takes about {minutes} minutes: the {len(names)} exercises" in text
    assert len(re.findall(rf"About {minutes} minutes", text)) == 3
    assert "About 30 minutes" not in text


@pytest.mark.parametrize("path", WITH_PROGRAMME[:3], ids=lambda path: path.stem)
def test_exercises_are_numbered_in_session_order(recommender: Recommender, path: Path) -> None:
    view = recommender.for_client(recommender.recommend(answers_in(path)))
    assert view.exercise_programme is not None
    exercises = view.exercise_programme.exercises
    assert [e.number for e in exercises] == list(range(1, len(exercises) + 1))
    text = click.unstyle(render_client(view))
    for exercise in exercises:
        assert re.search(rf"^\s+{exercise.number}\.\s+{re.escape(exercise.name)}\b", text, re.M)
        for step in exercise.steps:
            assert " ".join(step.split()[:6]) in " ".join(text.split()), step


def test_every_catalogue_exercise_has_steps_and_a_timed_dose() -> None:
    for exercise_id, exercise in CATALOGUE["exercises"].items():
        assert len(exercise["how_to"].split()) >= 8, exercise_id
        assert len(exercise["steps"]) >= 2, exercise_id
        assert all(step.rstrip().endswith(".") for step in exercise["steps"]), exercise_id
        assert exercise["timing"]["reps"] >= 1, exercise_id
    assert CATALOGUE["session"]["review"], "rests and rounds are not in the brief: say so"


def test_schedule_week_numbers_say_what_the_weeks_text_says() -> None:
    for phase in CATALOGUE["schedule"]:
        first, last = phase["first_week"], phase.get("last_week")
        if last is None:
            expected = f"{first} onwards"
        elif first == last:
            expected = str(first)
        else:
            expected = f"{first} to {last}"
        assert phase["weeks"] == expected, phase["phase"]
    reviews = [phase["first_week"] for phase in CATALOGUE["schedule"] if phase.get("review")]
    assert reviews == [8, 20]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    timing: {reps: 15, seconds_each: 4}\n", "", "timing"),
        ("    frequency: Every day\n    routine: true\n", "    frequency: Every day\n", "routine"),
        ("  rounds: {full: 1, shorter: 1}\n", "  rounds: {full: 1}\n", "session rounds"),
        (
            "    last_week: 8\n    every_days: 1\n",
            "    last_week: 0\n    every_days: 1\n",
            "last_week",
        ),
    ],
)
def test_a_broken_timing_is_refused_naming_the_file(
    rules_copy: Path, old: str, new: str, expected: str
) -> None:
    path = rules_copy / "catalogue" / "exercises.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleBaseError, match=r"catalogue/exercises\.yaml") as raised:
        Recommender.from_path(rules_copy)
    assert expected in str(raised.value)
