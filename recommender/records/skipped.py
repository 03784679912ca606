"""Which questions a consult record marks as not asked, and why.

A follow-up whose condition was not met, or a question its `ask_when` skips (its answer cannot
change the recommendation), was not asked (`not_applicable`); when a red flag ended
the questionnaire early, the questions after it were not asked either (`stopped_early`); an
optional question left blank is `not_answered`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..intake.questions import is_asked
from ..rulebase.schema import QuestionEntry, QuestionFile

SkipReason = Literal["not_applicable", "stopped_early", "not_answered"]


class SkippedQuestion(BaseModel):
    """A question the person was not asked."""

    model_config = ConfigDict(frozen=True)

    question: str
    field: str
    reason: SkipReason


def skipped_questions(
    questions: QuestionFile, answers: Mapping[str, Any], stopped_early: bool
) -> list[SkippedQuestion]:
    """The client questions left unanswered, in questionnaire order, each with its reason."""
    skipped = []
    for question in questions.questions:
        if not question.ask or question.field in answers:
            continue
        reason = _reason(question, answers, stopped_early)
        skipped.append(SkippedQuestion(question=question.id, field=question.field, reason=reason))
    return skipped


def _reason(question: QuestionEntry, answers: Mapping[str, Any], stopped_early: bool) -> SkipReason:
    """Why one unanswered question was not asked."""
    gate = question.enable_when.field if question.enable_when else None
    if question.ask_when is not None:
        gate = question.ask_when.field
    if not is_asked(question, answers) and (gate is None or gate in answers):
        return "not_applicable"
    return "stopped_early" if stopped_early else "not_answered"
