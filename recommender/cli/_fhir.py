"""`facesym fhir questionnaire|response`: the questionnaire and a set of answers as FHIR R4.

Both print JSON on stdout for another system to import. `response` checks the answers exactly
as `facesym recommend` does, so an answers file that `recommend` refuses is refused here with
the same message, naming the field and its allowed values.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click

from ..contract.errors import AnswersError, FacesymError
from ..views.style import echo
from ._common import FacesymFailure, failure, load_recommender, rules_option


def _print_json(resource: dict[str, Any]) -> None:
    click.echo(json.dumps(resource, indent=2, ensure_ascii=False))


def _authored(_ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """`--authored` as a time with its zone, or an error naming the option and the form."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        when = None
    if when is None or when.utcoffset() is None:
        raise click.BadParameter(
            f"{value!r} is not a date and time with a zone: expected e.g."
            " 2027-01-04T09:30:00+00:00",
            param=param,
        )
    return when


def _read(answers: IO[str]) -> str:
    """The answers' text, refused as `facesym recommend` refuses it: not UTF-8, or empty."""
    name = getattr(answers, "name", "-")
    shown = "standard input" if name in ("-", "<stdin>") else str(name)
    try:
        text = answers.read()
    except UnicodeDecodeError:
        raise FacesymFailure(f"{shown} is not UTF-8 text") from None
    if not text.strip():
        raise FacesymFailure(f"{shown} is empty: expected answers as JSON")
    return text


@click.group()
def fhir() -> None:
    """Export the questionnaire and answers as HL7 FHIR R4 (4.0.1) JSON."""


@fhir.command()
@click.option(
    "--with-clinician",
    is_flag=True,
    help="Add the question a clinician answers after seeing the person (the assessed cause).",
)
@rules_option
def questionnaire(with_clinician: bool, rules_dir: Path | None) -> None:
    """Print the questionnaire as a FHIR R4 Questionnaire.

    Example: facesym fhir questionnaire > questionnaire.fhir.json
    """
    from ..interop.fhir_export import fhir_questionnaire  # here: `fhir --help` loads no library

    _print_json(fhir_questionnaire(load_recommender(rules_dir), include_clinician=with_clinician))


@fhir.command()
@click.argument("answers", type=click.File("r", encoding="utf-8"), metavar="FILE|-")
@click.option(
    "--authored",
    callback=_authored,
    metavar="DATETIME",
    help="When the answers were given, with a time zone (default: now, in UTC).",
)
@rules_option
def response(answers: IO[str], authored: datetime | None, rules_dir: Path | None) -> None:
    """Print the answers in FILE as a FHIR R4 QuestionnaireResponse.

    FILE is JSON (- reads standard input), checked exactly as `facesym recommend` checks it:
    a bad or missing answer is an error naming the field and its allowed values.

    Example: facesym fhir response examples/m1-weak-side-subtle.json
    """
    from ..intake.answers import parse_answers
    from ..interop.fhir_export import fhir_response

    text = _read(answers)
    recommender = load_recommender(rules_dir)
    try:
        recommender.recommend(text)  # complete, or ended early by a red flag
    except AnswersError as error:
        if error.red_flag is not None:
            echo(
                f"The answers that are valid already show a red flag ({error.red_flag.urgency}):"
                " `facesym recommend` on the same answers shows what to do first.",
                err=True,
            )
        raise failure(error) from None
    except FacesymError as error:
        raise failure(error) from None
    _print_json(fhir_response(recommender, parse_answers(text).values, authored))
