"""The clinician's short summary of a recommendation: what the prescriber needs at a glance.

The full `Recommendation` is the clinician's view; this condenses it for the CLI's
`--for clinician` and for clinician web pages: the likely category in words (never a
diagnosis), the injectable options the prescriber may discuss, each caution with its text
from the rule base's cautions file, the red flags that fired, and every fired rule with its
rationale and evidence. None of it is ever shown to a client (brief 0.1, 8.4).
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from ..contract.recommendation import Category, Firing, InjectableOption, Recommendation
from ..rulebase.model import RuleBase

CATEGORY_WORDS: Mapping[str, str] = {
    "N0": "normal variation",
    "M1": "muscle under-activity, not nerve-related (a weaker side)",
    "M2": "muscle over-activity or enlargement",
    "M3": "nerve-related weakness",
    "S1": "skeletal (bone) difference",
    "S2": "progressive skeletal change",
    "D1": "dental or bite change",
    "V1": "soft-tissue volume or fat distribution",
    "V2": "progressive soft-tissue loss",
    "L1": "lump, swelling or infection",
    "T1": "after an injury",
    "unclear": "unclear from the answers",
}
"""The contract's category codes named as in brief 2.2 (clinician-facing vocabulary)."""


class _Summary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CautionNote(_Summary):
    id: str
    text: str = Field(description="The caution's text from the rule base's cautions file.")
    evidence: list[str]


class ClinicianSummary(_Summary):
    """For the prescriber only: category, options, cautions, red flags and fired rules."""

    category: Category
    category_words: str = Field(description="The likely category in words; not a diagnosis.")
    injectable_options: list[InjectableOption]
    cautions: list[CautionNote]
    red_flags: list[str]
    not_asked: list[str] = Field(
        description="Questions not asked because they cannot change this result (id and text)."
    )
    rules: list[Firing] = Field(description="Every rule that fired, in firing order.")
    rulebase: str = Field(description="Rule base name, version and fingerprint.")


def clinician_summary(recommendation: Recommendation, rulebase: RuleBase) -> ClinicianSummary:
    """The summary of a recommendation made with `rulebase` (for the cautions' texts).

    A caution the rule base does not define keeps its id as its text, so nothing is dropped.
    """
    notes = []
    for caution in recommendation.cautions:
        known = rulebase.cautions.get(caution)
        notes.append(
            CautionNote(
                id=caution,
                text=known.text if known else caution,
                evidence=list(known.evidence) if known else [],
            )
        )
    info = recommendation.rulebase
    return ClinicianSummary(
        category=recommendation.category,
        category_words=CATEGORY_WORDS[recommendation.category],
        injectable_options=list(recommendation.injectable_options),
        cautions=notes,
        red_flags=list(recommendation.red_flags),
        not_asked=[
            f"{q.id} {q.text}"
            for q in rulebase.questions.questions
            if q.field in recommendation.not_asked
        ],
        rules=list(recommendation.explanation),
        rulebase=f"{info.name} {info.version} ({info.fingerprint[:12]})",
    )
