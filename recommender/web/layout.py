"""The questionnaire's shape for the page, read from the library's question metadata.

Nothing here is a copy of the questions: the blocks, texts, help, options, bounds and which
questions are asked only after another answer (`enable_when`) all come from
`Recommender.questions()`, which lists only what a client is asked. A clinic that edits
`rules/catalogue/questions.yaml` changes the page without touching this code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recommender import Question, Recommender


def form_text(value: object) -> str:
    """How an answer value is written in an HTML form (`true`/`false` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class ShownQuestion:
    """One question as the page shows it, with the condition under which it is asked."""

    question: Question
    enable_field: str | None = None
    enable_values: tuple[str, ...] = ()

    @property
    def field(self) -> str:
        return self.question.field

    def enabled(self, answers: Mapping[str, Any]) -> bool:
        """Whether the question applies, given the answers so far."""
        if self.enable_field is None:
            return True
        given = answers.get(self.enable_field)
        return given is not None and form_text(given) in self.enable_values


@dataclass(frozen=True)
class Block:
    """A page of the questionnaire: the questions of one block, in the library's order."""

    id: str
    title: str
    number: int
    questions: tuple[ShownQuestion, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(shown.field for shown in self.questions)


class Layout:
    """Every block a person is asked, in order. Immutable: built once, shared by all threads."""

    def __init__(self, recommender: Recommender) -> None:
        grouped: dict[str, list[ShownQuestion]] = {}
        titles: dict[str, str] = {}
        for question in recommender.questions():  # the client's questions only
            gate = question.enable_when
            shown = ShownQuestion(
                question=question,
                enable_field=gate.field if gate else None,
                enable_values=tuple(form_text(v) for v in gate.one_of) if gate else (),
            )
            grouped.setdefault(question.block, []).append(shown)
            titles[question.block] = question.block_title
        self.blocks: tuple[Block, ...] = tuple(
            Block(id=block, title=titles[block], number=number, questions=tuple(questions))
            for number, (block, questions) in enumerate(grouped.items(), start=1)
        )
        self._by_block = {block.id: block for block in self.blocks}
        self._by_field = {shown.field: shown for block in self.blocks for shown in block.questions}

    def block(self, block_id: str) -> Block | None:
        return self._by_block.get(block_id)

    def question(self, field: str) -> ShownQuestion | None:
        return self._by_field.get(field)

    @property
    def first(self) -> Block:
        return self.blocks[0]
