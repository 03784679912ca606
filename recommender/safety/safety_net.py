"""The contract's safety facts, declared a second time from the answers alone.

The rule base decides; these tables check. They restate, independently of `rules/`, what the
clinical brief makes non-negotiable: which answers make an injectable option absolutely
contraindicated (brief 4a, 4b, 4d), which answers are a section 3 sign with at least which
urgency, and which answers forbid reassurance (brief 7.2). A rule removed or weakened in the
rule base is caught here, because nothing in these tables is read from it.

Every condition uses the rule files' condition syntax, so the proof's partition of each answer
field (`proof._space`) is derived from the same declarations (`invariant_tests`, through
`invariants.answer_tests`): a new line here can never leave `verify` cutting a field too
coarsely to see it, and `proof._partition` checks that it does not.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from ..rulebase.conditions import Predicate, field_tests, predicate
from ..rulebase.schema import Condition, FieldTest

YES = ["yes", "not_sure"]
"""`not_sure` on a safety item counts as yes (brief 3.4, 8.1)."""


@dataclass(frozen=True)
class Sign:
    """Answers that, whatever the rule base says, imply a consequence."""

    what: str
    """The brief's words for it, for the violation message."""
    consequence: str
    """An injectable option that must be absent, or the least urgency the outcome must carry."""
    when: dict[str, Any]


ABSOLUTE_CONTRAINDICATIONS: tuple[Sign, ...] = (
    Sign("under 18 in England (brief 4d)", "toxin", {"field": "age", "lt": 18}),
    Sign("under 18 in England (brief 4d)", "filler", {"field": "age", "lt": 18}),
    Sign(
        "allergy or reaction to toxin (brief 4a)",
        "toxin",
        {"field": "allergies", "contains_any": ["toxin_reaction"]},
    ),
    Sign(
        "pregnancy or breastfeeding (brief 4a)",
        "toxin",
        {"field": "pregnancy", "one_of": ["pregnant", "breastfeeding"]},
    ),
    Sign(
        "myasthenia gravis or Lambert-Eaton, or a nerve or muscle condition not named (4a)",
        "toxin",
        {
            "any": [
                {"field": "neuromuscular_condition_kind", "equals": "myasthenia_or_lambert_eaton"},
                {
                    "all": [
                        {"field": "neuromuscular_condition", "one_of": YES},
                        {
                            "not": {
                                "field": "neuromuscular_condition_kind",
                                "equals": "mnd_ms_or_other",
                            }
                        },
                    ]
                },
            ]
        },
    ),
    Sign(
        "allergy to filler or lidocaine, or a past reaction to filler (brief 4b)",
        "filler",
        {"field": "allergies", "contains_any": ["filler_reaction", "lidocaine"]},
    ),
    Sign(
        "pregnancy or breastfeeding (brief 4b)",
        "filler",
        {"field": "pregnancy", "one_of": ["pregnant", "breastfeeding"]},
    ),
    Sign(
        "active autoimmune or connective-tissue disease (brief 4b)",
        "filler",
        {"field": "autoimmune", "equals": "active"},
    ),
)

_WEAKNESS = {"field": "movement", "one_of": ["one_side_less", "several_lag"]}
_LUMP = {
    "any": [
        {"field": "lump", "equals": "painless"},
        {"field": "jaw_bulge", "equals": "lump_at_rest"},
    ]
}

