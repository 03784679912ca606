"""The result page's programme files: the same PDF and calendar as `facesym programme`.

Both are built from the client view's exercise programme only (recommender.programme_pdf and
recommender.programme_ics, the writers the command line uses), so they hold nothing only a
clinician may see. The calendar starts on a day the person picks, next Monday by default.
"""

from __future__ import annotations

from datetime import date, timedelta

from recommender.contract.recommendation import Recommendation
from recommender.programme.ics import programme_calendar
from recommender.programme.pdf import programme_pdf
from recommender.views.client import ClientProgramme

PDF_NAME = "exercise-programme.pdf"
ICS_NAME = "exercise-programme.ics"


def next_monday(today: date) -> date:
    """The first Monday after today (a week on, when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def read_start(text: str | None, today: date) -> date | None:
    """The start date from the form (YYYY-MM-DD); next Monday when none is given; None when
    the text is not such a date."""
    if not text:
        return next_monday(today)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def rulebase_name(recommendation: Recommendation) -> str:
    info = recommendation.rulebase
    return f"{info.name} {info.version}"


def pdf_file(programme: ClientProgramme, recommendation: Recommendation, today: date) -> bytes:
    return programme_pdf(programme, today, rulebase_name(recommendation))


def calendar_file(programme: ClientProgramme, recommendation: Recommendation, start: date) -> bytes:
    return programme_calendar(programme, start, rulebase_name(recommendation))
