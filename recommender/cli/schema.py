"""`facesym schema` and `facesym questions`: the questionnaire and results described as JSON,
for the clinic's website and tools."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..contract.questionnaire import Questionnaire
from ..contract.recommendation import Recommendation
from ..views.client import ClientRecommendation
from .common import load_recommender, rules_option

SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "questionnaire": Questionnaire.model_json_schema,
    "client": ClientRecommendation.model_json_schema,
    "recommendation": Recommendation.model_json_schema,
}


@click.command()
@click.argument("which", type=click.Choice(list(SCHEMAS)), default="questionnaire")
def schema(which: str) -> None:
    """Print a JSON Schema: the questionnaire (the default), the client's view of a
    recommendation (client), or the full recommendation (recommendation)."""
    click.echo(json.dumps(SCHEMAS[which](), indent=2))


@click.command()
@rules_option
def questions(rules_dir: Path | None) -> None:
    """Print every question as JSON: id, field, text, help, options, position (for the website)."""
    recommender = load_recommender(rules_dir)
    data = [question.model_dump(mode="json") for question in recommender.questions()]
    click.echo(json.dumps(data, indent=2))
