"""Turn whatever a caller sends (dict, JSON text, model) into validated answers.

Complete and partial questionnaires go through the same field-by-field validation, so a
questionnaire stopped early at the safety gate is checked exactly as strictly as a whole one.
Every problem names its field and, where it helps, the allowed values.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError

from .errors import AnswersError, FieldProblem
from .fields import FieldSpec, field_adapter, field_specs
from .questionnaire import Questionnaire, event_pairing_problem

_MAX_ECHO = 40


@dataclass(frozen=True)
class Answers:
    """Validated answers; possibly incomplete (`missing` lists the required fields not given)."""

    values: Mapping[str, Any]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def questionnaire(self) -> Questionnaire:
        """The complete questionnaire model; only valid when `complete`."""
        return Questionnaire.model_validate(dict(self.values))


def _echo(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_ECHO else text[: _MAX_ECHO - 3] + "..."


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _load_json(text: str | bytes) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise AnswersError([FieldProblem("answers", f"not valid JSON ({error})")]) from None


def _as_mapping(raw: object) -> Mapping[Any, Any]:
    if isinstance(raw, Questionnaire):
        return raw.model_dump(exclude_none=True)
    if isinstance(raw, str | bytes | bytearray):
        raw = _load_json(bytes(raw) if isinstance(raw, bytearray) else raw)
    if not isinstance(raw, Mapping):
        raise AnswersError(
            [FieldProblem("answers", f"must be a JSON object of field: answer, not {_echo(raw)}")]
        )
    return raw


def _field_problem(spec: FieldSpec, error: Mapping[str, Any]) -> FieldProblem:
    kind = error["type"]
    value = error.get("input")
    if kind == "value_error":  # our own list check: a repeated value
        return FieldProblem(spec.name, str(error["ctx"]["error"]), spec.values)
    if kind == "too_short":
        least = "one" if spec.min_items == 1 else str(spec.min_items)
        return FieldProblem(spec.name, f"choose at least {least}", spec.values)
    if spec.kind == "integer":
        return FieldProblem(spec.name, f"{_echo(value)} is not allowed", spec.describe_allowed())
    if spec.kind == "boolean":
        return FieldProblem(spec.name, f"{_echo(value)} is not true or false", ("true", "false"))
    if spec.kind == "multi" and kind == "list_type":
        return FieldProblem(spec.name, f"must be a list, not {_echo(value)}", spec.values)
    return FieldProblem(spec.name, f"{_echo(value)} is not an allowed value", spec.values)


def _unknown_key(key: object) -> FieldProblem:
    name = key if isinstance(key, str) and key.strip() else repr(key)
    hint = difflib.get_close_matches(name, list(field_specs()), n=1) if isinstance(key, str) else []
    message = "is not a questionnaire field" + (f" (did you mean {hint[0]}?)" if hint else "")
    return FieldProblem(_echo(name) if len(name) > _MAX_ECHO else name, message)


@cache
def _validators() -> dict[str, Any]:
    """Each field's compiled validator: what `TypeAdapter.validate_python` calls, without the
    Python wrapper around it (a third of validating a questionnaire)."""
    return {name: field_adapter(name).validator for name in field_specs()}


def parse_answers(raw: object) -> Answers:
    """Validate answers field by field; raise `AnswersError` listing every problem found."""
    data = _as_mapping(raw)
    specs = field_specs()
    validators = _validators()
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = specs.get(key) if isinstance(key, str) else None
        if spec is None:
            problems.append(_unknown_key(key))
            continue
        if value is None and not spec.required:
            continue
        try:
            values[spec.name] = validators[spec.name].validate_python(value)
        except ValidationError as error:
            problems.append(_field_problem(spec, error.errors()[0]))
    if "event" in values:
        pairing = event_pairing_problem(values.get("first_noticed"), event_given=True)
        if pairing:
            problems.append(FieldProblem("event", pairing))
    if problems:
        raise AnswersError(problems, valid_answers=values)
    return Answers(values=values, missing=_missing(values))


def _missing(values: Mapping[str, Any]) -> tuple[str, ...]:
    """Required fields not answered; `event` counts once `first_noticed` asks for it."""
    needed = [name for name, spec in field_specs().items() if spec.required]
    if event_pairing_problem(values.get("first_noticed"), "event" in values):
        needed.append("event")
    return tuple(name for name in needed if name not in values)


def missing_answers_error(missing: tuple[str, ...]) -> AnswersError:
    """The error for a questionnaire that stopped before it was complete, without a red flag."""
    specs = field_specs()
    return AnswersError(
        [
            FieldProblem(name, "required answer is missing", specs[name].describe_allowed())
            for name in missing
        ]
    )
