"""The shape of every file in a rule base directory, as pydantic models.

These models check structure only (keys, types, required parts). Whether a condition names a
real field with a possible value depends on the whole rule base and is checked by the loader.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=80)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Value = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]
Scalar = str | bool | int


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- conditions -------------------------------------------------------------------------

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


class FieldTest(_Strict):
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


class AllOf(_Strict):
    all: Annotated[list[Condition], Field(min_length=1)]


class AnyOf(_Strict):
    any: Annotated[list[Condition], Field(min_length=1)]


class Not(_Strict):
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


# --- rules and stage files ------------------------------------------------------------------


class Then(_Strict):
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


class Examples(_Strict):
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


class Rule(_Strict):
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


class DerivedField(_Strict):
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


class StageFile(_Strict):
    stage: Name
    description: Text
    derives: dict[Name, DerivedField] = Field(default_factory=dict)
    raises: list[Name] = Field(
        default_factory=list,
        description="Values derived by an earlier stage with combine: max that this stage's "
        "rules may raise further (never to a value on which an earlier stage stops).",
    )
    rules: list[Rule]


# --- the manifest -----------------------------------------------------------------------------


class StopWhen(_Strict):
    """End the pipeline after this stage when one of its derived fields takes these values."""

    field: Name
    one_of: Annotated[list[Value], Field(min_length=1)]
    pathway: Name


class StageEntry(_Strict):
    id: Name
    files: Annotated[list[str], Field(min_length=1)]
    stop_when: StopWhen | None = None


class CatalogueFiles(_Strict):
    questions: str
    cards: str
    services: str
    cautions: str
    exercises: str


class Manifest(_Strict):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Text
    description: Text
    stages: Annotated[list[StageEntry], Field(min_length=1)]
    catalogue: CatalogueFiles


# --- catalogue data ------------------------------------------------------------------------


class CardEntry(_Strict):
    """A message for the person (patient-facing text: plain English, no medicine names)."""

    rank: int = Field(description="Lower comes first in the recommendation.")
    indicator: Literal["info", "warning", "critical"]
    summary: Text
    detail: Text
    source: Annotated[list[Text], Field(min_length=1)]
    booking: str | None = None


class CardFile(_Strict):
    cards: dict[Name, CardEntry]


class ServiceEntry(_Strict):
    """A step the clinic can book."""

    label: Text
    description: Text
    injectables: bool = Field(description="True for any appointment about toxin or filler.")


class ServiceFile(_Strict):
    services: dict[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9-]*$")], ServiceEntry]


class CautionDef(_Strict):
    """A flag for the prescriber, shown to clinicians only."""

    text: Text
    evidence: Annotated[list[Text], Field(min_length=1)]


class CautionFile(_Strict):
    cautions: dict[Name, CautionDef]


class ExerciseTiming(_Strict):
    """The dose as numbers, so a session's length is computed rather than stated."""

    sets: int = Field(default=1, ge=1)
    reps: int = Field(ge=1, description="Repetitions in one set (the top of the dose's range).")
    seconds_each: int = Field(ge=1, description="One repetition: the move or hold, and letting go.")


class Illustration(_Strict):
    """An exercise's drawing: an SVG file in the rule base and the same move in words."""

    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_/.-]+\.svg$", max_length=200)] = Field(
        description="The SVG file, relative to the rule base directory."
    )
    text: Text = Field(description="The text alternative: the drawing described in plain words.")
    shows_side: bool = Field(
        default=True,
        description="A front view, on which facesym marks the side the person noticed.",
    )


class IllustrationSideMarks(_Strict):
    """The caption that goes with drawings marked on the person's left or right side."""

    left: Text
    right: Text
    review: Text | None = None


