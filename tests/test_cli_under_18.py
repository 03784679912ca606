"""What an under-18 reads: no routine it is not given, no booking or sentence twice.

Under 18 the exercise programme is withheld (brief 4c, `screen.under_18_exercises_after_review`)
and injectables are never offered (brief 4d), so the text must not point to a routine, and a
result that is only advice must not repeat itself. The questionnaires are every example and
scenario aged 16 (every age under 18 is one class for the rules), each also with one answer
changed to each of its other values, so the results cover every pathway an under-18 can
reach. Red-flag results are checked for the routine and the bookings too; their repeated
closing sentence is shared with adults' results (the gate's cards each stand alone) and is
left to the gate's own wording.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import click
import pytest

from recommender import AnswersError, Recommender
from recommender.contract.fields import field_specs
from recommender.views.client import ClientRecommendation
from recommender.views.render import render_client

from .conftest import EXAMPLES, ROOT
from .test_cli_support import example_path, run

ROUTINE = re.compile(r"\broutine\b|exercise programme|exercises below", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def base_answers() -> Iterator[dict[str, Any]]:
    for path in sorted([*EXAMPLES.glob("*.json"), *(ROOT / "tests/scenarios").glob("*.json")]):
        data = json.loads(path.read_text(encoding="utf-8"))
        answers = data.get("answers", data)
        if isinstance(answers, dict) and "age" in answers:
            yield answers


def one_answer_changed(answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield answers
    for name, spec in field_specs().items():
        if spec.kind == "choice":
            values: list[Any] = list(spec.values)
        elif spec.kind == "boolean":
            values = [False, True]
        elif spec.kind == "multi":
            values = [[value] for value in spec.values]
        else:
            continue
        for value in values:
            yield {**answers, name: value}


def under_18_views(recommender: Recommender) -> Iterator[ClientRecommendation]:
    seen: set[str] = set()
    for answers in base_answers():
        for changed in one_answer_changed(answers):
            try:
                recommendation = recommender.recommend({**changed, "age": 16})
            except AnswersError:  # an invalid combination (an event without after_event)
                continue
            view = recommender.for_client(recommendation)
            key = view.model_dump_json()
            if key not in seen:
                seen.add(key)
                yield view


@pytest.fixture(scope="module")
def views(recommender: Recommender) -> list[ClientRecommendation]:
    found = list(under_18_views(recommender))
    assert len(found) > 50  # many distinct results, not a handful
    return found


def sentences(text: str) -> list[str]:
    plain = " ".join(click.unstyle(text).split())
    return [part for part in SENTENCE.split(plain) if len(part) > 3]


def test_no_under_18_result_offers_a_programme_or_points_to_a_routine(
    views: list[ClientRecommendation],
) -> None:
    for view in views:
        assert view.exercise_programme is None
        text = click.unstyle(render_client(view))
        assert not ROUTINE.search(text), text


def test_no_under_18_result_shows_the_same_booking_twice(
    views: list[ClientRecommendation],
) -> None:
    for view in views:
        names = [card.booking.name for card in view.cards if card.booking is not None]
        assert len(names) == len(set(names)), names


def test_no_under_18_advice_result_says_the_same_sentence_twice(
    views: list[ClientRecommendation],
) -> None:
    advice = [view for view in views if not view.get_help_now]
    assert len(advice) > 20
    for view in advice:
        repeated = [s for s, n in Counter(sentences(render_client(view))).items() if n > 1]
        assert repeated == [], repeated


def test_a_16_year_old_with_normal_variation_is_reassured_without_a_routine(
    tmp_path: Any,
) -> None:
    answers = json.loads(example_path("n0-photos-reassurance").read_text(encoding="utf-8"))
    path = tmp_path / "teen.json"
    path.write_text(json.dumps({**answers, "age": 16}), encoding="utf-8")
    result = run("recommend", str(path))
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Your next step: Reassurance" in text
    assert "Some options are only for adults." in text
    assert "GP or dentist" in text
    assert text.count("To book: Conversation with a clinician") == 1
    assert not ROUTINE.search(text)
