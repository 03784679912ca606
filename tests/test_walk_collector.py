"""The walk runs with Python's cyclic collector off (`proof._collector`) and leaves it as it
found it: on after the walk, off if it was off, and back on when the walk fails."""

from __future__ import annotations

import gc

import pytest

from recommender import Recommender
from recommender.engine.compiler import compile_rulebase
from recommender.proof._collector import collector_paused
from recommender.proof._space import Space
from recommender.proof._walk import Track, Walk


def gate_walk(recommender: Recommender) -> Walk:
    """A walk of the shipped gate alone: a real walk, over in about a second."""
    rulebase = recommender.rulebase
    return Walk(Space([rulebase]), [Track(rulebase, compile_rulebase(rulebase)[:1])])


def test_the_collector_is_off_while_a_walk_runs_and_on_after_it(
    recommender: Recommender,
) -> None:
    assert gc.isenabled()
    collector_on: list[bool] = []
    gate_walk(recommender).run(lambda terminal: collector_on.append(gc.isenabled()))
    assert len(collector_on) > 1000 and not any(collector_on)
    assert gc.isenabled()


def test_a_walk_that_fails_turns_the_collector_back_on(recommender: Recommender) -> None:
    def fail(terminal: object) -> None:
        raise RuntimeError("an end check failed")

    with pytest.raises(RuntimeError, match="an end check failed"):
        gate_walk(recommender).run(fail)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
