"""`facesym recommend --batch`: one questionnaire per line in, one result per line out.

A bad line is reported with its line number on stderr and left as an error line in the output,
so the output stays line-for-line with the input; the run goes on and exits 1 at the end.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import click

from .api import Recommender
from .cli_output import CLIENT, CLINICIAN
from .cli_style import colour_enabled, echo, is_terminal
from .errors import AnswersError, FacesymError
from .recommendation import Recommendation
from .render import render_client_summary
from .render_clinician import render_clinician_line


@dataclass(frozen=True)
class Record:
    line: int
    text: str


def records(text: str) -> list[Record]:
    """The non-blank lines, each with its 1-based line number in the input."""
    return [
        Record(number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def error_line(record: Record, error: FacesymError) -> str:
    """A JSON error object that cannot be mistaken for a recommendation (it has `error`)."""
    problems = (
        [problem.as_dict() for problem in error.problems] if isinstance(error, AnswersError) else []
    )
    return json.dumps({"error": {"line": record.line, "message": str(error), "problems": problems}})


def _progress(items: list[Record]) -> Any:
    """A progress bar on stderr, only when stderr is a terminal a person is watching."""
    stderr = sys.stderr
    if not is_terminal(stderr):
        return nullcontext(items)
    return click.progressbar(items, label="Recommending", file=stderr, color=colour_enabled(stderr))


def result_line(
    recommender: Recommender,
    recommendation: Recommendation,
    output_format: str,
    audience: str | None,
) -> str:
    """JSON: the full contract unless for the client; text: the client's line unless for a
    clinician (the same defaults as a single `recommend`)."""
    if output_format == "json":
        if audience == CLIENT:
            return recommender.for_client(recommendation).model_dump_json()
        return recommendation.model_dump_json()
    if audience == CLINICIAN:
        return render_clinician_line(recommendation)
    return render_client_summary(recommender.for_client(recommendation))


def run_batch(
    recommender: Recommender, text: str, output_format: str, audience: str | None = None
) -> int:
    """Recommend for every line; return how many lines failed."""
    items = records(text)
    failed = 0
    with _progress(items) as progress:
        for record in progress:
            try:
                recommendation = recommender.recommend(record.text)
            except FacesymError as error:
                failed += 1
                message = str(error).replace("\n", "\n  ")
                echo(f"line {record.line}: {message}", err=True)
                out = (
                    error_line(record, error)
                    if output_format == "json"
                    else f"line {record.line}: no recommendation ({_reason(error)})"
                )
            else:
                out = result_line(recommender, recommendation, output_format, audience)
                if output_format != "json":
                    out = f"line {record.line}: {out}"
            click.echo(out)
    return failed


def _reason(error: FacesymError) -> str:
    if isinstance(error, AnswersError):
        return "invalid answers: " + ", ".join(dict.fromkeys(error.fields))
    return "withheld by a safety check"
