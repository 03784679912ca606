"""The recommendation text follows the terminal's width and never cuts a word.

`facesym recommend` runs on a real pseudo-terminal of 60, 40 and 100 columns (no `COLUMNS`
variable, so the program must ask the terminal). Every line must fit, and every word printed
must be a whole word of the same recommendation rendered without any wrapping: a word cut in
two would show up as two pieces that are not words of the text.
"""

from __future__ import annotations

import sys

import click
import pytest

from recommender import Recommender
from recommender.cli._output import signoff_note
from recommender.views.render import fit_columns, render_client, table

from .conftest import load_example
from .test_cli_pty import ANSI, Terminal, sized_environment
from .test_cli_support import example_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

STACKED_LABELS = {"Weeks:", "Phase:", "How", "often:", "Each", "session:"}
"""The words a schedule shown as blocks on a narrow screen adds to the table's own."""


def shown_at(columns: int, *args: str) -> list[str]:
    terminal = Terminal(*args, env=sized_environment(columns, NO_COLOR="1"))
    try:
        assert terminal.finish() == 0, terminal.transcript[-2000:]
    finally:
        terminal.close()
    return ANSI.sub("", terminal.transcript).splitlines()


def unwrapped_words(recommender: Recommender, example: str) -> set[str]:
    """The words of the same output with no wrapping: the client's text, and the line for
    the clinic while the rule base is not fully signed off."""
    recommendation = recommender.recommend(load_example(example))
    view = recommender.for_client(recommendation)
    text = click.unstyle(render_client(view, width=10_000))
    return set(f"{text} {signoff_note(recommendation) or ''}".split())


@pytest.mark.parametrize("columns", [60, 40, 100])
@pytest.mark.parametrize("example", ["m1-weak-side-subtle", "stroke-signs-stopped-at-gate"])
def test_recommendation_fits_the_terminal_with_every_word_whole(
    recommender: Recommender, columns: int, example: str
) -> None:
    lines = shown_at(columns, "recommend", str(example_path(example)))
    assert max(len(line) for line in lines) <= columns - 1
    assert max(len(line) for line in lines) >= columns - 12  # the width is used
    words = {word for word in " ".join(lines).split() if set(word) - set("-=")}  # not rules
    whole = unwrapped_words(recommender, example) | STACKED_LABELS
    assert words - whole == set()


def test_clinician_text_fits_a_60_column_terminal_too() -> None:
    lines = shown_at(
        60,
        "recommend",
        str(example_path("m2-overactive-within-weeks")),
        "--for",
        "clinician",
        "--explain",
    )
    assert any("For the clinician" in line for line in lines)
    assert max(len(line) for line in lines) <= 59


def test_on_a_wide_screen_a_column_is_its_preferred_width_or_its_longest_cell() -> None:
    rows = [("1 to 8", "Daily routine"), ("21 onwards", "Every-other-day routine")]
    assert fit_columns(("Weeks", "Phase"), rows, (10, 18), 79) == [10, 18]
    assert fit_columns(("Weeks", "Phase"), rows[:1], (10, 18), 79) == [6, 13]


def test_a_narrower_schedule_shrinks_columns_but_never_below_a_word_or_header() -> None:
    rows = [("21 onwards", "Every-other-day routine", "2 to 3 times a week, if you want")]
    widths = fit_columns(("Weeks", "Phase", "How often"), rows, (10, 18, 22), 45)
    assert widths is not None
    assert sum(widths) + 2 + 2 * 2 <= 45
    assert widths[0] >= len("onwards") and widths[1] >= len("Every-other-day")
    assert widths[2] >= len("How often")


def test_a_schedule_too_wide_for_the_screen_is_stacked_with_every_cell() -> None:
    rows = [("21 onwards", "Every-other-day routine", "2 to 3 times a week", "About 11 minutes")]
    headers = ("Weeks", "Phase", "How often", "Each session")
    lines = [click.unstyle(line) for line in table(headers, rows, (10, 18, 22, 20), 30)]
    assert max(len(line) for line in lines) <= 30
    text = " ".join(" ".join(lines).split())
    assert "Weeks: 21 onwards" in text and "Phase: Every-other-day routine" in text
    assert "How often: 2 to 3 times a week" in text and "Each session: About 11 minutes" in text
