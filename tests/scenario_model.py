"""The shape of a clinical scenario file (tests/scenarios/*.json), as a strict pydantic model.

A scenario holds the answers, a one-line `why`, the tags it `covers` and what is `expected`.
Every key is checked: an unknown or misspelt one (`red_flag` for `red_flags`) is refused,
so a check can never be skipped silently, and no value is coerced (`"true"` is not a bool).
`load_scenario` names the file and the key that is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class ScenarioError(ValueError):
    """A scenario file that does not have the scenario shape; the message names file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Expected(_Strict):
    """What the recommendation must be. The first five keys are required, the rest optional."""

    pathway: str
    urgency: str | None
    category: str
    injectable_options: list[str]
    exercise_programme: bool  # whether a programme is offered
    red_flags: list[str] = Field(default_factory=list)  # each among the flags raised
    first_card: str | None = None  # the id of the first card
    has_cards: list[str] = Field(default_factory=list)
    no_cards: list[str] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)
    no_cautions: list[str] = Field(default_factory=list)
    no_booking: bool = False  # no card books a service
    no_injectables_booking: bool = False  # no card books a service offering injectables
    excluded_exercises: list[str] = Field(default_factory=list)
    included_exercises: list[str] = Field(default_factory=list)
    fired: list[str] = Field(default_factory=list)  # rule ids that must fire


class Scenario(_Strict):
    """One scenario file."""

    why: str
    covers: list[str]
    answers: dict[str, Any]
    expected: Expected

    @field_validator("why")
    @classmethod
    def _one_line(cls, why: str) -> str:
        if not why.strip():
            raise ValueError("the why must not be empty")
        if "\n" in why:
            raise ValueError("the why is one line")
        return why


def load_scenario(path: Path) -> Scenario:
    """Read and check one scenario file; `ScenarioError` names the file and each bad key."""
    try:
        return Scenario.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or '(top level)'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise ScenarioError(f"{path.name}: {problems}") from None
