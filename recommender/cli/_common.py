"""What every facesym command shares: the `--rules` option, loading, and clean failures.

Command modules import from here, not from `_main`, so loading a command never imports the
command line twice. Light on purpose: the library is imported when a rule base is loaded, not
when a command's --help is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..contract.errors import FacesymError

if TYPE_CHECKING:
    from ..api import Recommender

F = TypeVar("F", bound=Callable[..., Any])

RULES_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


def rules_option(function: F) -> F:
    """`--rules DIR`: evaluate with a clinic's own rule base instead of the shipped one."""
    decorate = click.option(
        "--rules",
        "rules_dir",
        type=RULES_DIR,
        default=None,
        metavar="DIR",
        help="Use the rule base in DIR instead of the one shipped with facesym.",
    )
    return decorate(function)


def format_option(help_text: str) -> Callable[[F], F]:
    """`--format text|json` (as `output_format`), one definition for every command."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


class FacesymFailure(click.ClickException):
    """A failure the user can act on: `Error: ...` on stderr, exit code 1, no traceback."""

    exit_code = 1


def read_answers_file(path: Path, expected: str) -> str:
    """The text of an answers file, or a plain failure: not UTF-8, unreadable, or empty
    (`expected` says what the file should have held)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FacesymFailure(f"{path} is not UTF-8 text") from None
    except OSError as error:
        raise FacesymFailure(f"could not read {path}: {error.strerror}") from None
    if not text.strip():
        raise FacesymFailure(f"{path} is empty: expected {expected}")
    return text


def failure(error: FacesymError) -> FacesymFailure:
    """The library's own message, which names the field or the file and rule."""
    return FacesymFailure(str(error))


def load_recommender(rules_dir: Path | None) -> Recommender:
    """The chosen rule base, loaded and compiled; a broken one is a clean failure."""
    try:
        # Here, not above: a command's --help loads no library. Inside the try: an engine
        # built so that it cannot load is an EngineBuildError, which says how to rebuild it.
        from ..api import Recommender

        # The rule base cache: a command run again skips reading and checking the rule files.
        if rules_dir:
            return Recommender.from_path(rules_dir, cached=True)
        return Recommender.default(cached=True)
    except FacesymError as error:
        raise failure(error) from None
