"""A client's view of a recommendation as text, wrapped to the width it is shown at.

Built only from `ClientRecommendation`, never from the full recommendation, so nothing a
clinician alone may see can reach this text (the clinician's part is `render_clinician`).
Styled with click (see `cli_style`); `click.unstyle` gives the plain text. Pure formatting:
every decision shown here was made by the rule base.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from .client import ClientCard, ClientProgramme, ClientRecommendation, ClientSchedulePhase
from .style import alarm, heading, warning

WIDTH = 79
"""The width when none is given: one short of 80, so no terminal wraps a full line on its
own. The CLI passes the terminal's width (`cli_style.screen_width`)."""


def wrap(
    text: str,
    indent: str = "  ",
    first: str | None = None,
    width: int = WIDTH,
    break_long_words: bool = False,
) -> list[str]:
    """Wrap to `width`; `first` replaces the indent on the first line (for bullets).

    A word longer than the line is left whole (it overflows) rather than cut, because a cut
    word or value (a phone number, a booking name) reads as something else.
    """
    return textwrap.wrap(
        " ".join(text.split()),
        width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=break_long_words,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def fit_columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    width: int,
) -> list[int] | None:
    """Column widths within `width`: the preferred ones if they fit, else each narrowed
    towards its header or longest word; None when even that does not fit (then the table is
    stacked)."""
    available = width - 2 - 2 * (len(widths) - 1)
    columns = [[header, *(row[n] for row in rows)] for n, header in enumerate(headers)]
    shortest = [  # a header stays on one line; a cell may wrap, but never inside a word
        max(len(cells[0]), *(len(word) for cell in cells for word in cell.split()))
        for cells in columns
    ]
    longest = [max(len(cell) for cell in cells) for cells in columns]
    fitted = [
        max(min(preferred, most), least)
        for preferred, most, least in zip(widths, longest, shortest, strict=True)
    ]
    if sum(shortest) > available:
        return None
    while sum(fitted) > available:
        slack = [w - s for w, s in zip(fitted, shortest, strict=True)]
        fitted[slack.index(max(slack))] -= 1
    return fitted


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[int],
    width: int = WIDTH,
) -> list[str]:
    """A plain table, each cell wrapped within its column; two spaces between columns.

    On a screen too narrow for the columns, each row becomes a small block instead (its
    first cells as a heading, then "Header: value" lines), so no word is ever cut.
    """
    rows = [tuple(row) for row in rows]
    fitted = fit_columns(headers, rows, widths, width)
    if fitted is None:
        return stacked(headers, rows, width)

    def line(cells: Sequence[str]) -> list[str]:
        wrapped = [
            textwrap.wrap(cell, column, break_long_words=False) or [""]
            for cell, column in zip(cells, fitted, strict=True)
        ]
        height = max(len(column) for column in wrapped)
        out = []
        for index in range(height):
            parts = [
                (column[index] if index < len(column) else "").ljust(size)
                for column, size in zip(wrapped, fitted, strict=True)
            ]
            out.append(("  " + "  ".join(parts)).rstrip())
        return out

    lines = [heading(text) for text in line(headers)]
    lines.append("  " + "  ".join("-" * size for size in fitted))
    for row in rows:
        lines += line(row)
    return lines


