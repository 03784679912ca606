"""A stage's decision-relevant content as text, so rule bases walked together share a stage.

`diff` walks old and new rule bases in one walk; where a stage's key is equal in both, the
stage is decided once for both (`StepQueries.units`).
"""

from __future__ import annotations

import json
from typing import Any

from ..rulebase.model import RuleBase


def stage_key(rulebase: RuleBase, stage_index: int) -> str:
    """Everything about a stage the walk reads, as text: equal keys, equal decisions.

    Wording (descriptions, rationale, evidence, examples, card texts) is left out: it changes
    no decision, so a wording-only change still lets old and new share the stage.
    """
    stage = rulebase.stages[stage_index]

    def card(card_id: str) -> list[Any]:
        entry = rulebase.cards[card_id]
        return [card_id, entry.rank, entry.indicator, entry.booking]

    rules = [
        [
            rule.id,
            rule.order,
            rule.reads,
            rule.rule.priority,
            rule.rule.fallback,
            rule.rule.when.model_dump(mode="json", by_alias=True),
            rule.rule.then.set,
            rule.rule.then.add,
            [card(card_id) for card_id in rule.rule.then.cards],
        ]
        for rule in stage.rules
    ]
    return json.dumps(
        {
            "id": stage.id,
            "derives": {n: d.model_dump(exclude={"description"}) for n, d in stage.derives.items()},
            "raises": {n: d.model_dump(exclude={"description"}) for n, d in stage.raises.items()},
            "stop_when": stage.stop_when.model_dump() if stage.stop_when else None,
            "stops": [stop.model_dump() for stop in stage.stops],
            "inputs": sorted(stage.inputs),
            "rules": rules,
        },
        sort_keys=True,
    )
