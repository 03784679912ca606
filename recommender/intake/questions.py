"""Which question to ask next, from the question data and the answers so far.

The CLI and the booking website both drive the questionnaire through this one function, so
both ask the same questions in the same order and both stop at a red flag.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..contract.fields import FieldKind, field_specs
from ..rulebase.conditions import predicate
from ..rulebase.schema import QuestionEntry, QuestionFile

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
    ask_when: dict[str, Any] | None = None
    """Asked only when this test on an earlier answer holds (e.g. `{"field": "age", "gte": 18}`);
    otherwise the answer cannot change the recommendation, and the question is skipped."""
    for_clinician: bool = False
    """True for a question a clinician answers after seeing the person, never the client."""
    position: int | None
    """1-based place among the questions this person is asked (None for clinician questions)."""
    total: int
    """How many questions this person is asked, as far as the answers so far tell: the
    follow-ups their answers opened, without the questions their answers skip. With no answers
    yet, every question a client can be asked."""


def asked(data: QuestionFile, answers: Mapping[str, Any] | None) -> list[QuestionEntry]:
    """The questions a client is asked, in order: all of them when `answers` is None, else
    those the answers so far leave open (a follow-up once its answer is known to call for it)."""
    return [q for q in data.questions if q.ask and (answers is None or _counted(q, answers))]


def _counted(question: QuestionEntry, answers: Mapping[str, Any]) -> bool:
    """Whether a question counts towards the total: asked as far as the answers tell, or
    skippable by an answer not given yet (so the total shrinks, rather than grows, once the
    person's age skips it)."""
    test = question.ask_when
    if test is not None and test.field not in answers:
        return is_enabled(question, answers)
    return is_asked(question, answers)


def present(
    data: QuestionFile, question: QuestionEntry, answers: Mapping[str, Any] | None = None
) -> Question:
    """The public view of one question; `answers` so far decide its place and the total."""
    spec = field_specs()[question.field]
    if spec.kind == "boolean":
        options = [Option(value=value == "true", label=label) for value, label in BOOLEAN_OPTIONS]
    else:
        options = [Option(value=value, label=question.options[value]) for value in spec.values]
    askable = [q.field for q in asked(data, answers)]
    if question.ask and question.field not in askable:
        askable = [q.field for q in asked(data, None)]
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
        ask_when=(question.ask_when.model_dump(exclude_none=True) if question.ask_when else None),
        for_clinician=not question.ask,
        position=askable.index(question.field) + 1 if question.ask else None,
        total=len(askable),
    )


def is_enabled(question: QuestionEntry, answers: Mapping[str, Any]) -> bool:
    """Whether a question applies: it has no condition, or the earlier answer it follows is
    one of its values (for a list answer, any chosen item is)."""
    gate = question.enable_when
    if gate is None:
        return True
    answer = answers.get(gate.field)
    if isinstance(answer, list | tuple):
        return any(item in gate.one_of for item in answer)
    return answer in gate.one_of


def is_asked(question: QuestionEntry, answers: Mapping[str, Any]) -> bool:
    """Whether a question applies to this person: enabled by the answer it follows, and not
    skipped by its `ask_when` (a test on an earlier answer, with the rules' semantics)."""
    if not is_enabled(question, answers):
        return False
    return question.ask_when is None or predicate(question.ask_when)(answers)


def skipped(data: QuestionFile, answers: Mapping[str, Any]) -> list[str]:
    """The fields of questions these answers skip by `ask_when` (not asked, and not needed)."""
    return _unanswered_by_ask_when(data, answers, asked=False)


def required_by_asking(data: QuestionFile, answers: Mapping[str, Any]) -> list[str]:
    """Fields a complete questionnaire must answer because their `ask_when` holds: the
    contract lets a questionnaire leave them out only when the question is not asked."""
    return _unanswered_by_ask_when(data, answers, asked=True)


def _unanswered_by_ask_when(
    data: QuestionFile, answers: Mapping[str, Any], asked: bool
) -> list[str]:
    """Unanswered questions with an `ask_when`, asked of this person or skipped."""
    return [
        q.field
        for q in data.questions
        if q.ask_when is not None and q.field not in answers and is_asked(q, answers) is asked
    ]


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
            return present(data, question, answers)
    return None


def pending(data: QuestionFile, answers: Mapping[str, Any]) -> Question | None:
    """The first askable, enabled question not yet answered."""
    for question in data.questions:
        if question.ask and question.field not in answers and is_asked(question, answers):
            return present(data, question, answers)
    return None


def all_questions(data: QuestionFile, include_clinician: bool = False) -> list[Question]:
    """Every question in order, for a front end that renders its own form.

    Questions for a clinician only (such as the assessed cause) are left out unless asked for.
    """
    return [present(data, q) for q in data.questions if q.ask or include_clinician]


def usual_count(questions: Collection[Question]) -> int:
    """How many questions a person is usually asked: every one but the follow-ups."""
    return sum(1 for question in questions if question.enable_when is None)


SECONDS_PER_QUESTION = 15
"""A rough time to read a question and choose an answer, for the estimate at the start (not
measured: a guide for the person, rounded up to whole minutes)."""


def length_words(questions: int, left: bool = False) -> str:
    """How long the questionnaire takes, in words: "About 43 questions, about 11 minutes";
    `left` when some are answered already."""
    minutes = max(1, -(-questions * SECONDS_PER_QUESTION // 60))
    what = f"About {questions} questions {'left' if left else ''}".rstrip()
    return (
        f"{what}, which take about {minutes} minutes; a few more follow only when an answer"
        " calls for them, and some are left out when they cannot matter."
    )
