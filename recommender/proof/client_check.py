"""`facesym verify`'s proof that no client ever sees what only a clinician may.

The walk does not keep every card of every end class, so the proof does not scan end classes
one by one. It rests on how a client view is built instead:

1. Structure: every field of `ClientRecommendation`, at any depth, is a bool, a literal of
   plain words, a nested client model, a list of these, or a text whose catalogue part is
   named in `client_view.TEXT_SOURCES`, or a whole number named in `NUMBER_FIELDS`. A field
   of any other kind, or a text or number field not named there, is a finding, so a new
   field cannot slip past the proof.
2. Parts: every value each named source can hold is enumerated from the rule base (every
   card's summary and detail, every service name and description, every region label, every
   exercise, schedule, side and stop-list text) or from the fixed word tables, and each one
   is scanned (`client_text`). The questions, help and option labels a client answers are
   scanned the same way.

Any client view of any end class is assembled from those parts only, so 1 and 2 together
cover every end class. Each end class that verify replays through the real engine is also
checked directly: its client view and the CLI text rendered from it are scanned, and each
text must be one of the enumerated parts of its declared source (which confirms point 1
against the real builder).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..rulebase.model import RuleBase
from ..views.client import (
    HOW_SOON_WORDS,
    MARKUP_FIELDS,
    NEXT_STEP_WORDS,
    NUMBER_FIELDS,
    SIDE_MARKS,
    TEXT_SOURCES,
    ClientRecommendation,
    illustration,
    region_labels,
)
from ..views.client_text import ClientTextChecker, looks_like_code

KIND = "client_text"
"""The verify finding kind for anything a client could see that it must not."""


@dataclass(frozen=True)
class ClientPart:
    """One catalogue text that can reach a client, and where it lives."""

    source: str
    where: str
    text: str
    field: str = ""


def view_parts(rulebase: RuleBase) -> Iterator[ClientPart]:
    """Every value each source in `TEXT_SOURCES` can hold for this rule base."""
    for pathway, words in NEXT_STEP_WORDS.items():
        yield ClientPart("next_step_words", f"next step words for {pathway}", words)
    for urgency, words in HOW_SOON_WORDS.items():
        yield ClientPart("how_soon_words", f"how-soon words for {urgency}", words)
    for card_id, card in rulebase.cards.items():
        yield ClientPart("card_summary", f"card {card_id} summary", card.summary)
        yield ClientPart("card_detail", f"card {card_id} detail", card.detail)
    for code, service in rulebase.services.items():
        yield ClientPart("service_name", f"service {code} label", service.label)
        yield ClientPart("service_about", f"service {code} description", service.description)
    for region, label in region_labels(rulebase).items():
        yield ClientPart("region_label", f"region {region} label", label)
    catalogue = rulebase.exercises
    for exercise_id, exercise in catalogue.exercises.items():
        for name in ("name", "area", "how_to", "dose", "caution"):
            text = getattr(exercise, name)
            if text:
                yield ClientPart("exercise_text", f"exercise {exercise_id} {name}", text)
        for index, text in enumerate(exercise.steps, start=1):
            yield ClientPart("exercise_text", f"exercise {exercise_id} step {index}", text)
        where = f"exercise {exercise_id} illustration text"
        yield ClientPart("illustration_text", where, exercise.illustration.text)
    for side, text in catalogue.side_emphasis.items():
        yield ClientPart("side_emphasis", f"side emphasis {side}", text)
    marks = catalogue.illustration_side_marks
    yield ClientPart("illustration_note", "illustration side mark left", marks.left)
    yield ClientPart("illustration_note", "illustration side mark right", marks.right)
    for phase in catalogue.schedule:
        for text in (phase.phase, phase.weeks, phase.frequency, phase.what):
            yield ClientPart("schedule_text", f"schedule phase {phase.phase}", text)
        for commitment, text in (phase.session or {}).items():
            where = f"schedule phase {phase.phase} session for {commitment}"
            yield ClientPart("schedule_text", where, text)
    yield ClientPart("session_note", "session note", catalogue.session.note)
    for index, text in enumerate(catalogue.stop_if, start=1):
        yield ClientPart("stop_if", f"stop-if item {index}", text)


def drawing_parts(rulebase: RuleBase) -> Iterator[ClientPart]:
    """The words inside each drawing (its title and description), which a screen reader or
    a browser's tooltip can show."""
    for exercise_id, drawing in rulebase.drawings.items():
        where = f"exercise {exercise_id} drawing {drawing.file}"
        yield ClientPart("drawing", f"{where} title", drawing.title)
        if drawing.description:
            yield ClientPart("drawing", f"{where} description", drawing.description)


def drawing_markups(rulebase: RuleBase) -> set[str]:
    """Every SVG markup a client view can hold: each drawing unmarked and marked on either
    side, as the client view builds it."""
    return {
        illustration(rulebase, exercise_id, side).svg
        for exercise_id in rulebase.drawings
        for side in (None, *SIDE_MARKS)
    }


