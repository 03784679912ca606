"""The programme's schedule as calendar events with reminders, so the plan is kept.

Built with icalendar from the client view only. Week 1 starts on the day the person chooses;
week 0 (learning the moves) is the week before it. A routine with a fixed interval becomes
one repeating event; a review is an event across its week, with a reminder a week ahead to
book it. Events are all-day, because the programme sets no time of day; each reminder goes
off at REMINDER_TIME on its day.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from ..views.client import ClientProgramme, ClientSchedulePhase
from ._text import exercise_heading, minutes_words

REMINDER_TIME = timedelta(hours=9)
"""Reminders go off at 9 in the morning of the event's first day (all-day events start at
midnight, and a trigger counts from the start)."""

BOOK_AHEAD = timedelta(days=7)
"""A review's first reminder comes a week ahead, in time to book it."""

PRODID = "-//facesym//facial exercise programme//EN"


def week_start(start: date, week: int) -> date:
    """The first day of a programme week: week 1 begins on `start`, week 0 the week before."""
    return start + timedelta(weeks=week - 1)


def _alarm(trigger: timedelta, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)
    alarm.add("description", text)
    return alarm


def _event(uid: str, summary: str, first: date, days: int, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", first + timedelta(days=days))
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a reminder, not time taken out of the day
    return event


def _routine_description(programme: ClientProgramme, phase: ClientSchedulePhase) -> str:
    lines = [f"{phase.phase}, weeks {phase.weeks}: {phase.frequency}. {phase.what}"]
    if phase.minutes is not None:
        lines.append(f"{minutes_words(phase.minutes)}, the exercises in this order:")
    lines += [exercise_heading(e.number, e.name) for e in programme.exercises]
    lines.append("The steps for each are in your printed programme.")
    lines.append("Stop and get help if: " + " ".join(programme.stop_if))
    return "\n".join(lines)


def _phase_event(
    programme: ClientProgramme, phase: ClientSchedulePhase, start: date, uid: str
) -> Event:
    first = week_start(start, phase.first_week)
    weeks = 1 if phase.last_week is None else phase.last_week - phase.first_week + 1
    if phase.review:
        event = _event(
            uid, f"Week {phase.weeks}: {phase.phase} with the clinic", first, 7, phase.what
        )
        event.add_component(_alarm(-BOOK_AHEAD, f"Book your week {phase.weeks} review."))
        event.add_component(_alarm(REMINDER_TIME, f"Your week {phase.weeks} review is due."))
        return event
    if phase.every_days is not None:
        length = "" if phase.minutes is None else f": {minutes_words(phase.minutes).lower()}"
        summary = f"Face exercises ({phase.phase.lower()}){length}"
        event = _event(uid, summary, first, 1, _routine_description(programme, phase))
        count = -(-weeks * 7 // phase.every_days)
        event.add("rrule", {"freq": "daily", "interval": phase.every_days, "count": count})
        event.add_component(_alarm(REMINDER_TIME, f"Time for your face exercises{length}."))
        return event
    text = _routine_description(programme, phase) if phase.minutes is not None else phase.what
    summary = f"{phase.phase}: {phase.frequency}"
    event = _event(uid, summary, first, 1 if phase.last_week is None else weeks * 7, text)
    event.add_component(_alarm(REMINDER_TIME, summary))
    return event


def programme_calendar(
    programme: ClientProgramme, start: date, rulebase: str, made: datetime | None = None
) -> bytes:
    """Every phase and review of the schedule as events from `start` (week 1, day 1)."""
    stamp = made or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Facial exercise programme")
    for index, phase in enumerate(programme.schedule):
        key = f"{start.isoformat()}|{rulebase}|{index}|{phase.phase}".encode()
        uid = f"{hashlib.sha256(key).hexdigest()[:24]}@facesym"
        event = _phase_event(programme, phase, start, uid)
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
