"""The catalogue files a client reads from: cards, services, cautions and the questions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ._base import Name, Scalar, Strict, Text
from ._conditions import FieldTest


class CardEntry(Strict):
    """A message for the person (patient-facing text: plain English, no medicine names)."""

    rank: int = Field(description="Lower comes first in the recommendation.")
    indicator: Literal["info", "warning", "critical"]
    summary: Text
    detail: Text
    source: Annotated[list[Text], Field(min_length=1)]
    booking: str | None = None


class CardFile(Strict):
    cards: dict[Name, CardEntry]


class ServiceEntry(Strict):
    """A step the clinic can book."""

    label: Text
    description: Text
    injectables: bool = Field(description="True for any appointment about toxin or filler.")


class ServiceFile(Strict):
    services: dict[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9-]*$")], ServiceEntry]


class CautionDef(Strict):
    """A flag for the prescriber, shown to clinicians only."""

    text: Text
    evidence: Annotated[list[Text], Field(min_length=1)]


class CautionFile(Strict):
    cautions: dict[Name, CautionDef]


class EnableWhenEntry(Strict):
    field: Name
    one_of: Annotated[list[Scalar], Field(min_length=1)]


class QuestionEntry(Strict):
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


class QuestionFile(Strict):
    blocks: dict[Name, Text]
    questions: Annotated[list[QuestionEntry], Field(min_length=1)]
