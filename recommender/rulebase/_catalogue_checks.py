"""Check the catalogue files against each other and the contract: cards and their services,
the exercises, the questions (and when each is asked), the drawings, and client wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..contract._preview import preview
from ..contract.constants import CRISIS_CARD
from ..contract.errors import RuleBaseError
from ..contract.fields import FieldSpec, field_specs
from ._illustrations import Drawing, IllustrationError, check_drawing
from ._reader import RuleFileReader
from ._rule_checks import check_test
from .schema import (
    CardFile,
    CatalogueFiles,
    ExerciseCatalogue,
    Manifest,
    QuestionEntry,
    QuestionFile,
    ServiceFile,
)
from .wording import client_texts, wording_problems


def check_catalogue(
    files: Manifest,
    cards: CardFile,
    services: ServiceFile,
    exercises: ExerciseCatalogue,
    derived: Mapping[str, FieldSpec],
) -> None:
    for card_id, card in cards.cards.items():
        if card.booking is not None and card.booking not in services.services:
            raise RuleBaseError(
                files.catalogue.cards, f"card {card_id}: unknown service {preview(card.booking)}"
            )
    if CRISIS_CARD not in cards.cards:
        raise RuleBaseError(files.catalogue.cards, f"the card {CRISIS_CARD!r} is required")
    where = files.catalogue.exercises
    specs = field_specs()
    for group_id, group in exercises.groups.items():
        spec = derived.get(group.status_field)
        if spec is None or spec.kind != "choice":
            raise RuleBaseError(
                where, f"group {group_id}: {group.status_field!r} is not a derived value"
            )
        missing = [s for s in exercises.blocked_statuses if s not in spec.values]
        if missing:
            raise RuleBaseError(where, f"group {group_id}: {group.status_field} has no {missing}")
    for exercise_id, exercise in exercises.exercises.items():
        bad = [r for r in exercise.regions if r not in specs["regions"].values]
        bad += [g for g in exercise.groups if g not in exercises.groups]
        if bad:
            raise RuleBaseError(where, f"exercise {exercise_id}: unknown region or group {bad}")
    _check_keys(where, "side_emphasis", exercises.side_emphasis, specs["side"].values)
    commitments = specs["exercise_commitment"].values
    _check_keys(where, "session rounds", exercises.session.rounds, commitments, unused=("none",))
    for phase in exercises.schedule:
        if phase.session is not None:
            _check_keys(
                where, f"schedule {phase.phase}", phase.session, commitments, unused=("none",)
            )


def _check_keys(
    where: str,
    what: str,
    mapping: Mapping[str, object],
    values: Sequence[str],
    unused: Sequence[str] = (),
) -> None:
    """`mapping` must have one entry per value, except the values listed as `unused`."""
    expected = set(values) - set(unused)
    if set(mapping) != expected:
        raise RuleBaseError(where, f"{what}: needs exactly the keys {sorted(expected)}")


def check_questions(where: str, questions: QuestionFile) -> None:
    specs = field_specs()
    seen: dict[str, str] = {}
    for question in questions.questions:
        spec = specs.get(question.field)
        if spec is None:
            raise RuleBaseError(where, f"question {question.id}: unknown field {question.field!r}")
        if question.field in seen or question.id in seen.values():
            raise RuleBaseError(where, f"question {question.id}: field or id asked twice")
        if question.block not in questions.blocks:
            raise RuleBaseError(where, f"question {question.id}: unknown block {question.block!r}")
        wanted = set(spec.values) if spec.kind in ("choice", "multi") else set()
        if set(question.options) != wanted:
            raise RuleBaseError(
                where, f"question {question.id}: options must be exactly {sorted(wanted) or 'none'}"
            )
        if question.enable_when is not None:
            gate = question.enable_when
            if gate.field not in seen:
                raise RuleBaseError(
                    where, f"question {question.id}: enable_when must read an earlier question"
                )
            if any(not specs[gate.field].allows(v) for v in gate.one_of):
                raise RuleBaseError(
                    where, f"question {question.id}: enable_when value not allowed for {gate.field}"
                )
        if question.ask_when is not None:
            _check_ask_when(where, question, questions, seen)
        seen[question.field] = question.id
    missing = [name for name in specs if name not in seen]
    if missing:
        raise RuleBaseError(where, f"no question for {', '.join(missing)}")


def load_drawings(reader: RuleFileReader, exercises: ExerciseCatalogue) -> dict[str, Drawing]:
    """Each exercise's drawing, checked; a missing or unsafe file fails the whole load with
    the file and the exercise id, like any other fault in the rule base."""
    drawings = {}
    for exercise_id, exercise in exercises.exercises.items():
        name = exercise.illustration.file
        try:
            drawing = check_drawing(name, reader.raw(name))
        except RuleBaseError as error:
            raise RuleBaseError(name, f"exercise {exercise_id}'s drawing: {error.detail}") from None
        except IllustrationError as error:
            raise RuleBaseError(name, f"exercise {exercise_id}'s drawing {error}") from None
        for text in (drawing.title, drawing.description):
            problems = wording_problems(text, "")
            if problems:
                raise RuleBaseError(
                    name,
                    f"exercise {exercise_id}'s drawing: client-facing text {'; '.join(problems)}",
                )
        drawings[exercise_id] = drawing
    return drawings


def _check_ask_when(
    where: str, question: QuestionEntry, questions: QuestionFile, seen: Mapping[str, str]
) -> None:
    """A skippable question: its test reads an earlier question that is always asked, and the
    contract lets a questionnaire leave its field out (so a skipped answer is never guessed)."""
    specs = field_specs()
    test = question.ask_when
    if test is None:
        return
    name = f"question {question.id}"
    if question.enable_when is not None:
        raise RuleBaseError(where, f"{name}: give enable_when or ask_when, not both")
    if test.field not in seen:
        raise RuleBaseError(where, f"{name}: ask_when must read an earlier question")
    earlier = next(q for q in questions.questions if q.field == test.field)
    if earlier.enable_when is not None or earlier.ask_when is not None or not earlier.ask:
        raise RuleBaseError(
            where, f"{name}: ask_when must read a question every client is asked ({test.field})"
        )
    problem = check_test(test, specs[test.field])
    if problem:
        raise RuleBaseError(where, f"{name}: ask_when {problem}")
    if specs[question.field].required:
        raise RuleBaseError(
            where,
            f"{name}: {question.field} is required by the contract, so it cannot be skipped",
        )


def check_client_text(
    names: CatalogueFiles,
    cards: CardFile,
    services: ServiceFile,
    questions: QuestionFile,
    exercises: ExerciseCatalogue,
) -> None:
    """Refuse client-facing text that names a medicine, promises results or diagnoses."""
    for item in client_texts(cards.cards, services.services, questions, exercises):
        problems = wording_problems(item.text, item.field)
        if problems:
            raise RuleBaseError(
                getattr(names, item.catalogue),
                f"{item.where}: client-facing text {'; '.join(problems)}",
            )
