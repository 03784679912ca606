"""The contract's fixed facts agree with the shipped rule base that states them as data."""

from __future__ import annotations

from recommender import Recommender
from recommender.contract.constants import (
    ADULT_AGE,
    CRISIS_CARD,
    EVENT_PAIRING,
    REQUIRED_DERIVED,
    STOPPING_URGENCIES,
)
from recommender.contract.questionnaire import event_pairing_problem
from recommender.rulebase.conditions import field_tests


def test_the_manifest_stops_on_exactly_the_stopping_urgencies(recommender: Recommender) -> None:
    stops = [s.stop_when for s in recommender.rulebase.stages if s.stop_when is not None]
    assert [(s.field, tuple(s.one_of), s.pathway) for s in stops] == [
        ("urgency", STOPPING_URGENCIES, "red_flag")
    ]


def test_the_event_question_is_enabled_by_the_contract_pairing(recommender: Recommender) -> None:
    question = next(
        q for q in recommender.rulebase.questions.questions if q.field == EVENT_PAIRING.follow_up
    )
    assert question.enable_when is not None
    assert (question.enable_when.field, list(question.enable_when.one_of)) == (
        EVENT_PAIRING.asked_after,
        [EVENT_PAIRING.asked_when],
    )


def test_the_pairing_names_both_directions_of_a_mistake() -> None:
    required = event_pairing_problem("after_event", False)
    assert required == "required when first_noticed is after_event"
    assert event_pairing_problem("teens", True) == "answered only when first_noticed is after_event"
    assert event_pairing_problem("after_event", True) is None
    assert event_pairing_problem("teens", False) is None


def test_the_shipped_rule_base_has_the_crisis_card_and_every_required_value(
    recommender: Recommender,
) -> None:
    assert CRISIS_CARD in recommender.rulebase.cards
    for name, (_, allowed) in REQUIRED_DERIVED.items():
        assert set(recommender.rulebase.derived[name].values) <= allowed, name


def test_the_rules_draw_the_adult_line_where_the_contract_does(recommender: Recommender) -> None:
    """Every age test in the shipped rules at the injectables line uses ADULT_AGE itself."""
    rulebase = recommender.rulebase
    conditions = [rule.rule.when for rule in rulebase.all_rules()]
    conditions += [q.ask_when for q in rulebase.questions.questions if q.ask_when is not None]
    lines = {
        (test.operator, test.operand)
        for condition in conditions
        for test in field_tests(condition)
        if test.field == "age" and test.operator in ("lt", "gte") and test.operand < 30
    }
    assert lines == {("lt", ADULT_AGE), ("gte", ADULT_AGE)}
