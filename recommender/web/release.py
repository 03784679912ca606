"""Whether a rule base may serve clients: every rule signed off by the prescriber, as it is now.

Production refuses to start otherwise, naming the rules (brief 8.4: every rule is signed off
before release); development starts with a banner on every page saying how many are not.
"""

from __future__ import annotations

from recommender.contract.errors import FacesymError
from recommender.rulebase.model import RuleBase
from recommender.rulebase.signoff import signoff_status


class UnsignedRulesError(FacesymError):
    """The rule base has rules a prescriber has not signed off (or that changed since)."""

    def __init__(self, stale: list[str], awaiting: list[str]) -> None:
        self.stale = stale
        self.awaiting = awaiting
        parts = []
        if stale:
            parts.append(f"changed since signed off ({len(stale)}): {', '.join(stale)}")
        if awaiting:
            parts.append(f"never signed off ({len(awaiting)}): {', '.join(awaiting)}")
        super().__init__(
            "the rule base is not signed off for production; rules "
            + "; rules ".join(parts)
            + ". Sign them with `facesym rules sign-off DIR`, or start with --dev to try it out."
        )


def not_signed_off(rulebase: RuleBase) -> tuple[list[str], list[str]]:
    """The ids of the stale rules and of those awaiting sign-off, in rule base order."""
    status = signoff_status(rulebase)
    stale = [entry.rule.id for entry in status.having("stale")]
    awaiting = [entry.rule.id for entry in status.having("awaiting")]
    return stale, awaiting


def require_signed_off(rulebase: RuleBase) -> None:
    """Raise `UnsignedRulesError` naming every rule not signed off as it is now."""
    stale, awaiting = not_signed_off(rulebase)
    if stale or awaiting:
        raise UnsignedRulesError(stale, awaiting)


def development_banner(rulebase: RuleBase) -> str:
    """The line every page shows in development mode."""
    stale, awaiting = not_signed_off(rulebase)
    count = len(stale) + len(awaiting)
    signed = "every rule is signed off" if count == 0 else f"{count} rules are not signed off"
    return f"Development mode, not for clients: {signed}."
