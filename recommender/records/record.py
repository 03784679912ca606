"""What the store hands back: a whole consult record, a line of the clinic list, a log entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..contract.recommendation import Pathway, Recommendation, RuleBaseInfo, Urgency
from .consent import Consent
from .skipped import SkippedQuestion

Action = Literal["view", "list", "erase", "purge"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConsultRecord(_Frozen):
    """One consult, as a clinician reads it: the answers, what was not asked, the clinician
    view of the recommendation, the rule base that made it, and the consent behind it."""

    reference: str
    shown_as: str
    """The reference as the client saw it (two groups of five)."""
    created_at: datetime
    expires_at: datetime
    consent: Consent
    answers: dict[str, Any]
    skipped: list[SkippedQuestion]
    recommendation: Recommendation
    rulebase: RuleBaseInfo
    fired_rules: list[str]
    """The rule ids in the order they fired (the recommendation's explanation has the rest)."""


class ConsultSummary(_Frozen):
    """One line of the clinic list."""

    reference: str
    shown_as: str
    created_at: datetime
    expires_at: datetime
    pathway: Pathway
    urgency: Urgency | None
    red_flags: list[str]


class AccessEntry(_Frozen):
    """Who did what to which record, and when."""

    at: datetime
    user: str
    reference: str
    action: Action
