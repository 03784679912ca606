"""The contract's fixed facts, each defined once, with where the contract or the brief states it.

Every other module reads these names instead of spelling the values again, so a fact cannot
drift between the validator, the pipeline, the views and the site. What a rule decides (which
answers raise which urgency, who may be offered what) stays in `rules/` as data; these are only
the names and thresholds the contract itself fixes and the code must check against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .recommendation import CATEGORIES, INJECTABLE_OPTIONS, PATHWAYS, URGENCIES

ADULT_AGE = 18
"""No injectable (`toxin`, `filler`) for anyone younger: contract v1 section 2 (invariant
"age < 18"), brief 4d (Botulinum Toxin and Cosmetic Fillers (Children) Act 2021). The rules in
`rules/` test `age` themselves; this is the line the invariant checks and the site hold them to."""

STOPPING_URGENCIES: tuple[str, ...] = ("emergency", "urgent")
"""Urgencies that end the questionnaire and override everything: contract v1 section 1 (the
adaptive flow may stop early) and section 2 (first invariant), brief 0.1 item 1 and 3.4. The
manifest's `stop_when` (rules/rulebase.yaml) names the same two values as rule-base data."""

CRISIS_CARD = "crisis_support"
"""The card that must come first when `self_harm_thoughts` is `yes`: contract v1 section 2
(invariant "crisis signposting is the first card"), brief 4e and 8.2 H4. Its text lives in
rules/cards.yaml; the loader refuses a rule base without it."""

NO_URGENCY = "none"
"""The derived `urgency` value for "no medical flag", shown as null (contract v1 section 2)."""

NOT_CLASSIFIED = "unclear"
"""The category when no rule classified the answers (contract v1 section 2, brief 2.2)."""

OPTION_STATUSES = frozenset({"ok", "caution", "defer", "refer", "absolute"})
"""What the screen stage may say of each option (brief 4a-4c: absolute contraindication,
defer, refer, caution); the composer and the invariants read these names."""

OFFER_PROGRAMME = "offer"
"""The `exercise_programme` value that builds a programme (contract v1 section 2)."""

DerivedKind = Literal["enum", "set"]

REQUIRED_DERIVED: Mapping[str, tuple[DerivedKind, frozenset[str]]] = {
    "toxin": ("enum", OPTION_STATUSES),
    "filler": ("enum", OPTION_STATUSES),
    "exercises": ("enum", OPTION_STATUSES),
    "urgency": ("enum", frozenset({NO_URGENCY, *URGENCIES})),
    "category": ("enum", frozenset(CATEGORIES)),
    "pathway": ("enum", frozenset(PATHWAYS)),
    "injectable_options": ("set", frozenset(INJECTABLE_OPTIONS)),
    "exercise_programme": ("enum", frozenset({"none", OFFER_PROGRAMME})),
}
"""Derived fields every rule base must produce, with the values each may take: the keys of
contract v1 section 2 (`pathway`, `urgency`, `category`, `injectable_options`,
`exercise_programme`) and the option statuses its invariants read (brief 4a-4c)."""


@dataclass(frozen=True)
class FollowUpPairing:
    """A follow-up answered exactly when an earlier field has one value."""

    follow_up: str
    asked_after: str
    asked_when: str

    def problem(self, earlier: object, follow_up_given: bool) -> str | None:
        """Why the pair is inconsistent, in words for the follow-up field; None when it is not."""
        if earlier == self.asked_when and not follow_up_given:
            return f"required when {self.asked_after} is {self.asked_when}"
        if follow_up_given and earlier != self.asked_when:
            return f"answered only when {self.asked_after} is {self.asked_when}"
        return None


EVENT_PAIRING = FollowUpPairing(
    follow_up="event", asked_after="first_noticed", asked_when="after_event"
)
"""`event` is required when `first_noticed` is `after_event`, absent otherwise: contract v1
section 1 (C3), brief 8.2 C3. rules/questions.yaml asks it with the same `enable_when`."""
