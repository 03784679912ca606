"""Turn what the stages decided into the contract's `Recommendation`.

Plain assembly, no clinical decisions: card texts, the programme and the cautions all come
from the rule base's catalogue files, chosen by the rules that fired.
"""

from __future__ import annotations

from .pipeline import PipelineResult
from .programme import build_programme
from .recommendation import Card, Firing, Recommendation, RuleBaseInfo
from .rulebase import RuleBase

NO_URGENCY = "none"
NOT_CLASSIFIED = "unclear"


def _cards(rulebase: RuleBase, result: PipelineResult) -> list[Card]:
    ids = list(dict.fromkeys(card for f in result.firings for card in f.rule.rule.then.cards))
    ids.sort(key=lambda card_id: rulebase.cards[card_id].rank)  # stable: firing order breaks ties
    return [
        Card(id=card_id, **rulebase.cards[card_id].model_dump(exclude={"rank"})) for card_id in ids
    ]


def _explanation(result: PipelineResult) -> list[Firing]:
    return [
        Firing(
            rule=firing.rule.id,
            stage=firing.rule.stage,
            matched=dict(firing.matched),
            rationale=firing.rule.rule.rationale,
            evidence=list(firing.rule.rule.evidence),
            awaiting_review=firing.rule.rule.review,
        )
        for firing in result.firings
    ]


def compose(rulebase: RuleBase, result: PipelineResult) -> Recommendation:
    """Assemble the recommendation from a finished pipeline run."""
    context = result.context
    if result.stopped_at is not None and result.stopped_at.stop_when is not None:
        pathway = result.stopped_at.stop_when.pathway
    else:
        pathway = context["pathway"]
    urgency = context.get("urgency", NO_URGENCY)
    programme = (
        build_programme(rulebase.exercises, context)
        if context.get("exercise_programme") == "offer"
        else None
    )
    cautions = list(dict.fromkeys(c for f in result.firings for c in f.rule.rule.then.cautions))
    return Recommendation(
        pathway=pathway,
        urgency=None if urgency == NO_URGENCY else urgency,
        category=context.get("category", NOT_CLASSIFIED),
        cards=_cards(rulebase, result),
        exercise_programme=programme,
        injectable_options=list(context.get("injectable_options", [])),
        cautions=cautions,
        explanation=_explanation(result),
        rulebase=RuleBaseInfo(
            name=rulebase.name, version=rulebase.version, fingerprint=rulebase.fingerprint
        ),
        red_flags=list(context.get("red_flags", [])),
        stopped_early=result.stopped_at is not None,
    )
