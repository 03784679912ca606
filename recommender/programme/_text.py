"""The words a printed or calendar programme shares with the CLI text, in one place.

The PDF and the calendar are built from the client view only; the sentences here join its
numbers and texts the same way on every surface, so a session is described once.
"""

from __future__ import annotations

from datetime import date

from ..views.client import ClientProgramme, ClientSchedulePhase
from ..views.render import minutes_words, phase_session, seconds_words, session_lines

__all__ = [
    "exercise_heading",
    "long_date",
    "minutes_words",
    "phase_session",
    "review_phases",
    "seconds_words",
    "session_lines",
]


def exercise_heading(number: int, name: str) -> str:
    """`3. Vowel shapes`: the number is the exercise's place in the session."""
    return f"{number}. {name}"


def long_date(day: date) -> str:
    """A date as people write it in England: 4 January 2027."""
    return f"{day.day} {day:%B %Y}"


def review_phases(programme: ClientProgramme) -> list[ClientSchedulePhase]:
    """The phases that are reviews with the clinic, in schedule order."""
    return [phase for phase in programme.schedule if phase.review]
