"""`facesym programme`: the personal programme as a PDF to print and a calendar to keep.

Only the client view is used, so the files hold nothing a clinician alone may see. When the
answers lead to no exercise programme (a red flag, a referral, an under-18 result...) the
command says so, shows the person's next step, and writes nothing: a file pointing to a
routine that is not offered would be worse than none. Both files are built in memory before
either is written, so a failure never leaves half the output behind.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..contract.errors import AnswersError, FacesymError
from ..views.style import echo, quiet, screen_width
from ._common import FacesymFailure, failure, load_recommender, read_answers_file, rules_option

if TYPE_CHECKING:  # the library and the PDF writer load when the command runs, not for --help
    from ..api import Recommender
    from ..contract.recommendation import Recommendation
    from ..views.client import ClientProgramme


def _iso_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """`--start` as a date, with an error that names the option and the expected form."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date: expected YYYY-MM-DD, e.g. 2027-01-04", param=param
        ) from None


def _out_path(value: Path | None, option: str) -> None:
    if value is not None and not value.parent.is_dir():
        raise click.BadParameter(f"the folder {value.parent} does not exist", param_hint=option)


def _read_answers(path: Path) -> object:
    text = read_answers_file(path, "answers as JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FacesymFailure(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}"
        ) from None


def _recommend(recommender: Recommender, answers: object) -> Recommendation:
    """The recommendation; a red flag in incomplete answers is shown before the failure."""
    from ..views.render import render_client

    try:
        return recommender.recommend(answers)
    except AnswersError as error:
        if error.red_flag is not None:
            echo(render_client(recommender.for_client(error.red_flag), screen_width()))
            echo()
            raise FacesymFailure(
                "no exercise programme is offered for these answers, so nothing was written"
            ) from None
        raise failure(error) from None
    except FacesymError as error:
        raise failure(error) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise FacesymFailure(f"could not write {path}: {error.strerror}") from None


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path), metavar="ANSWERS.json")
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE",
    help="Write the programme to FILE as a PDF to print: exercises, schedule, when to stop.",
)
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE",
    help="Write the schedule and reviews to FILE as calendar events with reminders.",
)
@click.option(
    "--start",
    callback=_iso_date,
    metavar="DATE",
    default=None,
    help="With --ics: the first day of week 1 of the routine, as YYYY-MM-DD.",
)
@rules_option
def programme(
    answers: Path,
    pdf_path: Path | None,
    ics_path: Path | None,
    start: date | None,
    rules_dir: Path | None,
) -> None:
    """Write the personal exercise programme for the answers in ANSWERS.json.

    The PDF has the exercises in order with their steps, the 20-week schedule with its
    reviews, and when to stop and get help. The calendar (.ics) has the schedule's phases and
    reviews from --start, with reminders. If the answers lead to no exercise programme, this
    says so and writes nothing (exit code 1).

    Example: facesym programme examples/m1-weak-side-subtle.json --pdf programme.pdf
    --ics programme.ics --start 2027-01-04
    """
    from ..views.render import render_client

    if pdf_path is None and ics_path is None:
        raise click.UsageError("say what to write: --pdf FILE, --ics FILE, or both")
    if ics_path is not None and start is None:
        raise click.UsageError("--ics needs --start DATE: the first day of week 1 (YYYY-MM-DD)")
    if start is not None and ics_path is None:
        raise click.UsageError("--start is the calendar's first day: use it with --ics FILE")
    _out_path(pdf_path, "--pdf")
    _out_path(ics_path, "--ics")
    recommender = load_recommender(rules_dir)
    recommendation = _recommend(recommender, _read_answers(answers))
    view = recommender.for_client(recommendation)
    if view.exercise_programme is None:
        echo(render_client(view, screen_width()))
        echo()
        raise FacesymFailure(
            "no exercise programme is offered for these answers, so nothing was written"
        )
    info = recommendation.rulebase
    outputs = _build(
        view.exercise_programme, f"{info.name} {info.version}", pdf_path, ics_path, start
    )
    for path, data in outputs:
        _write(path, data)
        echo(quiet(f"Wrote {path}."))


def _build(
    programme: ClientProgramme,
    rulebase: str,
    pdf_path: Path | None,
    ics_path: Path | None,
    start: date | None,
) -> list[tuple[Path, bytes]]:
    from ..programme.ics import programme_calendar
    from ..programme.pdf import programme_pdf

    outputs = []
    if pdf_path is not None:
        outputs.append((pdf_path, programme_pdf(programme, date.today(), rulebase)))
    if ics_path is not None and start is not None:
        outputs.append((ics_path, programme_calendar(programme, start, rulebase)))
    return outputs
