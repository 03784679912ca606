"""Who the output is for, and the one function that prints a recommendation for them.

Text is for a person, so it shows the client view unless `--for clinician` is given; then
the clinician summary follows it. JSON is the machine interface for the clinic's tools, so it
is the full contract unless `--for client` asks for the client view's JSON.

`--explain` prints the rules behind the recommendation, which only a clinician may see, so
it is refused without `--for clinician` rather than switching the audience silently: a nurse
typing `--explain` beside a client must not get clinician notes on the screen by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from ..views.style import echo, screen_width

if TYPE_CHECKING:  # the library is imported when a recommendation is shown, not for --help
    from ..api import Recommender
    from ..contract.recommendation import Recommendation

F = TypeVar("F", bound=Callable[..., Any])
Audience = Literal["client", "clinician"]
CLIENT: Audience = "client"
CLINICIAN: Audience = "clinician"


def audience_option(function: F) -> F:
    """`--for client|clinician` (as `audience`; None: the format's default)."""
    decorate = click.option(
        "--for",
        "audience",
        type=click.Choice([CLIENT, CLINICIAN]),
        default=None,
        help=(
            "Who reads it. Text: the client's view by default; clinician adds the clinician"
            " summary. JSON: the full recommendation by default; client gives the client view."
        ),
    )
    return decorate(function)


def check_explain(explain: bool, audience: str | None) -> None:
    """`--explain` belongs to the clinician view (see the module docstring)."""
    if explain and audience != CLINICIAN:
        raise click.UsageError(
            "--explain shows the rules behind the recommendation, which are for clinicians"
            " only: add --for clinician."
        )


def recommendation_json(
    recommender: Recommender, recommendation: Recommendation, audience: str | None
) -> str:
    """The full contract, or the client view when the audience is the client."""
    if audience == CLIENT:
        return recommender.for_client(recommendation).model_dump_json(indent=2)
    return recommendation.model_dump_json(indent=2)


def recommendation_text(
    recommender: Recommender,
    recommendation: Recommendation,
    audience: str | None,
    explain: bool = False,
) -> str:
    """The client's text, a line for the clinic while the rule base is not fully signed off,
    then the clinician summary only for a clinician, all wrapped to the terminal's width."""
    from ..views.render import render_client, wrap
    from ..views.render_clinician import render_clinician

    width = screen_width()
    text = render_client(recommender.for_client(recommendation), width)
    note = signoff_note(recommendation)
    if note:  # right after the client's part, so a clinician's text still starts with it
        text += "\n\n" + "\n".join(wrap(note, indent="", width=width))
    if audience == CLINICIAN:
        summary = recommender.clinician_summary(recommendation)
        text += "\n\n" + render_clinician(summary, explain=explain, width=width)
    return text


def signoff_note(recommendation: Recommendation) -> str | None:
    """One calm line at the end for the clinic when the rule base is not fully signed off.

    A client may be reading the screen, so it addresses the clinic and says only what is
    missing, not that the advice above is wrong."""
    info = recommendation.rulebase
    if info.signed_off:
        return None
    count = info.rules_not_signed_off
    if count is None:
        return "For the clinic: this rule base is not yet fully signed off by the prescriber."
    rules = "rule" if count == 1 else "rules"
    return (
        f"For the clinic: this rule base has {count} {rules} not yet signed off by the prescriber."
    )


def show_recommendation(
    recommender: Recommender,
    recommendation: Recommendation,
    output_format: str,
    audience: str | None,
    explain: bool = False,
) -> None:
    """Print a recommendation as `--format` and `--for` ask."""
    if output_format == "json":
        click.echo(recommendation_json(recommender, recommendation, audience))
    else:
        echo(recommendation_text(recommender, recommendation, audience, explain))
