"""Which question to ask next, from the question data and the answers so far.

The CLI and the booking website both drive the questionnaire through this one function, so
both ask the same questions in the same order and both stop at a red flag.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from .fields import FieldKind, field_specs
from .ruleschema import Question as QuestionData
from .ruleschema import QuestionFile

BOOLEAN_OPTIONS = (("true", "Yes"), ("false", "No"))


class Option(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: str | bool
    label: str


class EnableWhen(BaseModel):
    """Ask the question only when an earlier answer is one of these values."""

    model_config = ConfigDict(frozen=True)

    field: str
    one_of: list[str | bool | int]


class Question(BaseModel):
    """One question as a front end shows it."""

    model_config = ConfigDict(frozen=True)

    id: str
    field: str
    block: str
    block_title: str
    text: str
    help: str | None
    kind: FieldKind
    options: list[Option]
    minimum: int | None = None
    maximum: int | None = None
    min_items: int | None = None
    """For lists: how many options must be chosen at least (0: none may be chosen)."""
    required: bool
    multiple: bool
    enable_when: EnableWhen | None = None
    for_clinician: bool = False
    """True for a question a clinician answers after seeing the person, never the client."""
    position: int | None
    """1-based place among the questions a client is asked (None for clinician questions)."""
    total: int
    """How many questions a client can be asked (conditional ones included)."""


def present(data: QuestionFile, question: QuestionData) -> Question:
    """The public view of one question."""
    spec = field_specs()[question.field]
    if spec.kind == "boolean":
        options = [Option(value=value == "true", label=label) for value, label in BOOLEAN_OPTIONS]
    else:
        options = [Option(value=value, label=question.options[value]) for value in spec.values]
    askable = [q.field for q in data.questions if q.ask]
    return Question(
        id=question.id,
        field=question.field,
        block=question.block,
        block_title=data.blocks[question.block],
        text=question.text,
        help=question.help,
        kind=spec.kind,
        options=options,
        minimum=spec.minimum,
        maximum=spec.maximum,
        min_items=spec.min_items if spec.kind == "multi" else None,
        required=spec.required or question.enable_when is not None,
        multiple=spec.kind == "multi",
        enable_when=(
            EnableWhen(field=question.enable_when.field, one_of=list(question.enable_when.one_of))
            if question.enable_when
            else None
        ),
        for_clinician=not question.ask,
        position=askable.index(question.field) + 1 if question.ask else None,
        total=len(askable),
    )


def is_enabled(question: QuestionData, answers: Mapping[str, Any]) -> bool:
    """Whether a question applies: it has no condition, or the earlier answer it follows is
    one of its values (for a list answer, any chosen item is)."""
    gate = question.enable_when
    if gate is None:
        return True
    answer = answers.get(gate.field)
    if isinstance(answer, list | tuple):
        return any(item in gate.one_of for item in answer)
    return answer in gate.one_of


def pending_follow_up(
    data: QuestionFile, answers: Mapping[str, Any], fields: Collection[str]
) -> Question | None:
    """The first enabled, unanswered follow-up question on one of `fields`.

    A stopping red flag may still be refined by its own follow-up (which sign after recent
    injections, a headache with sudden weakness), so that follow-up is asked before the stop.
    """
    for question in data.questions:
        if (
            question.ask
            and question.enable_when is not None
            and question.field in fields
            and question.field not in answers
            and is_enabled(question, answers)
        ):
            return present(data, question)
    return None


def pending(data: QuestionFile, answers: Mapping[str, Any]) -> Question | None:
    """The first askable, enabled question not yet answered."""
    for question in data.questions:
        if question.ask and question.field not in answers and is_enabled(question, answers):
            return present(data, question)
    return None


def all_questions(data: QuestionFile, include_clinician: bool = False) -> list[Question]:
    """Every question in order, for a front end that renders its own form.

    Questions for a clinician only (such as the assessed cause) are left out unless asked for.
    """
    return [present(data, q) for q in data.questions if q.ask or include_clinician]
