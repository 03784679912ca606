"""The walk's oracle runs the whole pipeline exactly as the engine does, on drawn questionnaires."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from hypothesis import HealthCheck, given, settings

from recommender import Recommender
from recommender.engine.adapter import RuleEngine
from recommender.pipeline.stages import run_pipeline
from recommender.proof.oracle import OracleEngine

from .strategies import questionnaires


@cache
def _recommender() -> Recommender:
    """One compiled rule base for every example (hypothesis and function fixtures don't mix)."""
    return Recommender.default()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=questionnaires)
def test_oracle_and_engine_fire_and_derive_alike(answers: dict[str, Any]) -> None:
    recommender = _recommender()
    stages = recommender.compiled_stages
    real = run_pipeline(recommender.engine, stages, answers)
    oracle = run_pipeline(cast(RuleEngine, OracleEngine(stages)), stages, answers)
    assert [f.rule.id for f in oracle.firings] == [f.rule.id for f in real.firings]
    assert oracle.context == real.context
    assert oracle.stopped_at == real.stopped_at


@given(answers=questionnaires)
def test_drawn_questionnaires_are_complete_and_valid(answers: dict[str, Any]) -> None:
    recommendation = _recommender().recommend(answers)  # raises on an invalid or unsafe one
    assert recommendation.pathway is not None
