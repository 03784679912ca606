"""Rule conditions as rule files write them: a field test, or all/any/not of conditions."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from ._base import Name, Scalar, Strict

FIELD_OPERATORS = (
    "equals",
    "not_equals",
    "one_of",
    "not_one_of",
    "lt",
    "lte",
    "gt",
    "gte",
    "contains_any",
    "contains_all",
    "contains_none",
    "present",
)


class FieldTest(Strict):
    """A test on one field, e.g. `{field: age, lt: 18}`. Exactly one operator."""

    field: Name
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    one_of: Annotated[list[Scalar], Field(min_length=1)] | None = None
    not_one_of: Annotated[list[Scalar], Field(min_length=1)] | None = None
    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None
    contains_any: Annotated[list[str], Field(min_length=1)] | None = None
    contains_all: Annotated[list[str], Field(min_length=1)] | None = None
    contains_none: Annotated[list[str], Field(min_length=1)] | None = None
    present: bool | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> FieldTest:
        given = [op for op in FIELD_OPERATORS if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a field test takes exactly one operator of {', '.join(FIELD_OPERATORS)};"
                f" got {', '.join(given) or 'none'}"
            )
        return self

    @property
    def operator(self) -> str:
        return next(op for op in FIELD_OPERATORS if getattr(self, op) is not None)

    @property
    def operand(self) -> Any:
        return getattr(self, self.operator)


class AllOf(Strict):
    all: Annotated[list[Condition], Field(min_length=1)]


class AnyOf(Strict):
    any: Annotated[list[Condition], Field(min_length=1)]


class Not(Strict):
    not_: Condition = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {FieldTest: "field", AllOf: "all", AnyOf: "any", Not: "not"}.get(type(value))
    if isinstance(value, dict):
        kinds = [key for key in ("field", "all", "any", "not") if key in value]
        return kinds[0] if len(kinds) == 1 else None
    return None


Condition = Annotated[
    Annotated[FieldTest, Tag("field")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message="a condition has exactly one of: field, all, any, not",
    ),
]

AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
