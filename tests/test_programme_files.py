"""The programme PDF and calendar, read back: what a person gets is what the plan says.

fpdf2 only writes PDFs, so the text is read back with pypdf; the calendar is parsed with
icalendar itself. Both are built from the client view of real answer sets.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from icalendar import Calendar, Event, vRecur
from pypdf import PdfReader

from recommender import Recommender
from recommender.programme.ics import BOOK_AHEAD, REMINDER_TIME, programme_calendar
from recommender.programme.pdf import plain, programme_pdf
from recommender.views.client import ClientProgramme
from recommender.views.client_text import ClientTextChecker

from .conftest import EXAMPLES, ROOT

MADE = date(2026, 12, 1)
START = date(2027, 1, 4)
ANSWER_SETS = [
    EXAMPLES / "m1-weak-side-subtle.json",
    ROOT / "tests" / "scenarios" / "exercises-jaw-clicking-no-vowels.json",
    ROOT / "tests" / "scenarios" / "n0-optional-programme.json",
]
CLINICIAN_WORDS = ("category", "toxin", "filler", "injectable", "prescriber", "why:")


def programme_for(recommender: Recommender, path: Path) -> tuple[ClientProgramme, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    recommendation = recommender.recommend(data.get("answers", data))
    programme = recommender.for_client(recommendation).exercise_programme
    assert programme is not None, path.name
    info = recommendation.rulebase
    return programme, f"{info.name} {info.version}"


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return flat(" ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("path", ANSWER_SETS, ids=lambda path: path.stem)
def test_the_pdf_holds_the_whole_programme_and_nothing_for_clinicians(
    recommender: Recommender, path: Path
) -> None:
    programme, rulebase = programme_for(recommender, path)
    data = programme_pdf(programme, MADE, rulebase)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for exercise in programme.exercises:
        assert f"{exercise.number}. {exercise.name}" in text
        for step in exercise.steps:
            assert flat(plain(step)) in text, step
    assert f"Each session takes about {programme.session_minutes} minutes" in text
    reviews = [phase for phase in programme.schedule if phase.review]
    assert [phase.weeks for phase in reviews] == ["8", "20"]
    for phase in reviews:
        assert f"Week {phase.weeks}: {flat(phase.what)}" in text
    for item in programme.stop_if:
        assert flat(item) in text
    assert "When to stop and get help" in text
    assert f"Made on 1 December 2026 with the rule base {rulebase}." in text
    assert rulebase.split()[-1] == recommender.rulebase.version
    assert ClientTextChecker(recommender.rulebase).problems(text) == []
    lowered = text.lower()
    assert not [word for word in CLINICIAN_WORDS if word in lowered]


def test_text_outside_the_standard_fonts_is_made_plain_not_fatal() -> None:
    assert (
        plain("Don\u2019t \u201cforce\u201d it \u2013 ever \u2603") == 'Don\'t "force" it - ever ?'
    )


def events(data: bytes) -> list[Event]:
    calendar = Calendar.from_ical(data)
    found: list[Event] = []
    for component in calendar.walk("VEVENT"):
        assert isinstance(component, Event)
        found.append(component)
    return found


def test_the_calendar_starts_week_one_on_the_chosen_day(recommender: Recommender) -> None:
    programme, rulebase = programme_for(recommender, ANSWER_SETS[0])
    stamp = datetime(2026, 12, 1, 12, 0)
    found = events(programme_calendar(programme, START, rulebase, made=stamp))
    assert len(found) == len(programme.schedule)
    by_summary = {str(event["summary"]): event for event in found}
    minutes = programme.session_minutes

    learn = by_summary["Learn: 1 to 2 supervised sessions"]
    assert learn.decoded("dtstart") == START - timedelta(weeks=1)
    assert learn.decoded("dtend") == START

    daily = by_summary[f"Face exercises (daily routine): about {minutes} minutes"]
    assert daily.decoded("dtstart") == START
    rule = daily["rrule"]
    assert isinstance(rule, vRecur)
    assert (rule["freq"], rule["interval"], rule["count"]) == (["DAILY"], [1], [56])
    for exercise in programme.exercises:
        assert f"{exercise.number}. {exercise.name}" in str(daily["description"])

    other = by_summary[f"Face exercises (every-other-day routine): about {minutes} minutes"]
    assert other.decoded("dtstart") == date(2027, 3, 1)  # week 9: 8 weeks after the start
    rule = other["rrule"]
    assert isinstance(rule, vRecur)
    assert (rule["freq"], rule["interval"], rule["count"]) == (["DAILY"], [2], [42])

    week8 = by_summary["Week 8: First review with the clinic"]
    week20 = by_summary["Week 20: Main review with the clinic"]
    assert week8.decoded("dtstart") == date(2027, 2, 22)  # first day of week 8
    assert week20.decoded("dtstart") == date(2027, 5, 17)  # first day of week 20
    for review in (week8, week20):
        triggers = sorted(alarm.decoded("trigger") for alarm in review.walk("VALARM"))
        assert triggers == [-BOOK_AHEAD, REMINDER_TIME]
        assert all(str(alarm["action"]) == "DISPLAY" for alarm in review.walk("VALARM"))

    keep = next(event for event in found if str(event["summary"]).startswith("Keeping it up"))
    assert keep.decoded("dtstart") == date(2027, 5, 24)  # week 21
    for event in found:
        assert event.walk("VALARM"), event["summary"]
        assert event.decoded("dtstamp").replace(tzinfo=None) == stamp
    assert len({str(event["uid"]) for event in found}) == len(found)


def test_the_calendar_text_is_client_text(recommender: Recommender) -> None:
    programme, rulebase = programme_for(recommender, ANSWER_SETS[1])
    found = events(programme_calendar(programme, START, rulebase))
    checker = ClientTextChecker(recommender.rulebase)
    for event in found:
        texts = [str(event["summary"]), str(event["description"])]
        texts += [str(alarm["description"]) for alarm in event.walk("VALARM")]
        for text in texts:
            assert checker.problems(text) == [], text
