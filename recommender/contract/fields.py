"""What each questionnaire field is, read off the `Questionnaire` model.

The rule loader checks rule conditions against these specs and the answer parser validates
field by field with them, so the model stays the one definition of every field.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from annotated_types import Ge, Le, MinLen
from pydantic import ConfigDict, TypeAdapter

from .questionnaire import Questionnaire

FieldKind = Literal["choice", "multi", "integer", "boolean"]


@dataclass(frozen=True)
class FieldSpec:
    """One field: its kind, allowed values (choice and multi) or bounds (integer)."""

    name: str
    kind: FieldKind
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    required: bool = True
    min_items: int = 0
    """multi only: how many values must be chosen at least (0: the list may be empty)."""

    def describe_allowed(self) -> tuple[str, ...]:
        """The allowed answers as short strings, for error messages."""
        if self.kind in ("choice", "multi"):
            return self.values
        if self.kind == "boolean":
            return ("true", "false")
        return (f"a whole number from {self.minimum} to {self.maximum}",)

    def allows(self, value: object) -> bool:
        """Whether a single value (an item, for multi fields) can be this field's answer."""
        if self.kind in ("choice", "multi"):
            return isinstance(value, str) and value in self.values
        if self.kind == "boolean":
            return isinstance(value, bool)
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.minimum is not None
            and self.maximum is not None
            and self.minimum <= value <= self.maximum
        )


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _unwrap_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _constraints(annotation: Any) -> list[Any]:
    """The constraints of an `Annotated` type (an optional field keeps them inside it)."""
    found: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            found.extend(getattr(item, "metadata", [item]))
    return found


def _spec_for(name: str) -> FieldSpec:
    info = Questionnaire.model_fields[name]
    metadata = [*info.metadata, *_constraints(_strip_optional(info.annotation))]
    annotation = _unwrap_annotated(_strip_optional(info.annotation))
    required = info.is_required()
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return FieldSpec(name, "choice", tuple(typing.get_args(annotation)), required=required)
    if origin is list:
        item = _unwrap_annotated(typing.get_args(annotation)[0])
        least = next((m.min_length for m in metadata if isinstance(m, MinLen)), 0)
        return FieldSpec(
            name, "multi", tuple(typing.get_args(item)), required=required, min_items=least
        )
    if annotation is bool:
        return FieldSpec(name, "boolean", required=required)
    if annotation is int:
        low = next(m.ge for m in metadata if isinstance(m, Ge))
        high = next(m.le for m in metadata if isinstance(m, Le))
        assert isinstance(low, int) and isinstance(high, int)
        return FieldSpec(name, "integer", minimum=low, maximum=high, required=required)
    raise TypeError(f"field {name}: unsupported annotation {annotation!r}")


@cache
def field_specs() -> Mapping[str, FieldSpec]:
    """Every questionnaire field, in the contract's order. Read-only: one mapping is shared by
    every caller in the process (the proof's partition among them), so none may change it."""
    return MappingProxyType({name: _spec_for(name) for name in Questionnaire.model_fields})


@cache
def field_adapter(name: str) -> TypeAdapter[Any]:
    """A validator for one field alone, built from the model's own definition of it."""
    info = Questionnaire.model_fields[name]
    annotated: Any = typing.Annotated[info.annotation, info]
    return TypeAdapter(annotated, config=ConfigDict(strict=True))
