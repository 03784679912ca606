"""Helpers shared by the CLI tests: running the command, typing answers, breaking rule files."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from recommender import Recommender
from recommender.cli import cli
from recommender.intake.questions import Question
from recommender.rulebase.yamlio import load_yaml

from .conftest import EXAMPLES

EXAMPLE_PATHWAYS = {
    "stroke-signs-stopped-at-gate": "red_flag",
    "m1-weak-side-subtle": "exercise_programme",
    "m2-overactive-within-weeks": "consultation_injectables",
    "s1-skeletal-bite": "specialist_referral",
    "n0-photos-reassurance": "reassurance",
}


def example_path(name: str) -> Path:
    return EXAMPLES / f"{name}.json"


def run(*args: str, input: str | None = None, env: Mapping[str, str] | None = None) -> Result:
    """Invoke `facesym` in-process; stdout and stderr stay apart on the result."""
    return CliRunner(env=dict(env or {})).invoke(cli, list(args), input=input, prog_name="facesym")


def typed(question: Question, value: Any, by_number: bool = False) -> str:
    """What a person would type for `value`: its name (or option number), yes/no, none."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    values = [option.value for option in question.options]
    if isinstance(value, list):
        if not value:
            return "none"
        items = [str(values.index(v) + 1) if by_number else v for v in value]
        return ", ".join(items)
    return str(values.index(value) + 1) if by_number else str(value)


def typed_answers(
    recommender: Recommender, answers: Mapping[str, Any], by_number: bool = False
) -> list[tuple[Question, str]]:
    """The questions `ask` will put, in order, each with the line typed to answer it."""
    given: dict[str, Any] = {}
    steps = []
    while (question := recommender.next_question(given)) is not None:
        value = answers[question.field]
        steps.append((question, typed(question, value, by_number)))
        given[question.field] = value
    return steps


def script(steps: list[tuple[Question, str]]) -> str:
    return "".join(line + "\n" for _, line in steps)


def edit_rule_file(rules: Path, stage: str, change: Callable[[dict[str, Any]], None]) -> str:
    """Change the first file of a stage in a rule base copy; returns the file's name."""
    manifest = load_yaml((rules / "rulebase.yaml").read_text(encoding="utf-8"))
    file = next(s["files"][0] for s in manifest["stages"] if s["id"] == stage)
    path = rules / file
    data = load_yaml(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(file)


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
