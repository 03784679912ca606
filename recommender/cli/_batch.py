"""`facesym recommend --batch`: one questionnaire per line in, one result per line out.

A bad line is reported with its line number on stderr and left as an error line in the output,
so the output stays line-for-line with the input; the run goes on and exits 1 at the end.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from ..api import Recommender
from ..contract.errors import AnswersError, FacesymError
from ..contract.recommendation import Recommendation
from ..views.render import render_client_summary, wrap
from ..views.render_clinician import render_clinician_line
from ._output import CLIENT, CLINICIAN
from ._progress import ProgressLine


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
    # A bar on stderr only when a person watches it; every line printed meanwhile (an error
    # on stderr, or a result when stdout is the same screen) goes above it, whole.
    with ProgressLine("Recommending", len(items), sys.stderr, "lines") as progress:
        for record in items:
            try:
                recommendation = recommender.recommend(record.text)
            except FacesymError as error:
                failed += 1
                progress.show(error_note(record, error, progress))
                out = (
                    error_line(record, error)
                    if output_format == "json"
                    else f"line {record.line}: no recommendation ({_reason(error)})"
                )
            else:
                out = result_line(recommender, recommendation, output_format, audience)
                if output_format != "json":
                    out = f"line {record.line}: {out}"
            progress.show(out, sys.stdout)
            progress.advance()
    return failed


def error_note(record: Record, error: FacesymError, progress: ProgressLine) -> str:
    """The error for stderr: `line N: ...`, each problem on its own indented line; on a
    terminal wrapped to its width (words whole), so the screen never cuts a word."""
    first, *rest = str(error).splitlines() or [""]
    parts = [(f"line {record.line}: {first}", "    ", "")]
    parts += [(text, "      ", "    ") for text in rest]
    if not progress.live:
        return "\n".join(first_indent + text.strip() for text, _, first_indent in parts)
    lines: list[str] = []
    for text, indent, first_indent in parts:
        lines += wrap(text.strip(), indent, first_indent, progress.width)
    return "\n".join(lines)


def _reason(error: FacesymError) -> str:
    if isinstance(error, AnswersError):
        return "invalid answers: " + ", ".join(dict.fromkeys(error.fields))
    return "withheld by a safety check"
