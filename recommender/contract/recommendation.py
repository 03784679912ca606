"""The recommendation of contract v1 section 2, as pydantic models (JSON-ready)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ..rulebase.model import RuleBase
    from ..views.client import ClientRecommendation

Pathway = Literal[
    "red_flag",
    "clinician_conversation",
    "medical_first",
    "specialist_referral",
    "consultation_injectables",
    "exercise_programme",
    "reassurance",
]
Urgency = Literal["emergency", "urgent", "soon", "routine"]
Category = Literal["N0", "M1", "M2", "M3", "S1", "S2", "D1", "V1", "V2", "L1", "T1", "unclear"]
InjectableOption = Literal["toxin", "filler"]
Indicator = Literal["info", "warning", "critical"]

PATHWAYS: tuple[str, ...] = get_args(Pathway)
URGENCIES: tuple[str, ...] = get_args(Urgency)
CATEGORIES: tuple[str, ...] = get_args(Category)
INJECTABLE_OPTIONS: tuple[str, ...] = get_args(InjectableOption)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Card(_Out):
    """One message for the person, most important first."""

    id: str
    summary: str
    detail: str
    indicator: Indicator
    source: list[str] = Field(description="Evidence: the brief's section and source numbers.")
    booking: str | None = Field(description="The clinic's service code to book, or null.")


class ProgrammeExercise(_Out):
    id: str
    number: int = Field(description="Its place in the session, from 1: the same on every surface.")
    name: str
    area: str
    how_to: str
    steps: list[str]
    dose: str
    caution: str | None
    seconds: int = Field(description="How long it takes, with the rests between its sets.")


class SchedulePhase(_Out):
    phase: str
    weeks: str
    first_week: int
    last_week: int | None = Field(description="Null: the phase has no end.")
    frequency: str
    every_days: int | None = Field(description="A routine's fixed interval in days, or null.")
    session: str | None = Field(description="What a session is; null for a routine phase.")
    minutes: int | None = Field(description="A routine phase: minutes per session, computed.")
    what: str
    review: bool


class ExerciseProgramme(_Out):
    regions: list[str]
    exercises: list[ProgrammeExercise]
    side_emphasis: str
    side: str = Field(
        description="The side the person noticed (B2: left, right, both, not_sure), which"
        " `side_emphasis` speaks of and the drawings mark."
    )
    session_minutes: int = Field(description="One session of the routine, from the exercises.")
    rounds: int = Field(description="Times through the exercise list in one session.")
    rest_between_sets_seconds: int
    rest_between_exercises_seconds: int
    session_note: str
    schedule: list[SchedulePhase]
    stop_if: list[str]


class Firing(_Out):
    """One rule that fired: the audit trail behind the recommendation."""

    rule: str
    stage: str
    matched: dict[str, Any] = Field(description="The answers and derived values it read.")
    rationale: str
    evidence: list[str]
    awaiting_review: str | None = Field(
        default=None,
        description=(
            "Set while the prescriber has not signed the rule off as it is now: its review"
            " note, or that it changed since it was signed."
        ),
    )


class RuleBaseInfo(_Out):
    name: str
    version: str
    fingerprint: str = Field(description="sha256 over the rule base files.")
    signed_off: bool = Field(
        default=False,
        description=(
            "True only when the prescriber's sign-off covers every rule as it is now (none"
            " awaiting, none changed since signing)."
        ),
    )
    rules_not_signed_off: int | None = Field(
        default=None,
        description="How many rules await sign-off or changed since; null when not known.",
    )


class Recommendation(_Out):
    """The next step for one questionnaire (contract v1 section 2)."""

    pathway: Pathway
    urgency: Urgency | None
    category: Category = Field(description="Clinician-facing; never shown as a diagnosis.")
    cards: list[Card]
    exercise_programme: ExerciseProgramme | None
    injectable_options: list[InjectableOption] = Field(description="Clinician-facing.")
    cautions: list[str] = Field(description="Flags for the prescriber.")
    explanation: list[Firing]
    rulebase: RuleBaseInfo
    red_flags: list[str] = Field(
        default_factory=list, description="Ids of the brief's red flags that fired (R1.., P1..)."
    )
    stopped_early: bool = Field(
        default=False,
        description=(
            "True when a red flag ended the pipeline before the plan stage (at the gate, or"
            " raised by a later stage's answers)."
        ),
    )
    not_asked: list[str] = Field(
        default_factory=list,
        description=(
            "Fields of questions this person was not asked because their answer cannot change"
            " the recommendation (`ask_when`; proven by `facesym verify`): left out, not guessed."
        ),
    )

    def for_client(self, rulebase: RuleBase) -> ClientRecommendation:
        """What the client may see (see `client_view`): `rulebase` is the one that made it,
        for its service names and region labels."""
        from ..views.client import client_view  # client_view imports this module

        return client_view(self, rulebase)