class Exercise(_Strict):
    name: Text
    area: Text
    how_to: Text
    dose: Text
    timing: ExerciseTiming
    steps: Annotated[list[Text], Field(min_length=2)] = Field(
        description="What to do, one step at a time, for a person on their own at home."
    )
    targets: Text
    regions: Annotated[list[Name], Field(min_length=1)]
    groups: list[Name] = Field(default_factory=list)
    core: bool = False
    caution: Text | None = None
    evidence: Annotated[list[Text], Field(min_length=1)]
    illustration: Illustration


class ExerciseGroup(_Strict):
    description: Text
    status_field: Name


class SchedulePhaseEntry(_Strict):
    phase: Text
    weeks: Text
    first_week: int = Field(ge=0, description="`weeks` as numbers: week 1 starts the routine.")
    last_week: int | None = Field(default=None, description="None: the phase has no end.")
    frequency: Text
    every_days: int | None = Field(
        default=None, ge=1, description="A routine's fixed interval in days, if it has one."
    )
    session: dict[Name, Text] | None = Field(
        default=None, description="What a session is, by exercise_commitment (not a routine)."
    )
    routine: bool = Field(
        default=False, description="Sessions are the exercise routine; their length is computed."
    )
    what: Text
    review: bool = False
    evidence: Annotated[list[Text], Field(min_length=1)]

    @model_validator(mode="after")
    def _session_or_routine(self) -> SchedulePhaseEntry:
        if (self.session is None) == (not self.routine):
            raise ValueError("a phase has either `session` texts or `routine: true`, not both")
        if self.last_week is not None and self.last_week < self.first_week:
            raise ValueError("`last_week` comes before `first_week`")
        if self.every_days is not None and not self.routine:
            raise ValueError("`every_days` belongs to a routine phase")
        return self


class SessionTiming(_Strict):
    """How one session runs through the exercises: order, rounds and rests."""

    order: Literal["as_listed"] = Field(
        description="The exercises are done in the order listed, which is their number."
    )
    rounds: dict[Name, Annotated[int, Field(ge=1)]] = Field(
        description="Times through the whole list per session, by exercise_commitment."
    )
    rest_between_sets_seconds: int = Field(ge=0)
    rest_between_exercises_seconds: int = Field(ge=0)
    rest_between_rounds_seconds: int = Field(ge=0)
    note: Text = Field(description="Shown to the client with the session length.")
    review: Text | None = Field(default=None, description="What the brief does not settle.")
    evidence: Annotated[list[Text], Field(min_length=1)]


class ExerciseCatalogue(_Strict):
    groups: dict[Name, ExerciseGroup]
    blocked_statuses: Annotated[list[Name], Field(min_length=1)]
    exercises: dict[Annotated[str, Field(pattern=r"^E[0-9]+$")], Exercise]
    side_emphasis: dict[Name, Text]
    illustration_side_marks: IllustrationSideMarks
    session: SessionTiming
    schedule: Annotated[list[SchedulePhaseEntry], Field(min_length=1)]
    stop_if: Annotated[list[Text], Field(min_length=1)]


class EnableWhenEntry(_Strict):
    field: Name
    one_of: Annotated[list[Scalar], Field(min_length=1)]


class QuestionEntry(_Strict):
    id: Annotated[str, Field(pattern=r"^[A-Z][0-9]+$")]
    field: Name
    block: Name
    text: Text
    help: Text | None = None
    options: dict[str, Text] = Field(default_factory=dict)
    enable_when: EnableWhenEntry | None = None
    ask_when: FieldTest | None = Field(
        default=None,
        description=(
            "Ask only when this test on an earlier answer holds: otherwise the answer cannot"
            " change the recommendation (`facesym verify` proves it), so it is skipped."
        ),
    )
    skip_review: Text | None = Field(
        default=None, description="Why the question may be skipped, for the prescriber."
    )
    ask: bool = Field(default=True, description="False for fields a clinician sets, not a client.")


class QuestionFile(_Strict):
    blocks: dict[Name, Text]
    questions: Annotated[list[QuestionEntry], Field(min_length=1)]