MINIMUM_URGENCY: tuple[Sign, ...] = (
    Sign("R1-R3 stroke signs", "emergency", {"field": "stroke_signs", "equals": "yes"}),
    Sign(
        "R5 unsure whether it is a stroke",
        "emergency",
        {"field": "stroke_signs", "equals": "not_sure"},
    ),
    Sign(
        "R2 sudden weakness with dizziness or a severe headache",
        "emergency",
        {
            "all": [
                {"field": "sudden_weakness", "one_of": YES},
                {
                    "any": [
                        {"field": "hearing_or_dizziness", "one_of": YES},
                        {"field": "severe_headache", "one_of": YES},
                    ]
                },
            ]
        },
    ),
    Sign("R4 sudden one-sided weakness", "urgent", {"field": "sudden_weakness", "one_of": YES}),
    Sign(
        "R6 an eye that will not close",
        "urgent",
        {"field": "eye_closure", "one_of": ["cannot_close", "not_sure"]},
    ),
    Sign(
        "R7/R8 ear rash or discharge", "urgent", {"field": "ear_rash_or_discharge", "one_of": YES}
    ),
    Sign(
        "R9 weakness worsening or both sides",
        "urgent",
        {"field": "weakness_worsening_or_both_sides", "one_of": YES},
    ),
    Sign(
        "R10 hearing change or dizziness",
        "urgent",
        {"field": "hearing_or_dizziness", "one_of": YES},
    ),
    Sign(
        "R11 lump with weakness, pain or growth",
        "urgent",
        {"field": "lump", "equals": "with_weakness_pain_or_growth"},
    ),
    Sign(
        "R11 lump with numbness",
        "urgent",
        {"all": [_LUMP, {"field": "numbness", "one_of": ["sudden", "gradual"]}]},
    ),
    Sign("R11 lump with facial weakness", "urgent", {"all": [_LUMP, _WEAKNESS]}),
    Sign(
        "R11 lump with pain",
        "urgent",
        {"all": [_LUMP, {"field": "jaw_problems", "contains_any": ["pain"]}]},
    ),
    Sign("R12 a new lump", "soon", _LUMP),
    Sign("R13 sudden numbness", "urgent", {"field": "numbness", "equals": "sudden"}),
    Sign("R13 gradual numbness", "soon", {"field": "numbness", "equals": "gradual"}),
    Sign(
        "R14 injury with warning signs",
        "emergency",
        {"field": "recent_injury", "equals": "with_warning_signs"},
    ),
    Sign(
        "R15 swelling near the airway or eye",
        "emergency",
        {"field": "swelling", "equals": "airway_or_eye"},
    ),
    Sign("R16 swelling near a tooth", "urgent", {"field": "swelling", "equals": "near_tooth"}),
    Sign("R17 allergic swelling", "emergency", {"field": "swelling", "equals": "allergic"}),
    Sign(
        "P1-P5 a problem after injections, kind not said",
        "emergency",
        {
            "all": [
                {"field": "recent_injectables", "equals": "with_warning_signs"},
                {"field": "injectables_warning_signs", "present": False},
            ]
        },
    ),
    Sign(
        "P1-P3 after injections",
        "emergency",
        {
            "field": "injectables_warning_signs",
            "contains_any": [
                "skin_colour_or_severe_pain",
                "vision_change",
                "swallowing_speaking_or_breathing",
                "not_sure",
            ],
        },
    ),
    Sign(
        "P5 infection after injections",
        "urgent",
        {"field": "injectables_warning_signs", "contains_any": ["hot_red_swelling"]},
    ),
    Sign(
        "P4 droop after injections",
        "soon",
        {"field": "injectables_warning_signs", "contains_any": ["droop_or_uneven_smile"]},
    ),
    Sign(
        "R9 a movement difference that is new, recurring or worsening",
        "urgent",
        {
            "all": [
                {"field": "movement", "one_of": ["one_side_less", "several_lag", "one_side_more"]},
                {
                    "any": [
                        {"field": "first_noticed", "equals": "last_3_months"},
                        {"field": "course", "one_of": ["quickly_worse", "comes_and_goes"]},
                        {
                            "all": [
                                {"field": "course", "equals": "slowly_worse"},
                                {"field": "first_noticed", "not_equals": "gradual_years"},
                            ]
                        },
                    ]
                },
            ]
        },
    ),
    Sign("axis B: quickly getting worse", "soon", {"field": "course", "equals": "quickly_worse"}),
    Sign(
        "axis B: new in the last 3 months and changing",
        "soon",
        {
            "all": [
                {"field": "first_noticed", "equals": "last_3_months"},
                {"field": "course", "one_of": ["slowly_worse", "quickly_worse", "comes_and_goes"]},
            ]
        },
    ),
    Sign(
        "axis B: since childhood or the teens and still getting worse",
        "soon",
        {
            "all": [
                {"field": "first_noticed", "one_of": ["childhood", "teens"]},
                {"field": "course", "one_of": ["slowly_worse", "quickly_worse"]},
            ]
        },
    ),
    Sign(
        "R18 a bite that keeps changing",
        "soon",
        {
            "all": [
                {"field": "bite_problems", "equals": True},
                {"field": "course", "one_of": ["slowly_worse", "quickly_worse"]},
            ]
        },
    ),
    Sign("R20 twitching or spasm", "soon", {"field": "one_side_twitching", "one_of": YES}),
    Sign(
        "R21 jaw pain or locking",
        "routine",
        {"field": "jaw_problems", "contains_any": ["pain", "locking"]},
    ),
    Sign("R21 unable to eat", "soon", {"field": "jaw_unable_to_eat", "equals": True}),
)

