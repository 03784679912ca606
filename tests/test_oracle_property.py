"""The walk's oracle runs the whole pipeline exactly as the engine does, on drawn questionnaires."""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings

from recommender import Recommender
from recommender.engine.compiler import CompiledRuleBase
from recommender.pipeline.stages import run_pipeline
from recommender.proof._oracle import OracleEngine

from .strategies import questionnaires


@cache
def _recommender() -> Recommender:
    """One compiled rule base for every example (hypothesis and function fixtures don't mix)."""
    return Recommender.default()


@cache
def _compiled() -> CompiledRuleBase:
    """The same rule base compiled apart from the facade, as the proof tools compile it."""
    return CompiledRuleBase.of(_recommender().rulebase)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=questionnaires)
def test_oracle_and_engine_fire_and_derive_alike(answers: dict[str, Any]) -> None:
    compiled = _compiled()
    stages = compiled.stages
    real = run_pipeline(compiled.engine, stages, answers)
    oracle = run_pipeline(OracleEngine(stages), stages, answers)
    assert [f.rule.id for f in oracle.firings] == [f.rule.id for f in real.firings]
    assert oracle.context == real.context
    assert oracle.stopped_at == real.stopped_at


@given(answers=questionnaires)
def test_drawn_questionnaires_are_complete_and_valid(answers: dict[str, Any]) -> None:
    recommendation = _recommender().recommend(answers)  # raises on an invalid or unsafe one
    assert recommendation.pathway is not None
