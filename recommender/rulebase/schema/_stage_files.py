"""A stage file (its derived values and rules) and the manifest that orders the stages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ._base import Name, RuleId, Strict, Text, Value
from ._conditions import Condition


class Then(Strict):
    """What a rule does when it fires. Effects are applied after the stage's evaluation."""

    set: dict[Name, str] = Field(default_factory=dict)
    add: dict[Name, Annotated[list[str], Field(min_length=1)]] = Field(default_factory=dict)
    cards: list[Name] = Field(default_factory=list)
    cautions: list[Name] = Field(default_factory=list)

    @model_validator(mode="after")
    def _does_something(self) -> Then:
        if not (self.set or self.add or self.cards or self.cautions):
            raise ValueError("then needs at least one of set, add, cards, cautions")
        return self


class Examples(Strict):
    """Inputs on which the rule must fire, and inputs on which it must not."""

    fire: Annotated[list[dict[str, Any]], Field(min_length=1)]
    not_fire: Annotated[list[dict[str, Any]], Field(min_length=1)]


MAX_CONDITION_PARTS = 256
"""A rule's `when` may hold at most this many values (mappings, lists, scalars) once YAML
aliases are expanded. The largest shipped condition has about 30; nine aliases a level grow
nine-fold, and checking or compiling a condition of a million parts takes minutes."""

_MAX_CONDITION_DEPTH = 100


def condition_parts(value: Any) -> int:
    """How many values `value` holds with aliases expanded, counting each shared value once
    per use but reading it once (so a YAML alias bomb costs only its own size to measure).

    Raises ValueError for a value that contains itself or is nested beyond all reason.
    """
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()

    def size(item: Any, depth: int) -> int:
        if not isinstance(item, dict | list):
            return 1
        known = sizes.get(id(item))
        if known is not None:
            return known
        if id(item) in open_ids:
            raise ValueError("when: the condition contains itself (an alias inside its anchor)")
        if depth > _MAX_CONDITION_DEPTH:
            raise ValueError(f"when: the condition is nested over {_MAX_CONDITION_DEPTH} deep")
        open_ids.add(id(item))
        children = item.values() if isinstance(item, dict) else item
        total = 1 + sum(size(child, depth + 1) for child in children)
        open_ids.discard(id(item))
        sizes[id(item)] = total
        return total

    return size(value, 0)


class Rule(Strict):
    id: RuleId
    priority: Annotated[int, Field(ge=0, le=64999)] = 100
    when: Condition
    then: Then
    rationale: Text
    evidence: Annotated[list[Text], Field(min_length=1)]
    review: Text | None = Field(
        default=None, description="Why the prescriber must still sign this rule off."
    )
    fallback: bool = Field(
        default=False,
        description="Applies only when no other rule of its stage that fired sets the same "
        "derived field; otherwise none of its effects apply.",
    )
    examples: Examples

    @model_validator(mode="before")
    @classmethod
    def _condition_of_bounded_size(cls, data: Any) -> Any:
        """Measured before validation, which would walk every expanded part."""
        if isinstance(data, dict) and "when" in data:
            parts = condition_parts(data["when"])
            if parts > MAX_CONDITION_PARTS:
                raise ValueError(
                    f"when: the condition has {parts:,} parts once YAML aliases are expanded;"
                    f" a condition may have at most {MAX_CONDITION_PARTS}"
                )
        return data

    @model_validator(mode="after")
    def _fallback_sets_something(self) -> Rule:
        if self.fallback and not self.then.set:
            raise ValueError("a fallback rule must set a derived value")
        return self


class DerivedField(Strict):
    """A value a stage decides and later stages (and the recommendation) read."""

    description: Text
    type: Literal["enum", "set"] = "enum"
    values: Annotated[list[Value], Field(min_length=1)]
    combine: Literal["first", "max"] | None = Field(
        default=None,
        description="enum only: `first` takes the firing rule with the lowest priority "
        "number; `max` takes the value latest in `values`.",
    )
    default: Value | None = Field(
        default=None, description="enum only: the value when no rule decides it."
    )

    @model_validator(mode="after")
    def _consistent(self) -> DerivedField:
        if self.type == "enum" and self.combine is None:
            raise ValueError("an enum needs combine: first or max")
        if self.type == "set" and (self.combine is not None or self.default is not None):
            raise ValueError("a set takes neither combine nor default")
        if self.default is not None and self.default not in self.values:
            raise ValueError(f"default {self.default!r} is not one of values")
        if len(set(self.values)) != len(self.values):
            raise ValueError("values repeat")
        return self


class StageFile(Strict):
    stage: Name
    description: Text
    derives: dict[Name, DerivedField] = Field(default_factory=dict)
    raises: list[Name] = Field(
        default_factory=list,
        description="Values derived by an earlier stage with combine: max that this stage's "
        "rules may raise further (never to a value on which an earlier stage stops).",
    )
    rules: list[Rule]


class StopWhen(Strict):
    """End the pipeline after this stage when one of its derived fields takes these values."""

    field: Name
    one_of: Annotated[list[Value], Field(min_length=1)]
    pathway: Name


class StageEntry(Strict):
    id: Name
    files: Annotated[list[str], Field(min_length=1)]
    stop_when: StopWhen | None = None


class CatalogueFiles(Strict):
    questions: str
    cards: str
    services: str
    cautions: str
    exercises: str


class Manifest(Strict):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Text
    description: Text
    stages: Annotated[list[StageEntry], Field(min_length=1)]
    catalogue: CatalogueFiles
