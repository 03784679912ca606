"""`facesym schema` and `facesym questions`: the questionnaire and results described as JSON,
for the clinic's website and tools."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from ._common import load_recommender, rules_option

SCHEMAS: dict[str, tuple[str, str]] = {
    "questionnaire": ("..contract.questionnaire", "Questionnaire"),
    "client": ("..views.client", "ClientRecommendation"),
    "recommendation": ("..contract.recommendation", "Recommendation"),
}
"""Each schema -> (module, model): imported when printed, so `schema --help` loads nothing."""


def json_schema(which: str) -> dict[str, Any]:
    """The JSON Schema of one of the `SCHEMAS` models."""
    module, name = SCHEMAS[which]
    model_json_schema: Callable[[], dict[str, Any]] = getattr(
        import_module(module, __package__), name
    ).model_json_schema
    return model_json_schema()


@click.command()
@click.argument("which", type=click.Choice(list(SCHEMAS)), default="questionnaire")
def schema(which: str) -> None:
    """Print a JSON Schema: the questionnaire (the default), the client's view of a
    recommendation (client), or the full recommendation (recommendation)."""
    click.echo(json.dumps(json_schema(which), indent=2))


@click.command()
@rules_option
def questions(rules_dir: Path | None) -> None:
    """Print every question as JSON: id, field, text, help, options, position (for the website)."""
    recommender = load_recommender(rules_dir)
    data = [question.model_dump(mode="json") for question in recommender.questions()]
    click.echo(json.dumps(data, indent=2))
