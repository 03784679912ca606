"""What `facesym verify` proves of the questions a rule base skips (`ask_when`).

A question is skipped when its test on an earlier answer fails. The walk proves, in every
rule group that reads the answer, that no rule could fire differently had the question been
answered, whatever the answer (`Walk._check_skips`), so the recommendation (pathway, urgency,
category, options, cautions, cards, programme) is the same either way. Rules are the only
readers it checks, so a skippable answer that something else reads (the programme builder,
the contract invariants, the independent safety tables) is a finding in itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..rulebase.model import RuleBase
from .space import COUPLED, INVARIANT_FIELDS, NET_FIELDS, PROGRAMME_FIELDS, skips_of

KIND = "skip"
"""The verify finding kind for a skipped question whose answer could change the outcome."""

READ_OUTSIDE_RULES: Mapping[str, str] = {
    **dict.fromkeys(NET_FIELDS, "the safety tables"),
    **dict.fromkeys(INVARIANT_FIELDS, "the contract invariants"),
    **dict.fromkeys(PROGRAMME_FIELDS, "the exercise programme"),
    **dict.fromkeys(COUPLED, "the event pairing"),
}


def unprovable(rulebase: RuleBase) -> list[str]:
    """Skippable answers something other than the rules reads: the walk cannot prove them."""
    return [
        f"question {skip.question} ({skip.field}) is skipped unless {skip.describe()}, but"
        f" {READ_OUTSIDE_RULES[skip.field]} read it, so skipping it cannot be proven harmless"
        for skip in skips_of(rulebase)
        if skip.field in READ_OUTSIDE_RULES
    ]
