"""Turn what the stages decided into the contract's `Recommendation`.

Plain assembly, no clinical decisions: card texts, the programme and the cautions all come
from the rule base's catalogue files, chosen by the rules that fired.

The parts that never change for a rule base (each card's fields, each rule's rationale and
evidence) are prepared once per `Composer`. Validation builds every recommendation's models and
lists anew from them, so no caller can change another's through a shared list
(tests/test_compose.py).
"""

from __future__ import annotations

from typing import Any

from ..contract.constants import NO_URGENCY, NOT_CLASSIFIED, OFFER_PROGRAMME
from ..contract.recommendation import Card, Recommendation, RuleBaseInfo
from ..intake.questions import skipped
from ..programme._model import build_programme
from ..rulebase.model import RuleBase
from ..rulebase.schema import QuestionFile
from ..rulebase.signoff import awaiting_note, signoff_status
from .stages import PipelineResult


class Composer:
    """Assembles recommendations for one rule base."""

    def __init__(self, rulebase: RuleBase) -> None:
        self.rulebase = rulebase
        self._cards = {
            card_id: Card(id=card_id, **card.model_dump(exclude={"rank"})).model_dump()
            for card_id, card in rulebase.cards.items()
        }
        self._ranks = {card_id: card.rank for card_id, card in rulebase.cards.items()}
        signoff = signoff_status(rulebase)
        skippable = any(q.ask_when is not None for q in rulebase.questions.questions)
        self._questions: QuestionFile | None = rulebase.questions if skippable else None
        self._rules = {
            entry.rule.id: {
                "rule": entry.rule.id,
                "stage": entry.rule.stage,
                "rationale": entry.rule.rule.rationale,
                "evidence": list(entry.rule.rule.evidence),
                "awaiting_review": awaiting_note(entry),
            }
            for entry in signoff.rules
        }
        self._info = RuleBaseInfo(
            name=rulebase.name,
            version=rulebase.version,
            fingerprint=rulebase.fingerprint,
            signed_off=signoff.fully_signed,
            rules_not_signed_off=signoff.not_signed_off,
        )

    def cards(self, result: PipelineResult) -> list[dict[str, Any]]:
        """The fired rules' cards, each once, most important first (ties: firing order)."""
        ids = list(dict.fromkeys(card for f in result.firings for card in f.rule.rule.then.cards))
        ids.sort(key=self._ranks.__getitem__)
        return [self._cards[card_id] for card_id in ids]

    def explanation(self, result: PipelineResult) -> list[dict[str, Any]]:
        return [
            {**self._rules[firing.rule.id], "matched": dict(firing.matched)}
            for firing in result.firings
        ]

    def compose(self, result: PipelineResult) -> Recommendation:
        """Assemble the recommendation from a finished pipeline run."""
        context = result.context
        pathway = result.stop.pathway if result.stop is not None else context["pathway"]
        urgency = context.get("urgency", NO_URGENCY)
        programme = (
            build_programme(self.rulebase.exercises, context)
            if context.get("exercise_programme") == OFFER_PROGRAMME
            else None
        )
        cautions = list(dict.fromkeys(c for f in result.firings for c in f.rule.rule.then.cautions))
        # One validation of the whole nested data: far cheaper than a model per card.
        return Recommendation.model_validate(
            {
                "pathway": pathway,
                "urgency": None if urgency == NO_URGENCY else urgency,
                "category": context.get("category", NOT_CLASSIFIED),
                "cards": self.cards(result),
                "exercise_programme": programme,
                "injectable_options": list(context.get("injectable_options", [])),
                "cautions": cautions,
                "explanation": self.explanation(result),
                "rulebase": self._info,
                "red_flags": list(context.get("red_flags", [])),
                "stopped_early": result.stopped_at is not None,
                "not_asked": skipped(self._questions, context) if self._questions else [],
            }
        )
