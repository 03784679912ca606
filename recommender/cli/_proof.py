"""`facesym verify` and `facesym diff`: thin click commands over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click

from ..contract.errors import FacesymError
from ..installed import default_rules_path
from ..views.style import screen_width
from ._common import RULES_DIR, failure, format_option
from ._progress import ProgressLine

if TYPE_CHECKING:  # the proof tools load when a proof runs, so `verify --help` is instant
    from ..proof.progress import Progress

FORMAT = format_option("Readable text, or JSON.")
WORKERS = click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to use (default: up to 2).",
)


class _Report(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Report)


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    """A bar on stderr while a proof walks (only on a terminal), wiped before the report."""
    with ProgressLine(label, 0, sys.stderr, "steps") as bar:
        yield bar.update


def _show(
    run: Callable[[Progress], R], render: Callable[[R], str], output_format: str, label: str
) -> R:
    """Run a proof, turning library errors into clean failures, and print its report."""
    try:
        with _progress(label) as progress:
            report = run(progress)
    except FacesymError as error:
        raise failure(error) from None
    click.echo(
        json.dumps(report.as_dict(), indent=2) if output_format == "json" else render(report)
    )
    return report


@click.command()
@click.argument("directory", type=RULES_DIR, required=False)
@FORMAT
@WORKERS
def verify(directory: Path | None, output_format: str, workers: int | None) -> None:
    """Prove the rule base in DIRECTORY (default: the shipped one) over its whole input space.

    Reports broken contract invariants, gaps, equal-priority overlaps and rules that never
    apply, each with a counterexample questionnaire. Exit code 1 on any finding.
    """
    from ..proof.verify import render
    from ..proof.verify import verify as run_verify

    report = _show(
        lambda progress: run_verify(
            directory or default_rules_path(), workers=workers, progress=progress
        ),
        render,
        output_format,
        "Proving",
    )
    if not report.ok:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("old_dir", type=RULES_DIR)
@click.argument("new_dir", type=RULES_DIR)
@FORMAT
@WORKERS
def diff(old_dir: Path, new_dir: Path, output_format: str, workers: int | None) -> None:
    """Show which questionnaires would change pathway, urgency, category or options.

    Compares the rule bases OLD_DIR and NEW_DIR over the whole input space; changes touching
    a red flag or an under-18 questionnaire are listed first.
    """
    from ..proof.diff import diff as run_diff
    from ..proof.diff import render

    _show(
        lambda progress: run_diff(old_dir, new_dir, workers=workers, progress=progress),
        lambda report: render(report, screen_width()),
        output_format,
        "Comparing",
    )
