"""The `facesym` command: a thin click layer over the library.

Exit codes: 0 done, 1 invalid answers or rules (message on stderr), 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from . import __version__
from .api import Recommender
from .errors import FacesymError
from .render import render_text

RULES_OPTION = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A rule base directory to use instead of the one shipped with facesym.",
)


class FacesymFailure(click.ClickException):
    """A user-facing failure: message on stderr, exit code 1, no traceback."""

    exit_code = 1


def load_recommender(rules_dir: Path | None) -> Recommender:
    """Load the chosen rule base, turning a broken one into a clean failure."""
    try:
        return Recommender.from_path(rules_dir) if rules_dir else Recommender.default()
    except FacesymError as error:
        raise FacesymFailure(str(error)) from None


def _version_text() -> str:
    try:
        recommender = Recommender.default()
    except FacesymError as error:
        return f"facesym {__version__} (default rule base failed to load: {error})"
    info = recommender.rulebase
    return (
        f"facesym {__version__}\nrule base {info.name} {info.version}\n"
        f"fingerprint {info.fingerprint}"
    )


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and rule base fingerprint.",
)
def cli() -> None:
    """facesym: a next-step recommendation for facial asymmetry, from a questionnaire."""


@cli.command()
@click.argument("answers", type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Readable text, or the recommendation as JSON.",
)
@RULES_OPTION
def recommend(answers: Any, output_format: str, rules_dir: Path | None) -> None:
    """Recommend a next step for ANSWERS, a JSON file of answers (or - for standard input)."""
    recommender = load_recommender(rules_dir)
    text = answers.read()
    try:
        recommendation = recommender.recommend(text)
    except FacesymError as error:
        raise FacesymFailure(str(error)) from None
    if output_format == "json":
        click.echo(recommendation.model_dump_json(indent=2))
    else:
        click.echo(render_text(recommendation))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="facesym")


if __name__ == "__main__":  # pragma: no cover
    main()
