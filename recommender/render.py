"""A client's view of a recommendation as text a person can read on an 80-column terminal.

Built only from `ClientRecommendation`, never from the full recommendation, so nothing a
clinician alone may see can reach this text (the clinician's part is `render_clinician`).
Styled with click (see `cli_style`); `click.unstyle` gives the plain text. Pure formatting:
every decision shown here was made by the rule base.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from .cli_style import alarm, heading, warning
from .client_view import ClientCard, ClientProgramme, ClientRecommendation, ClientSchedulePhase

WIDTH = 79
"""One short of 80, so no terminal wraps a full line on its own."""


def wrap(
    text: str,
    indent: str = "  ",
    first: str | None = None,
    width: int = WIDTH,
    break_long_words: bool = True,
) -> list[str]:
    """Wrap to `width`; `first` replaces the indent on the first line (for bullets)."""
    return textwrap.wrap(
        " ".join(text.split()),
        width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=break_long_words,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]
) -> list[str]:
    """A plain table, each cell wrapped within its column; two spaces between columns."""

    def line(cells: Sequence[str]) -> list[str]:
        wrapped = [
            textwrap.wrap(cell, width) or [""] for cell, width in zip(cells, widths, strict=True)
        ]
        height = max(len(column) for column in wrapped)
        out = []
        for index in range(height):
            parts = [
                (column[index] if index < len(column) else "").ljust(width)
                for column, width in zip(wrapped, widths, strict=True)
            ]
            out.append(("  " + "  ".join(parts)).rstrip())
        return out

    lines = [heading(text) for text in line(headers)]
    lines.append("  " + "  ".join("-" * width for width in widths))
    for row in rows:
        lines += line(row)
    return lines


def red_flag_banner(view: ClientRecommendation) -> list[str]:
    """The critical cards of an emergency or urgent outcome, framed so they come first."""
    rule = alarm("=" * WIDTH)
    lines = [rule, alarm("  PLEASE STOP HERE AND GET MEDICAL HELP.")]
    if view.how_soon:
        lines += [alarm(text) for text in wrap(view.how_soon)]
    for card in view.cards:
        if card.indicator == "critical":
            lines += ["", *(alarm(text) for text in wrap(card.summary))]
            lines += wrap(card.detail)
    lines += [rule]
    return lines


def render_card(card: ClientCard) -> list[str]:
    marker = {"critical": alarm("!!"), "warning": warning("! "), "info": "* "}[card.indicator]
    summary = wrap(card.summary, "   ", first="")
    lines = [f"{marker} {heading(summary[0])}", *summary[1:]]
    lines += wrap(card.detail, "   ")
    if card.booking is not None:
        lines += wrap(f"To book: {card.booking.name}", "     ", first="   ")
        lines += wrap(card.booking.about, "     ")
    return lines


def minutes_words(minutes: int) -> str:
    """A session length as it is said: about 1 minute, about 12 minutes."""
    return f"About {minutes} minute{'' if minutes == 1 else 's'}"


def phase_session(phase: ClientSchedulePhase) -> str:
    """What one session of a phase is: its computed length, or the catalogue's words."""
    return minutes_words(phase.minutes) if phase.minutes is not None else phase.session or ""


def seconds_words(seconds: int) -> str:
    """A rest or an exercise's length in plain words (under two minutes in seconds)."""
    if seconds < 120:
        return f"{seconds} seconds"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} minutes" + (f" {rest} seconds" if rest else "")


def session_lines(programme: ClientProgramme) -> list[str]:
    """How one session runs, in words built from the same numbers as its length."""
    count = len(programme.exercises)
    times = "once" if programme.rounds == 1 else f"{programme.rounds} times"
    text = (
        f"Each session takes about {programme.session_minutes} minutes: the {count} exercises"
        f" below, in their numbered order, {times} through. Rest about"
        f" {programme.rest_between_sets_seconds} seconds between sets and about"
        f" {programme.rest_between_exercises_seconds} seconds before the next exercise."
    )
    return [text, programme.session_note]


def schedule_table(schedule: Sequence[ClientSchedulePhase]) -> list[str]:
    rows = [
        (
            phase.weeks,
            phase.phase + (" *" if phase.review else ""),
            phase.frequency,
            phase_session(phase),
        )
        for phase in schedule
    ]
    lines = table(("Weeks", "Phase", "How often", "Each session"), rows, (10, 18, 22, 20))
    reviews = [phase for phase in schedule if phase.review]
    if reviews:
        lines += ["", "  * A review with the clinic:"]
        for phase in reviews:
            lines += wrap(f"week {phase.weeks}: {phase.what}", "      ", first="    - ")
    return lines


DRAWINGS_WHERE = (
    "Each exercise has a drawing in the printable programme: run facesym programme with"
    " your saved answers and --pdf FILE (see facesym programme --help)."
)
"""A terminal cannot show the drawings, so the text says where they are."""


def render_programme(programme: ClientProgramme) -> list[str]:
    lines = [heading("Your exercise programme"), *wrap(f"Areas: {', '.join(programme.areas)}")]
    for text in session_lines(programme):
        lines += ["", *wrap(text)]
    lines += ["", *wrap(DRAWINGS_WHERE)]
    if programme.illustration_note:
        lines += wrap(programme.illustration_note)
    lines.append("")
    for exercise in programme.exercises:
        title = wrap(
            f"{exercise.name}  ({exercise.dose}; about {seconds_words(exercise.seconds)})",
            "       ",
            first=f"  {exercise.number:>2}.  ",
        )
        lines += [heading(title[0]), *title[1:]]
        for step in exercise.steps:
            lines += wrap(step, "         ", first="       - ")
        if exercise.caution:
            lines += wrap(f"Take care: {exercise.caution}", "       ")
    lines += ["", "  Which side", *wrap(programme.side_emphasis, "    ")]
    lines += ["", "  Your 20-week schedule", *schedule_table(programme.schedule)]
    lines += ["", "  Stop and get advice if:"]
    for item in programme.stop_if:
        lines += wrap(item, "      ", first="    - ")
    return lines


def render_client(view: ClientRecommendation) -> str:
    """The client's recommendation: red flags first, next step, cards, programme."""
    lines: list[str] = []
    if view.get_help_now:
        lines += [*red_flag_banner(view), ""]
    lines.append(heading(f"Your next step: {view.next_step}"))
    if view.how_soon and not view.get_help_now:
        lines += wrap(f"How soon: {view.how_soon}")
    if view.stopped_early:
        lines += wrap(
            "Because of a safety answer, getting medical help comes before anything"
            " else; nothing more is needed from you for now."
        )
    for card in view.cards:
        if not (view.get_help_now and card.indicator == "critical"):
            lines += ["", *render_card(card)]
    if view.exercise_programme is not None:
        lines += ["", *render_programme(view.exercise_programme)]
    return "\n".join(lines)


def render_client_summary(view: ClientRecommendation) -> str:
    """One line per recommendation, for batch runs: the next step and the first card."""
    first = f": {view.cards[0].summary}" if view.cards else ""
    return f"{view.next_step}{first}"
