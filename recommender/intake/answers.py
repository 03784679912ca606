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
from itertools import islice
from typing import Any

from pydantic import ValidationError

from ..contract._preview import PREVIEW_LENGTH, preview
from ..contract.constants import EVENT_PAIRING
from ..contract.errors import AnswersError, FieldProblem
from ..contract.fields import FieldSpec, field_adapter, field_specs
from ..contract.questionnaire import Questionnaire

MAX_ANSWERS_TEXT = 256 * 1024
"""Answers sent as JSON text may be this long at most (in characters, or bytes for bytes).

A complete questionnaire is about 2 KB even when pretty-printed, so a longer text can only be
a mistake or an attack; refusing it unread keeps every rejection fast (parsing ten megabytes
of JSON alone can take a second).
"""

MAX_UNKNOWN_KEYS = 10
"""Unknown keys named one by one; any more are counted in one further problem."""


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


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _load_json(text: str | bytes) -> object:
    if len(text) > MAX_ANSWERS_TEXT:
        unit = "bytes" if isinstance(text, bytes) else "characters"
        raise AnswersError(
            [
                FieldProblem(
                    "answers",
                    f"{len(text):,} {unit} of JSON is too long for a questionnaire (at most"
                    f" {MAX_ANSWERS_TEXT:,}; a complete one is about 2,000); nothing was read",
                )
            ]
        )
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_repeats)
    except RecursionError:
        message = "nested too deeply to read (a questionnaire is one flat JSON object)"
        raise AnswersError([FieldProblem("answers", message)]) from None
    except ValueError as error:
        raise AnswersError([FieldProblem("answers", f"not valid JSON ({error})")]) from None


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is refused rather than silently taking the last."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {preview(key)} is given more than once")
        found[key] = value
    return found


def _as_mapping(raw: object) -> Mapping[Any, Any]:
    if isinstance(raw, Questionnaire):
        return raw.model_dump(exclude_none=True)
    if isinstance(raw, str | bytes | bytearray):
        raw = _load_json(bytes(raw) if isinstance(raw, bytearray) else raw)
    if not isinstance(raw, Mapping):
        raise AnswersError(
            [FieldProblem("answers", f"must be a JSON object of field: answer, not {preview(raw)}")]
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
        return FieldProblem(spec.name, f"{preview(value)} is not allowed", spec.describe_allowed())
    if spec.kind == "boolean":
        return FieldProblem(spec.name, f"{preview(value)} is not true or false", ("true", "false"))
    if spec.kind == "multi" and kind == "list_type":
        return FieldProblem(spec.name, f"must be a list, not {preview(value)}", spec.values)
    return FieldProblem(spec.name, f"{preview(value)} is not an allowed value", spec.values)


def key_label(key: object) -> str:
    """How a key is named in a `FieldProblem`: as given when it is short printable text,
    otherwise as a short escaped picture (so that any page or terminal can show it)."""
    if isinstance(key, str) and len(key) <= PREVIEW_LENGTH and key.strip() and key.isprintable():
        return str(key)
    return preview(key)


def _unknown_key(key: object) -> FieldProblem:
    name = key_label(key)
    # Suggestions only for keys that could be a typo of a field (difflib is quadratic).
    hint = difflib.get_close_matches(name, list(field_specs()), n=1) if name == key else []
    message = "is not a questionnaire field" + (f" (did you mean {hint[0]}?)" if hint else "")
    return FieldProblem(name, message)


def _unknown_keys(data: Mapping[Any, Any], known: int) -> list[FieldProblem]:
    """The first few keys that are not fields, by name; how many more there are, in one line.

    Looks at no more keys than it names: `data` may hold a million of them.
    """
    unknown = len(data) - known
    if unknown <= 0:
        return []
    specs = field_specs()
    first = islice(
        (key for key in data if not (isinstance(key, str) and key in specs)), MAX_UNKNOWN_KEYS
    )
    problems = [_unknown_key(key) for key in first]
    if unknown > len(problems):
        more = unknown - len(problems)
        problems.append(FieldProblem("answers", f"and {more:,} more keys that are not fields"))
    return problems


def _too_many_items(spec: FieldSpec, value: object) -> FieldProblem | None:
    """A list longer than its allowed values must repeat some: say so without reading it
    (checking a list for repeats, or each of a million items, takes seconds)."""
    if spec.kind != "multi" or not isinstance(value, list) or len(value) <= len(spec.values):
        return None
    return FieldProblem(
        spec.name,
        f"has {len(value):,} items; each value may be chosen once, so at most {len(spec.values)}",
        spec.values,
    )


@cache
def _validators() -> dict[str, Any]:
    """Each field's compiled validator: what `TypeAdapter.validate_python` calls, without the
    Python wrapper around it (a third of validating a questionnaire)."""
    return {name: field_adapter(name).validator for name in field_specs()}


def parse_answers(raw: object) -> Answers:
    """Validate answers field by field; raise `AnswersError` listing every problem found."""
    data = _as_mapping(raw)
    validators = _validators()
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    given = [spec for name, spec in field_specs().items() if name in data]
    for spec in given:
        value = data[spec.name]
        if value is None and not spec.required:
            continue
        too_many = _too_many_items(spec, value)
        if too_many:
            problems.append(too_many)
            continue
        try:
            values[spec.name] = validators[spec.name].validate_python(value)
        except ValidationError as error:
            problems.append(_field_problem(spec, error.errors()[0]))
    problems += _unknown_keys(data, len(given))
    if EVENT_PAIRING.follow_up in values:
        pairing = EVENT_PAIRING.problem(values.get(EVENT_PAIRING.asked_after), True)
        if pairing:
            problems.append(FieldProblem(EVENT_PAIRING.follow_up, pairing))
    if problems:
        raise AnswersError(problems, valid_answers=values)
    return Answers(values=values, missing=_missing(values))


def _missing(values: Mapping[str, Any]) -> tuple[str, ...]:
    """Required fields not answered; `event` counts once `first_noticed` asks for it."""
    needed = [name for name, spec in field_specs().items() if spec.required]
    pairing = EVENT_PAIRING
    if pairing.problem(values.get(pairing.asked_after), pairing.follow_up in values):
        needed.append(pairing.follow_up)
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
