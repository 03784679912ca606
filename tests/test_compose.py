"""Recommendations share nothing a caller could change: the composer's prepared texts stay put."""

from __future__ import annotations

from recommender import Recommender

from .conftest import load_example


def test_changing_one_recommendation_leaves_the_next_untouched(recommender: Recommender) -> None:
    answers = load_example("stroke-signs-stopped-at-gate")
    first = recommender.recommend(answers)
    expected = recommender.recommend(answers).model_dump()
    first.cards[0].source.append("tampered")
    first.explanation[0].evidence.append("tampered")
    first.explanation[0].matched["tampered"] = True
    first.cards.clear()
    assert recommender.recommend(answers).model_dump() == expected
