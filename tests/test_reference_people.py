"""The five reference people of issue 2 each get the contract's pathway, end to end."""

from __future__ import annotations

import pytest

from recommender import Recommender

from .conftest import load_example

PEOPLE = [
    ("stroke-signs-stopped-at-gate", "red_flag", "emergency"),
    ("m1-weak-side-subtle", "exercise_programme", None),
    ("m2-overactive-within-weeks", "consultation_injectables", None),
    ("s1-skeletal-bite", "specialist_referral", None),
    ("n0-photos-reassurance", "reassurance", None),
]


@pytest.mark.parametrize(("name", "pathway", "urgency"), PEOPLE)
def test_reference_person_gets_expected_pathway(
    recommender: Recommender, name: str, pathway: str, urgency: str | None
) -> None:
    recommendation = recommender.recommend(load_example(name))
    assert recommendation.pathway == pathway
    assert recommendation.urgency == urgency
    assert recommendation.explanation, "every recommendation explains itself"
    assert recommendation.rulebase.fingerprint == recommender.rulebase.fingerprint
    assert len(recommendation.rulebase.fingerprint) == 64


def test_m1_person_gets_a_programme_and_no_injectables(recommender: Recommender) -> None:
    recommendation = recommender.recommend(load_example("m1-weak-side-subtle"))
    assert recommendation.category == "M1"
    programme = recommendation.exercise_programme
    assert programme is not None
    assert programme.exercises
    assert [phase.review for phase in programme.schedule].count(True) == 2
    assert recommendation.injectable_options == []


def test_m2_person_is_offered_a_consultation_about_toxin(recommender: Recommender) -> None:
    recommendation = recommender.recommend(load_example("m2-overactive-within-weeks"))
    assert recommendation.category == "M2"
    assert recommendation.injectable_options == ["toxin"]
    assert any(card.booking == "INJ-CONSULT" for card in recommendation.cards)


def test_emergency_stops_before_any_treatment_content(recommender: Recommender) -> None:
    recommendation = recommender.recommend(load_example("stroke-signs-stopped-at-gate"))
    assert recommendation.stopped_early
    assert recommendation.exercise_programme is None
    assert recommendation.injectable_options == []
    assert all(card.booking is None for card in recommendation.cards)
    assert recommendation.cards[0].indicator == "critical"