def question_parts(rulebase: RuleBase) -> Iterator[ClientPart]:
    """What a client reads while answering: block titles, questions, help, option labels."""
    data = rulebase.questions
    for block, title in data.blocks.items():
        yield ClientPart("question", f"block {block} title", title)
    for question in data.questions:
        if not question.ask:
            continue  # answered by a clinician, never shown to the client
        where = f"question {question.id}"
        yield ClientPart("question", f"{where} text", question.text)
        if question.help:
            yield ClientPart("question", f"{where} help", question.help)
        for value, label in question.options.items():
            yield ClientPart("question", f"{where} option {value}", label, question.field)


def _leaves(annotation: Any) -> Iterator[Any]:
    """The leaf types of an annotation, through `list[...]` and `X | None`."""
    origin = get_origin(annotation)
    if origin in (list, Union, UnionType):
        for argument in get_args(annotation):
            if argument is not NoneType:
                yield from _leaves(argument)
    else:
        yield annotation


def structure_problems(
    checker: ClientTextChecker, model: type[BaseModel] = ClientRecommendation, prefix: str = ""
) -> list[str]:
    """Point 1 of the proof: every field of the client model has a bounded, known source."""
    problems: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        for leaf in _leaves(info.annotation):
            if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                problems += structure_problems(checker, leaf, f"{path}.")
            elif leaf is str and path in MARKUP_FIELDS:
                continue  # one of the checked drawings: `view_problems` proves which
            elif leaf is str:
                if path not in TEXT_SOURCES:
                    problems.append(f"client view field {path} is text with no declared source")
            elif get_origin(leaf) is Literal:
                for value in get_args(leaf):
                    if not isinstance(value, str) or looks_like_code(value):
                        problems.append(f"client view field {path} may hold the code {value!r}")
                    problems += [f"client view field {path}: {p}" for p in checker.problems(value)]
            elif leaf is int and path in NUMBER_FIELDS:
                continue  # a computed count or duration: no words to check
            elif leaf is not bool:
                problems.append(f"client view field {path} has a type the proof cannot bound")
    return problems


def view_texts(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, text) for every free text in a client view, lists flattened; drawing
    markup is not text (see `view_markups`)."""
    return ((path, text) for path, text in _strings(value, prefix) if path not in MARKUP_FIELDS)


def view_markups(value: Any) -> Iterator[tuple[str, str]]:
    """(dotted path, SVG markup) for every drawing in a client view."""
    return ((path, text) for path, text in _strings(value, "") if path in MARKUP_FIELDS)


def _strings(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if all(get_origin(leaf) is Literal for leaf in _leaves(info.annotation)):
                continue  # a fixed set of plain words, each checked by `structure_problems`
            yield from _strings(getattr(value, name), f"{prefix}{name}.")
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, prefix)
    elif isinstance(value, str):
        yield prefix.rstrip("."), value


class ClientProof:
    """The client-view proof for one rule base: its parts, and checks of real views."""

    def __init__(self, rulebase: RuleBase) -> None:
        self.rulebase = rulebase
        self.checker = ClientTextChecker(rulebase)
        self.parts = list(view_parts(rulebase))
        self._by_source: dict[str, set[str]] = {}
        for part in self.parts:
            self._by_source.setdefault(part.source, set()).add(part.text)
        self._seen: dict[str, list[str]] = {}
        self._markups = drawing_markups(rulebase)

    def _scanned_parts(self) -> tuple[ClientPart, ...]:
        return (*self.parts, *drawing_parts(self.rulebase), *question_parts(self.rulebase))

    @property
    def part_count(self) -> int:
        """How many texts `catalogue_problems` scans."""
        return len(self._scanned_parts())

    def catalogue_problems(self) -> list[str]:
        """Points 1 and 2: the structure, then every part that can reach a client."""
        problems = structure_problems(self.checker)
        for part in self._scanned_parts():
            problems += [
                f"{part.where}: {problem}: {part.text!r}"
                for problem in self.checker.problems(part.text, part.field)
            ]
        return problems

    def _text_problems(self, text: str) -> list[str]:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self.checker.problems(text)
        return found

    def view_problems(self, view: ClientRecommendation, rendered: str) -> list[str]:
        """A real client view and its rendered text: clean, and built from declared parts."""
        problems = []
        for path, markup in view_markups(view):
            if markup not in self._markups:
                problems.append(f"client view field {path} holds a drawing not checked at load")
        for path, text in view_texts(view):
            source = TEXT_SOURCES.get(path)
            if source is None or text not in self._by_source.get(source, set()):
                problems.append(f"client view field {path} holds text not from its source")
            problems += [f"client view field {path}: {p}" for p in self._text_problems(text)]
        for line in rendered.splitlines():
            problems += [f"client text output: {p}" for p in self._text_problems(line)]
        return problems
