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
