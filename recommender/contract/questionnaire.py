"""The questionnaire of contract v1, as pydantic models.

`Questionnaire` is the single source of truth for field names, types and allowed values:
validation, the JSON Schema for the website and the rule loader's field checks all come
from it. Field names and values are fixed by docs/contract-v1.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .constants import EVENT_PAIRING

YesNoNotSure = Literal["yes", "no", "not_sure"]
Region = Literal["brows", "eyes", "cheeks", "nasolabial", "lips", "jawline", "chin", "whole_side"]
Allergy = Literal["toxin_reaction", "filler_reaction", "lidocaine", "anaphylaxis"]
BleedingRisk = Literal[
    "warfarin", "anticoagulant", "antiplatelet", "nsaid", "supplements", "bleeding_disorder"
]
JawProblem = Literal["pain", "clicking", "locking", "grinding", "one_sided_chewing"]
Event = Literal[
    "face_injury", "dental", "facial_surgery", "facial_palsy", "stroke", "weight_change", "other"
]
InjectablesWarningSign = Literal[
    "skin_colour_or_severe_pain",
    "vision_change",
    "swallowing_speaking_or_breathing",
    "hot_red_swelling",
    "droop_or_uneven_smile",
    "not_sure",
]
NeuromuscularKind = Literal["myasthenia_or_lambert_eaton", "mnd_ms_or_other", "not_sure"]
AssessedCause = Literal[
    "weak_muscle", "overactive_muscle", "bone_structure", "fat_distribution", "nerve"
]


def _no_repeats(value: list[str]) -> list[str]:
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        raise ValueError(f"each value may be chosen once; repeated: {', '.join(repeated)}")
    return value


Age = Annotated[int, Field(ge=0, le=120)]
Regions = Annotated[list[Region], Field(min_length=1), AfterValidator(_no_repeats)]
Allergies = Annotated[list[Allergy], AfterValidator(_no_repeats)]
BleedingRisks = Annotated[list[BleedingRisk], AfterValidator(_no_repeats)]
JawProblems = Annotated[list[JawProblem], AfterValidator(_no_repeats)]
InjectablesWarningSigns = Annotated[
    list[InjectablesWarningSign], Field(min_length=1), AfterValidator(_no_repeats)
]


class _Answers(BaseModel):
    """Shared configuration: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Questionnaire(_Answers):
    """A complete questionnaire (contract v1, section 1, with the optional v1.1 follow-ups
    of docs/contract.md: each is asked only after the answer that makes it relevant, and a
    missing follow-up keeps v1's conservative reading)."""

    # Safety gate (brief 8.2 A1-A12)
    age: Age = Field(description="Age in whole years (A1).")
    stroke_signs: YesNoNotSure = Field(description="Sudden droop, arm weakness, speech (A2).")
    sudden_weakness: YesNoNotSure = Field(description="One side weak over 3 days (A3).")
    severe_headache: YesNoNotSure | None = Field(
        default=None,
        description="v1.1, asked after a sudden weakness: a severe headache with it (R2).",
    )
    eye_closure: Literal["both_close", "cannot_close", "not_sure"] = Field(description="A4.")
    ear_rash_or_discharge: YesNoNotSure = Field(description="A5.")
    weakness_worsening_or_both_sides: YesNoNotSure = Field(description="A6.")
    hearing_or_dizziness: YesNoNotSure = Field(description="A7.")
    lump: Literal["none", "painless", "with_weakness_pain_or_growth"] = Field(description="A8.")
    numbness: Literal["none", "sudden", "gradual"] = Field(description="A9.")
    recent_injury: Literal["none", "minor", "with_warning_signs"] = Field(
        description="Face injury in the last 4 weeks (A10)."
    )
    swelling: Literal["none", "near_tooth", "airway_or_eye", "allergic"] = Field(description="A11.")
    recent_injectables: Literal["none", "no_problems", "with_warning_signs"] = Field(
        description="Face injections in the last 4 weeks (A12)."
    )
    injectables_warning_signs: InjectablesWarningSigns | None = Field(
        default=None,
        description="v1.1, asked after injections with warning signs: which ones (P1-P5).",
    )
    # The concern (B1-B6, C1-C3, R18)
    regions: Regions = Field(description="Areas that look uneven (B1); no repeats.")
    side: Literal["left", "right", "both", "not_sure"] = Field(description="B2.")
    visible: Literal["at_rest", "with_expression", "both", "not_sure"] = Field(description="B3.")
    movement: Literal["same", "one_side_less", "one_side_more", "several_lag", "not_sure"] = Field(
        description="Guided movement check (B4)."
    )
    one_side_twitching: YesNoNotSure | None = Field(
        default=None,
        description="v1.1, asked when one side moves more: twitching or spasm (R20).",
    )
    jaw_bulge: Literal["no", "on_clenching", "lump_at_rest"] = Field(description="B5.")
    noticed_by: Literal["others", "only_me", "photos", "not_sure"] = Field(description="B6.")
    first_noticed: Literal[
        "childhood", "teens", "after_event", "gradual_years", "last_3_months", "not_sure"
    ] = Field(description="C1.")
    course: Literal["stable", "slowly_worse", "quickly_worse", "improving", "comes_and_goes"] = (
        Field(description="C2.")
    )
    event: Event | None = Field(
        default=None,
        description="C3: required when first_noticed is after_event, absent otherwise.",
    )
    bite_problems: bool = Field(description="Teeth do not meet evenly, jaw shifting (R18).")
    # History and medical (D1, E1-E13)
    palsy_history: bool = Field(description="Ever told of Bell's palsy or a facial nerve problem.")
    pregnancy: Literal["no", "pregnant", "trying", "breastfeeding", "prefer_to_discuss"] = Field(
        description="E1."
    )
    neuromuscular_condition: YesNoNotSure = Field(description="E2.")
    neuromuscular_condition_kind: NeuromuscularKind | None = Field(
        default=None, description="v1.1, asked after a nerve or muscle condition: which (E2, 4a)."
    )
    swallowing_or_breathing_difficulty: bool = Field(description="E3.")
    allergies: Allergies = Field(description="E4; may be empty.")
    bleeding_risk: BleedingRisks = Field(description="E5; may be empty.")
    interacting_medicines: bool = Field(description="E6.")
    autoimmune: Literal["no", "stable", "active", "immunosuppressed"] = Field(description="E7.")
    skin_problem_now: bool = Field(description="E8.")
    cold_sores: Literal["no", "occasionally", "often"] = Field(description="E9.")
    keloid: YesNoNotSure = Field(description="E10.")
    recent_dental_or_illness: bool = Field(description="Last 2 weeks or next 2 (E11).")
    jaw_problems: JawProblems = Field(description="E12; may be empty.")
    jaw_unable_to_eat: bool | None = Field(
        default=None, description="v1.1, asked after jaw pain or locking: unable to eat (R21)."
    )
    recent_facial_surgery: bool = Field(description="Last 6 months (E13).")
    # Goals and wellbeing (F1-F4, H1-H4)
    goal: Literal["subtle", "within_weeks", "immediate", "advice_only"] = Field(description="F1.")
    exercise_commitment: Literal["full", "shorter", "none"] = Field(description="F2.")
    open_to_injectables: Literal["yes", "no", "info_first"] | None = Field(
        default=None,
        description=(
            "F3. Asked only when the rule base's `ask_when` holds (from 18: injectables are"
            " never offered younger); required then, and may be given anyway."
        ),
    )
    hoped_result: Literal["perfectly_even", "more_balanced", "less_tired", "other"] = Field(
        description="F4."
    )
    time_thinking: Literal["under_1h", "1_to_3h", "over_3h"] = Field(description="H1.")
    distress: Literal["none", "mild", "moderate", "severe", "extreme"] = Field(description="H2.")
    avoidance: Literal["never", "sometimes", "often"] = Field(description="H3.")
    self_harm_thoughts: Literal["no", "yes", "prefer_not_to_say"] = Field(description="H4.")
    # Assessor override (optional)
    assessed_cause: AssessedCause | None = Field(
        default=None,
        description="Set by a clinician after an in-person look; replaces the inferred category.",
    )

    @model_validator(mode="after")
    def _event_only_after_event(self) -> Questionnaire:
        problem = event_pairing_problem(self.first_noticed, self.event is not None)
        if problem:
            raise ValueError(problem)
        return self


def event_pairing_problem(first_noticed: str | None, event_given: bool) -> str | None:
    """`event` is answered exactly when `first_noticed` is `after_event` (contract C3)."""
    return EVENT_PAIRING.problem(first_noticed, event_given)