def stacked(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """A table for a narrow screen: one block per row, its first cell as the heading."""
    lines: list[str] = []
    for row in rows:
        title = wrap(f"{headers[0]}: {row[0]}", "    ", first="  ", width=width)
        lines += [heading(text) for text in title]
        for header, cell in zip(headers[1:], row[1:], strict=True):
            lines += wrap(f"{header}: {cell}", "      ", first="    ", width=width)
    return lines


def red_flag_banner(view: ClientRecommendation, width: int = WIDTH) -> list[str]:
    """The critical cards of an emergency or urgent outcome, framed so they come first."""
    rule = alarm("=" * width)
    stop = wrap("PLEASE STOP HERE AND GET MEDICAL HELP.", width=width)
    lines = [rule, *(alarm(text) for text in stop)]
    if view.how_soon:
        lines += [alarm(text) for text in wrap(view.how_soon, width=width)]
    for card in view.cards:
        if card.indicator == "critical":
            lines += ["", *(alarm(text) for text in wrap(card.summary, width=width))]
            lines += wrap(card.detail, width=width)
    lines += [rule]
    return lines


def render_card(card: ClientCard, width: int = WIDTH) -> list[str]:
    marker = {"critical": alarm("!!"), "warning": warning("! "), "info": "* "}[card.indicator]
    summary = wrap(card.summary, "   ", width=width)
    lines = [f"{marker} {heading(summary[0][3:])}", *summary[1:]]
    lines += wrap(card.detail, "   ", width=width)
    if card.booking is not None:
        lines += wrap(f"To book: {card.booking.name}", "     ", first="   ", width=width)
        lines += wrap(card.booking.about, "     ", width=width)
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


def schedule_table(schedule: Sequence[ClientSchedulePhase], width: int = WIDTH) -> list[str]:
    rows = [
        (
            phase.weeks,
            phase.phase + (" *" if phase.review else ""),
            phase.frequency,
            phase_session(phase),
        )
        for phase in schedule
    ]
    lines = table(("Weeks", "Phase", "How often", "Each session"), rows, (10, 18, 22, 20), width)
    reviews = [phase for phase in schedule if phase.review]
    if reviews:
        lines += ["", "  * A review with the clinic:"]
        for phase in reviews:
            lines += wrap(f"week {phase.weeks}: {phase.what}", "      ", "    - ", width)
    return lines


DRAWINGS_WHERE = (
    "Each exercise has a drawing in the printable programme: run facesym programme with"
    " your saved answers and --pdf FILE (see facesym programme --help)."
)
"""A terminal cannot show the drawings, so the text says where they are."""


def render_programme(programme: ClientProgramme, width: int = WIDTH) -> list[str]:
    areas = wrap(f"Areas: {', '.join(programme.areas)}", width=width)
    lines = [heading("Your exercise programme"), *areas]
    for text in session_lines(programme):
        lines += ["", *wrap(text, width=width)]
    lines += ["", *wrap(DRAWINGS_WHERE, width=width)]
    if programme.illustration_note:
        lines += wrap(programme.illustration_note, width=width)
    lines.append("")
    for exercise in programme.exercises:
        title = wrap(
            f"{exercise.name}  ({exercise.dose}; about {seconds_words(exercise.seconds)})",
            "       ",
            first=f"  {exercise.number:>2}.  ",
            width=width,
        )
        lines += [heading(title[0]), *title[1:]]
        for step in exercise.steps:
            lines += wrap(step, "         ", "       - ", width)
        if exercise.caution:
            lines += wrap(f"Take care: {exercise.caution}", "       ", width=width)
    lines += ["", "  Which side", *wrap(programme.side_emphasis, "    ", width=width)]
    lines += ["", "  Your 20-week schedule", *schedule_table(programme.schedule, width)]
    lines += ["", "  Stop and get advice if:"]
    for item in programme.stop_if:
        lines += wrap(item, "      ", "    - ", width)
    return lines


def render_client(view: ClientRecommendation, width: int = WIDTH) -> str:
    """The client's recommendation: red flags first, next step, cards, programme.

    Every line is wrapped to `width` (the CLI gives the terminal's) without cutting a word.
    """
    lines: list[str] = []
    if view.get_help_now:
        lines += [*red_flag_banner(view, width), ""]
    lines += [heading(text) for text in wrap(f"Your next step: {view.next_step}", "", width=width)]
    if view.how_soon and not view.get_help_now:
        lines += wrap(f"How soon: {view.how_soon}", width=width)
    if view.stopped_early:
        lines += wrap(
            "Because of a safety answer, getting medical help comes before anything"
            " else; nothing more is needed from you for now.",
            width=width,
        )
    for card in view.cards:
        if not (view.get_help_now and card.indicator == "critical"):
            lines += ["", *render_card(card, width)]
    if view.exercise_programme is not None:
        lines += ["", *render_programme(view.exercise_programme, width)]
    return "\n".join(lines)


def render_client_summary(view: ClientRecommendation) -> str:
    """One line per recommendation, for batch runs: the next step and the first card."""
    first = f": {view.cards[0].summary}" if view.cards else ""
    return f"{view.next_step}{first}"
