"""The safety invariants of contract v1, checked on every recommendation before it leaves.

A violation means the rule base is wrong. The recommendation is withheld (the caller gets
`UnsafeRecommendationError`), never quietly repaired, so `facesym verify` and the tests see
the fault instead of a mask over it.

The invariants read the answers only through the conditions declared in `ANSWER_SIGNS` (and
the independent tables of `safety_net`), in the rule files' condition syntax. `verify`'s
partition of each answer field is cut from these same declarations (`answer_tests`), so a
new invariant declared here refines the partition by itself, and `verify` refuses to run on
a partition coarser than a declaration (`proof._partition`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from ..contract.constants import ADULT_AGE, CRISIS_CARD, STOPPING_URGENCIES
from ..contract.recommendation import Card, Recommendation
from ..rulebase.conditions import Predicate, field_tests, predicate
from ..rulebase.model import RuleBase
from ..rulebase.schema import Condition, FieldTest
from .safety_net import (
    URGENCY_ORDER,
    absolute_contraindications,
    invariant_tests,
    minimum_urgencies,
    no_reassurance,
)

YES = ("yes", "not_sure")
ABSOLUTE = "absolute"
INJECTABLES = ("toxin", "filler")
"""Each injectable option is also the name of the screen stage's status field for it."""


@dataclass(frozen=True, slots=True)
class AnswerSign:
    """A condition on the answers that an invariant reads, declared once: the invariant
    evaluates it, and the proof's partition is cut by its tests."""

    name: str
    condition: Condition
    holds: Predicate

    @classmethod
    def declare(cls, name: str, when: Mapping[str, Any]) -> AnswerSign:
        condition = TypeAdapter(Condition).validate_python(when)
        return cls(name, condition, predicate(condition))

    def tests(self) -> tuple[FieldTest, ...]:
        return tuple(field_tests(self.condition))


UNDER_ADULT_AGE = AnswerSign.declare("under 18", {"field": "age", "lt": ADULT_AGE})
NERVE_SIGN_ANSWER = AnswerSign.declare(
    "a nerve-related weakness sign in the answers",
    {
        "any": [
            {"field": "palsy_history", "equals": True},
            {"field": "sudden_weakness", "one_of": list(YES)},
            {"field": "weakness_worsening_or_both_sides", "one_of": list(YES)},
        ]
    },
)
SELF_HARM_THOUGHTS = AnswerSign.declare(
    "self-harm thoughts", {"field": "self_harm_thoughts", "equals": "yes"}
)
ANSWER_SIGNS: tuple[AnswerSign, ...] = (UNDER_ADULT_AGE, NERVE_SIGN_ANSWER, SELF_HARM_THOUGHTS)
"""Every answer condition `violations` reads itself (the tables of `safety_net` add theirs)."""


def answer_fields() -> tuple[str, ...]:
    """The answers `violations` reads itself, in first-mention order."""
    return tuple(dict.fromkeys(test.field for sign in ANSWER_SIGNS for test in sign.tests()))


def answer_tests() -> tuple[FieldTest, ...]:
    """Every answer test any invariant makes: the least the proof's partition must cut."""
    return (*(test for sign in ANSWER_SIGNS for test in sign.tests()), *invariant_tests())


def violations(
    rulebase: RuleBase,
    answers: Mapping[str, Any],
    context: Mapping[str, Any],
    recommendation: Recommendation,
) -> list[str]:
    """Every contract invariant the recommendation breaks (empty when it is safe)."""
    found: list[str] = []
    rec = recommendation
    booked = [card for card in rec.cards if card.booking is not None]
    if rec.urgency in STOPPING_URGENCIES:
        if rec.pathway != "red_flag":
            found.append(f"urgency {rec.urgency} but pathway {rec.pathway}")
        if booked:
            found.append(f"urgency {rec.urgency} but card {booked[0].id} offers a booking")
        if rec.exercise_programme is not None:
            found.append(f"urgency {rec.urgency} but an exercise programme is offered")
        if rec.injectable_options:
            found.append(f"urgency {rec.urgency} but injectable options are listed")
    if UNDER_ADULT_AGE.holds(answers):
        age = answers["age"]
        if rec.injectable_options:
            found.append(f"age {age} but injectable options {rec.injectable_options}")
        for card in booked:
            service = rulebase.services.get(card.booking or "")
            if service is not None and service.injectables:
                found.append(f"age {age} but card {card.id} books an injectables appointment")
    for option in INJECTABLES:
        if context.get(option) == ABSOLUTE and option in rec.injectable_options:
            found.append(f"{option} is absolutely contraindicated but offered")
    if context.get("exercises") == ABSOLUTE and rec.exercise_programme is not None:
        found.append("exercises are absolutely contraindicated but a programme is offered")
    nerve_signs = rec.category == "M3" or NERVE_SIGN_ANSWER.holds(answers)
    if nerve_signs and rec.exercise_programme is not None:
        found.append("a nerve-related weakness sign but the generic exercise programme is offered")
    if SELF_HARM_THOUGHTS.holds(answers) and (not rec.cards or rec.cards[0].id != CRISIS_CARD):
        found.append("self-harm thoughts but crisis signposting is not the first card")
    found += _second_opinion(rulebase, answers, rec, booked)
    return found


def _second_opinion(
    rulebase: RuleBase, answers: Mapping[str, Any], rec: Recommendation, booked: list[Card]
) -> list[str]:
    """The brief's non-negotiables, checked from the answers alone (safety_net), so a rule
    missing from the rule base cannot hide behind the rule base's own decisions."""
    found: list[str] = []
    for entry in absolute_contraindications():
        if entry.sign.consequence in rec.injectable_options and entry.holds(answers):
            found.append(f"{entry.sign.consequence} offered despite {entry.sign.what}")
    level = URGENCY_ORDER.index(rec.urgency) if rec.urgency is not None else -1
    for entry in minimum_urgencies():
        least = URGENCY_ORDER.index(entry.sign.consequence)
        if level < least and entry.holds(answers):
            found.append(
                f"{entry.sign.what} needs at least {entry.sign.consequence},"
                f" but the urgency is {rec.urgency}"
            )
    if rec.urgency in ("soon", "routine"):
        for card in booked:
            service = rulebase.services.get(card.booking or "")
            if service is None or service.injectables:
                found.append(f"urgency {rec.urgency} but card {card.id} books injectables")
    if rec.pathway == "reassurance":
        for entry in no_reassurance():
            if entry.holds(answers):
                found.append(f"reassurance despite {entry.sign.what}")
    return found
