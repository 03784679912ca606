"""Between HTML forms and the library: form text in, typed answers out, problems back to fields.

The page checks nothing itself. It only turns form text into the types a JSON answer would have
(a number for an integer question, true/false for a yes/no one, a list for a choose-all
question) and hands everything to the library, which validates it; a value that does not
convert is passed through as text so that the library names the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from recommender import FieldProblem

from .layout import Block, Layout, form_text

_WHOLE_NUMBER = re.compile(r"[+-]?\d{1,6}")
SHOWN = "shown"
"""Hidden inputs naming each question the page showed (disabled, so absent, when hidden)."""


def typed(kind: str, raw: str) -> object:
    """A form value as the JSON type of its question; left as text when it is not one."""
    if kind == "integer" and _WHOLE_NUMBER.fullmatch(raw):
        return int(raw)
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw


class FormData:
    """What the page needs from a submitted form: single values and lists by name."""

    def __init__(self, values: Mapping[str, list[str]]) -> None:
        self._values = values

    @classmethod
    def of(cls, form: Any) -> FormData:
        """From a werkzeug `MultiDict` (`request.form`)."""
        return cls({key: form.getlist(key) for key in form})

    def get(self, name: str) -> str:
        values = self._values.get(name, [])
        return values[0].strip() if values else ""

    def getlist(self, name: str) -> list[str]:
        return [value.strip() for value in self._values.get(name, [])]


@dataclass
class Submission:
    """A submitted block: its answers merged into the earlier ones, and what the page showed."""

    answers: dict[str, Any]
    shown: frozenset[str]


def read_block(form: FormData, block: Block, earlier: Mapping[str, Any]) -> Submission:
    """Merge a block's form fields into the answers kept from earlier blocks; fields of other
    blocks in the form are ignored."""
    answers = dict(earlier)
    for name in block.fields:
        answers.pop(name, None)
    shown = frozenset(form.getlist(SHOWN)) & set(block.fields)
    for question in block.questions:
        name, kind = question.field, question.question.kind
        if kind == "multi":
            chosen = [value for value in form.getlist(name) if value]
            if chosen or name in shown:  # nothing ticked is an answer: an empty list
                answers[name] = chosen
            continue
        raw = form.get(name)
        if raw:
            answers[name] = typed(kind, raw)
    return Submission(answers=answers, shown=shown)


def public_message(problem: FieldProblem, layout: Layout, answers: Mapping[str, Any]) -> str:
    """A library problem in words for the person filling in the form."""
    if problem.field not in answers:
        return "Please answer this question."
    message = problem.message[:1].upper() + problem.message[1:]
    if not message.endswith("."):
        message += "."
    shown = layout.question(problem.field)
    if shown is None or not problem.allowed:
        return message
    if shown.question.kind == "integer":
        return f"{message} Please enter {problem.allowed[0]}."
    return f"{message} Please choose from the answers shown."


def field_errors(
    problems: Iterable[FieldProblem],
    layout: Layout,
    fields: Iterable[str],
    answers: Mapping[str, Any],
) -> tuple[dict[str, str], list[str]]:
    """Problems split into those shown beside a field of this page and all the others."""
    here = set(fields)
    beside: dict[str, str] = {}
    elsewhere: list[str] = []
    for problem in problems:
        text = public_message(problem, layout, answers)
        if problem.field in here:
            beside.setdefault(problem.field, text)
        else:
            shown = layout.question(problem.field)
            about = f"Your answer to “{shown.question.text}”" if shown else problem.field
            elsewhere.append(f"{about}: {text}")
    return beside, elsewhere


def chosen_values(answers: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each answer as the set of form values to pre-select when a page is shown again."""
    chosen: dict[str, set[str]] = {}
    for name, value in answers.items():
        items = value if isinstance(value, list) else [value]
        chosen[name] = {form_text(item) for item in items}
    return chosen
