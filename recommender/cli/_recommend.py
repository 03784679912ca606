"""`facesym ask` and `facesym recommend`: a questionnaire in, a recommendation out.

Each command reads its input, calls the library and prints the result; every decision comes
from the rule base.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from ..contract.errors import AnswersError, FacesymError
from ..views.style import echo
from ._common import FacesymFailure, failure, format_option, load_recommender, rules_option
from ._output import audience_option, check_explain, show_recommendation

if TYPE_CHECKING:  # the library is imported when a command runs, so its --help is instant
    from ..api import Recommender
    from ..contract.recommendation import Recommendation

INTERRUPTED = 130
"""The shell's code for a program stopped by Ctrl-C (128 + SIGINT)."""


explain_option = click.option(
    "--explain",
    is_flag=True,
    help=(
        "With --for clinician: every rule behind the recommendation, with its stage, matched"
        " answers, reason and evidence."
    ),
)


@click.command()
@click.option(
    "--save",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help=(
        "Write the answers to FILE as JSON: at the end, to replay with `facesym recommend"
        " FILE`, and also on quit, Ctrl-C or the end of input, to carry on with --resume."
    ),
    metavar="FILE",
)
@click.option(
    "--resume",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Carry on from the answers saved in FILE; questions already answered are not asked.",
    metavar="FILE",
)
@audience_option
@explain_option
@rules_option
def ask(
    save: Path | None,
    resume: Path | None,
    audience: str | None,
    explain: bool,
    rules_dir: Path | None,
) -> None:
    """Answer the questionnaire one question at a time and get a recommendation.

    Type an option's number or name. Type back to change your last answer, help to see why
    a question is asked, or quit (or press Ctrl-C) to stop without a recommendation; with
    --save the answers so far are kept, and `facesym ask --resume FILE --save FILE` carries
    on. The result is the client's view; --for clinician adds the clinician summary after it.
    """
    from ..intake.questions import usual_count
    from ._ask import (
        QuitRequestedError,
        load_partial,
        run_questionnaire,
        save_answers,
        show_intro,
        tell_how_to_show_again,
    )

    check_explain(explain, audience)
    if save is not None and not save.parent.is_dir():
        raise click.BadParameter(f"the folder {save.parent} does not exist", param_hint="--save")
    recommender = load_recommender(rules_dir)
    answers = load_partial(resume) if resume is not None else {}
    already_complete = resume is not None and recommender.next_question(answers) is None
    if not already_complete:
        show_intro(resumed=len(answers), questions=usual_count(recommender.questions()))
    try:
        run_questionnaire(recommender, answers)
    except (KeyboardInterrupt, QuitRequestedError):
        echo()
        _keep(save, answers)
        raise click.exceptions.Exit(INTERRUPTED) from None
    except EOFError:
        echo()
        _keep(save, answers)
        raise FacesymFailure("the input ended before the questionnaire was finished") from None
    if save is not None:
        save_answers(save, answers)
    recommendation = _recommend(recommender, answers)
    echo()
    show_recommendation(recommender, recommendation, "text", audience, explain)
    if save is not None:
        tell_how_to_show_again(save)
    elif already_complete and resume is not None:
        tell_how_to_show_again(resume, already_complete=True)


def _keep(save: Path | None, answers: dict[str, Any]) -> None:
    """Save a questionnaire stopped early (if --save) and say how to carry on."""
    from ._ask import save_answers, tell_stopped

    if save is not None:
        save_answers(save, answers)
    tell_stopped(save, answers)


def _recommend(
    recommender: Recommender,
    answers: object,
    output_format: str = "text",
    audience: str | None = None,
) -> Recommendation:
    """The recommendation, or a clean failure; a red flag in the valid answers is shown first."""
    try:
        return recommender.recommend(answers)
    except AnswersError as error:
        if error.red_flag is not None:
            show_recommendation(recommender, error.red_flag, output_format, audience)
        raise failure(error) from None
    except FacesymError as error:
        raise failure(error) from None


@click.command()
@click.argument("answers", type=click.File("r", encoding="utf-8"), metavar="FILE|-")
@format_option("Readable text, or the recommendation as JSON.")
@audience_option
@explain_option
@click.option(
    "--batch",
    is_flag=True,
    help="FILE is JSON Lines: one questionnaire per line, one result per line.",
)
@rules_option
def recommend(
    answers: IO[str],
    output_format: str,
    audience: str | None,
    explain: bool,
    batch: bool,
    rules_dir: Path | None,
) -> None:
    """Recommend a next step for the answers in FILE (JSON; - reads standard input).

    Text shows the client's view (--for clinician adds the clinician summary); JSON is the
    full recommendation (--for client gives the client's view).

    Example: facesym recommend examples/m1-weak-side-subtle.json --format json
    """
    check_explain(explain, audience)
    try:
        text = answers.read()
    except UnicodeDecodeError:
        raise FacesymFailure(f"{answers.name} is not UTF-8 text") from None
    if not text.strip():
        raise FacesymFailure(f"{_name(answers)} is empty: expected answers as JSON")
    recommender = load_recommender(rules_dir)
    if batch:
        from ._batch import run_batch

        failed = run_batch(recommender, text, output_format, audience)
        if failed:
            raise FacesymFailure(f"{failed} line(s) of {_name(answers)} had no recommendation")
        return
    recommendation = _recommend(recommender, text, output_format, audience)
    show_recommendation(recommender, recommendation, output_format, audience, explain)


def _name(stream: IO[str]) -> str:
    name = getattr(stream, "name", "-")
    return "standard input" if name in ("-", "<stdin>") else str(name)
