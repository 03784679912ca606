"""When to colour the output, and the few styles facesym uses.

Renderers always produce styled text; `echo` strips the styling unless the stream is a
terminal and `NO_COLOR` is unset (https://no-color.org), so no caller has to decide.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import click


def is_terminal(stream: IO[Any]) -> bool:
    """Whether a person is watching this stream (closed or odd streams count as no)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


NARROWEST = 40
WIDEST = 100
"""The terminal widths text is laid out for: narrower terminals get 40 columns (the text
would be unreadable any narrower), wider ones 100 (longer lines are hard to read)."""


def terminal_columns() -> int:
    """How wide the output is: `COLUMNS` if set, else the terminal standard output is on
    (asked each time, so a resized window is followed), else 80.

    Unlike `shutil.get_terminal_size`, which asks about the process's original stdout, this
    asks about the stream being written, so output captured in tests or piped keeps 80.
    """
    setting = os.environ.get("COLUMNS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    if is_terminal(sys.stdout):
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns or 80
        except (OSError, ValueError):
            pass
    return 80


def screen_width() -> int:
    """The width to wrap to: the terminal's, clamped, one short so no line fills the last
    column (some terminals wrap a full line on their own)."""
    return min(max(terminal_columns(), NARROWEST), WIDEST) - 1


def colour_enabled(stream: IO[Any]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything."""
    return not os.environ.get("NO_COLOR") and is_terminal(stream)


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print styled text, keeping the colour only where `colour_enabled` allows it."""
    stream = sys.stderr if err else sys.stdout
    click.echo(text, err=err, nl=nl, color=colour_enabled(stream))


def heading(text: str) -> str:
    return click.style(text, bold=True)


def alarm(text: str) -> str:
    """For red flags: the one thing on screen that must not be missed."""
    return click.style(text, fg="red", bold=True)


def warning(text: str) -> str:
    return click.style(text, fg="yellow", bold=True)


def quiet(text: str) -> str:
    """Secondary detail: option values, rule base fingerprint, hints."""
    return click.style(text, dim=True)


def good(text: str) -> str:
    return click.style(text, fg="green")
