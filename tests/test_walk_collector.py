"""The walk runs with Python's cyclic collector off (`proof._collector`) and leaves it as it
found it: on after the walk, off if it was off, and back on when the walk fails."""

from __future__ import annotations

import gc
import weakref

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


def test_a_dropped_walk_is_freed_without_the_collector(recommender: Recommender) -> None:
    """With the collector paused during each walk, a walk left for it to free would still
    hold its states and memos when the next one starts: none of its parts refers back."""
    walk = gate_walk(recommender)
    walk.run(lambda terminal: None)
    walk_gone, successors_gone = weakref.ref(walk), weakref.ref(walk._successors)
    gc.disable()
    try:
        del walk
        assert walk_gone() is None and successors_gone() is None
    finally:
        gc.enable()
