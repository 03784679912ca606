"""The exercise catalogue: the exercises, their drawings and dose, and the 20-week schedule."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ._base import Name, Strict, Text


class ExerciseTiming(Strict):
    """The dose as numbers, so a session's length is computed rather than stated."""

    sets: int = Field(default=1, ge=1)
    reps: int = Field(ge=1, description="Repetitions in one set (the top of the dose's range).")
    seconds_each: int = Field(ge=1, description="One repetition: the move or hold, and letting go.")


class Illustration(Strict):
    """An exercise's drawing: an SVG file in the rule base and the same move in words."""

    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_/.-]+\.svg$", max_length=200)] = Field(
        description="The SVG file, relative to the rule base directory."
    )
    text: Text = Field(description="The text alternative: the drawing described in plain words.")
    shows_side: bool = Field(
        default=True,
        description="A front view, on which facesym marks the side the person noticed.",
    )


class IllustrationSideMarks(Strict):
    """The caption that goes with drawings marked on the person's left or right side."""

    left: Text
    right: Text
    review: Text | None = None


class Exercise(Strict):
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


class ExerciseGroup(Strict):
    description: Text
    status_field: Name


class SchedulePhaseEntry(Strict):
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


class SessionTiming(Strict):
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


class ExerciseCatalogue(Strict):
    groups: dict[Name, ExerciseGroup]
    blocked_statuses: Annotated[list[Name], Field(min_length=1)]
    exercises: dict[Annotated[str, Field(pattern=r"^E[0-9]+$")], Exercise]
    side_emphasis: dict[Name, Text]
    illustration_side_marks: IllustrationSideMarks
    session: SessionTiming
    schedule: Annotated[list[SchedulePhaseEntry], Field(min_length=1)]
    stop_if: Annotated[list[Text], Field(min_length=1)]
