"""The "check your answers" page: every answer given, in the question's own words.

Nothing here is written by hand: question texts and option labels come from the library's
question metadata (`Recommender.questions()`), the same data the questionnaire pages show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .layout import Block, Layout, ShownQuestion, form_text

NOTHING_CHOSEN = "None of these"


@dataclass(frozen=True)
class AnswerRow:
    """One question and the answer given, with the part of the questionnaire to change it."""

    question: str
    answer: str
    block: Block


def answer_words(shown: ShownQuestion, value: Any) -> str:
    """An answer as the person chose it: the option labels, or the number typed."""
    labels = {form_text(option.value): option.label for option in shown.question.options}
    items = value if isinstance(value, list) else [value]
    words = [labels.get(form_text(item), form_text(item)) for item in items]
    return ", ".join(words) if words else NOTHING_CHOSEN


def answer_rows(layout: Layout, answers: Mapping[str, Any]) -> list[AnswerRow]:
    """Every answered question that applies, in the questionnaire's order."""
    return [
        AnswerRow(shown.question.text, answer_words(shown, answers[shown.field]), block)
        for block in layout.blocks
        for shown in block.questions
        if shown.field in answers and shown.enabled(answers)
    ]


def previous_block(layout: Layout, block: Block, answers: Mapping[str, Any]) -> Block | None:
    """Where a part's Back control leads: the nearest earlier part with an answer, else the
    part just before it; None on the first part."""
    earlier = [b for b in layout.blocks if b.number < block.number]
    answered = [b for b in earlier if any(name in answers for name in b.fields)]
    if answered:
        return answered[-1]
    return earlier[-1] if earlier else None