NO_REASSURANCE: tuple[Sign, ...] = (
    Sign(
        "a positive wellbeing screen or a self-harm answer (brief 7.2 criterion 5, 8.2 H)",
        "reassurance",
        {
            "any": [
                {"field": "time_thinking", "equals": "over_3h"},
                {"field": "distress", "one_of": ["severe", "extreme"]},
                {"field": "avoidance", "equals": "often"},
                {"field": "self_harm_thoughts", "one_of": ["yes", "prefer_not_to_say"]},
            ]
        },
    ),
)

URGENCY_ORDER = ("routine", "soon", "urgent", "emergency")


@dataclass(frozen=True)
class CompiledSign:
    sign: Sign
    holds: Predicate
    condition: Condition
    fields: frozenset[str]


def _compiled(table: tuple[Sign, ...]) -> tuple[CompiledSign, ...]:
    adapter: TypeAdapter[Condition] = TypeAdapter(Condition)
    out = []
    for sign in table:
        condition = adapter.validate_python(sign.when)
        fields = frozenset(test.field for test in field_tests(condition))
        out.append(CompiledSign(sign, predicate(condition), condition, fields))
    return tuple(out)


@cache
def absolute_contraindications() -> tuple[CompiledSign, ...]:
    return _compiled(ABSOLUTE_CONTRAINDICATIONS)


@cache
def minimum_urgencies() -> tuple[CompiledSign, ...]:
    return _compiled(MINIMUM_URGENCY)


@cache
def no_reassurance() -> tuple[CompiledSign, ...]:
    return _compiled(NO_REASSURANCE)


def invariant_tests() -> tuple[FieldTest, ...]:
    """Every answer test these tables make, for the proof's partition of each field."""
    return tuple(test for entry in lines() for test in field_tests(entry.condition))


Verdict = tuple[int, frozenset[str]]
"""(index in URGENCY_ORDER of the least urgency required, or -1; the other consequences)."""
NO_VERDICT: Verdict = (-1, frozenset())


def lines() -> tuple[CompiledSign, ...]:
    """Every line of the three tables."""
    return (*absolute_contraindications(), *minimum_urgencies(), *no_reassurance())


def decide(
    previous: Verdict, entries: Iterable[CompiledSign], present: Mapping[str, Any]
) -> Verdict:
    """`previous` with the consequences of the lines among `entries` that hold on `present`."""
    level, others = previous
    for entry in entries:
        if entry.holds(present):
            consequence = entry.sign.consequence
            if consequence in URGENCY_ORDER:
                level = max(level, URGENCY_ORDER.index(consequence))
            else:
                others = others | {consequence}
    return level, others


def join(a: Verdict, b: Verdict) -> Verdict:
    """Both verdicts' requirements together."""
    return max(a[0], b[0]), a[1] | b[1]


def pending_fields(assigned: Collection[str]) -> frozenset[str]:
    """The answers of lines not decidable yet (some field not enumerated), which the proof's
    walk must keep until the line's last field is enumerated and the line decided."""
    known = set(assigned)
    waiting = [entry.fields for entry in lines() if not entry.fields <= known]
    return frozenset().union(*waiting) & known if waiting else frozenset()
