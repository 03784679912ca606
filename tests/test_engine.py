"""The durable-rules adapter: errors surface, threads agree, the session cap is never hit."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from recommender import EvaluationError, Recommender
from recommender.engine._fact_format import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE
from recommender.engine.adapter import SESSION_CAP, RuleEngine

from .conftest import load_example

RULESET = "probe"
RULES = {
    "high": {
        "pri": 1,
        "all": [{"m": {"$and": [{DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}, {"$gte": {"n": 10}}]}}],
        "run": "probe:high",
    },
    "any": {"pri": 2, "all": [{"m": {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}}], "run": "probe:any"},
}


def fact(n: object) -> dict[str, Any]:
    return {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE, "n": n}


def make_engine(on_fire: Callable[[str], None] | None = None, max_live: int = 1000) -> RuleEngine:
    return RuleEngine({RULESET: RULES}, max_live=max_live, on_fire=on_fire)


def test_rules_fire_in_priority_order_once_each() -> None:
    engine = make_engine()
    assert engine.evaluate(RULESET, fact(12)) == ["probe:high", "probe:any"]
    assert engine.evaluate(RULESET, fact(3)) == ["probe:any"]
    assert engine.live_sessions == 0


def test_a_raising_action_surfaces_and_the_engine_recovers() -> None:
    def explode(action: str) -> None:
        if action == "probe:high":
            raise ZeroDivisionError("bad threshold")

    engine = make_engine(explode)
    with pytest.raises(EvaluationError, match="probe:high failed") as error:
        engine.evaluate(RULESET, fact(12))
    assert isinstance(error.value.__cause__, ZeroDivisionError)
    assert engine.evaluate(RULESET, fact(3)) == ["probe:any"]
    assert engine.live_sessions == 0


def test_a_fact_the_engine_refuses_is_an_error_not_a_crash() -> None:
    engine = make_engine()
    with pytest.raises(EvaluationError, match="refused"):
        engine.evaluate(RULESET, fact(math.inf))
    assert engine.evaluate(RULESET, fact(12)) == ["probe:high", "probe:any"]


def test_a_fact_without_the_discriminator_is_refused_before_the_engine_sees_it() -> None:
    # No rule, not even the sentinel, would handle it, and deleting a session that ran no
    # action can crash the process (notes 3.4): it must never reach the engine.
    engine = make_engine()
    with pytest.raises(EvaluationError, match="refused"):
        engine.evaluate(RULESET, {"n": 12})
    assert engine.evaluate(RULESET, fact(12)) == ["probe:high", "probe:any"]
    assert engine.live_sessions == 0


def test_reused_session_ids_carry_nothing_from_one_evaluation_to_the_next() -> None:
    # Ids come back to the pool after their session is deleted; 3,000 evaluations through a
    # pool of two ids must each see only their own fact.
    engine = make_engine(max_live=2)
    for n in range(3000):
        expected = ["probe:high", "probe:any"] if n % 2 else ["probe:any"]
        assert engine.evaluate(RULESET, fact(12 if n % 2 else 3)) == expected, n
    assert engine.live_sessions == 0


def test_evaluations_cannot_nest_in_one_thread() -> None:
    engines: list[RuleEngine] = []

    def nest(action: str) -> None:
        engines[0].evaluate(RULESET, fact(1))

    engines.append(make_engine(nest))
    with pytest.raises(EvaluationError, match="failed"):
        engines[0].evaluate(RULESET, fact(1))


def test_a_closed_engine_refuses_to_evaluate() -> None:
    engine = make_engine()
    engine.close()
    engine.close()  # idempotent
    with pytest.raises(EvaluationError, match="closed"):
        engine.evaluate(RULESET, fact(1))


def test_max_live_must_stay_below_the_engine_cap() -> None:
    with pytest.raises(ValueError, match="max_live"):
        make_engine(max_live=SESSION_CAP)


@pytest.mark.slow
def test_more_simultaneous_evaluations_than_the_session_cap_all_complete() -> None:
    max_live = 1000
    peak = [0]
    lock = threading.Lock()
    saturated = threading.Event()
    engines: list[RuleEngine] = []

    def hold(action: str) -> None:
        # Every evaluation waits inside its first action until the adapter's limit of live
        # sessions is reached, so more callers than the engine's cap are truly in flight.
        live = engines[0].live_sessions
        with lock:
            peak[0] = max(peak[0], live)
        if live >= max_live:
            saturated.set()
        saturated.wait(timeout=60)

    engines.append(make_engine(hold, max_live=max_live))
    callers = SESSION_CAP + 200
    results: list[list[str]] = []
    failures: list[BaseException] = []

    def call(n: int) -> None:
        try:
            fired = engines[0].evaluate(RULESET, fact(n % 20))
            with lock:
                results.append(fired)
        except BaseException as error:  # recorded, then asserted on below
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert saturated.is_set(), "the test must actually reach the live-session limit"
    assert failures == []
    assert len(results) == callers
    assert peak[0] == max_live
    assert engines[0].live_sessions == 0


def _variants() -> list[dict[str, Any]]:
    names = [
        "m1-weak-side-subtle",
        "m2-overactive-within-weeks",
        "s1-skeletal-bite",
        "n0-photos-reassurance",
        "stroke-signs-stopped-at-gate",
    ]
    base = [load_example(name) for name in names]
    extra = [
        {**base[0], "age": age, "goal": goal, "exercise_commitment": commitment}
        for age in (17, 40, 70)
        for goal in ("subtle", "within_weeks", "immediate", "advice_only")
        for commitment in ("full", "none")
    ]
    return base + extra + [{**base[1], "age": 16}, {**base[1], "pregnancy": "pregnant"}]


@pytest.mark.slow
def test_sixteen_threads_agree_with_sequential_results(recommender: Recommender) -> None:
    inputs = _variants()
    expected = [recommender.recommend(answers) for answers in inputs]
    per_thread = 2000

    def worker(offset: int) -> int:
        mismatches = 0
        for i in range(per_thread):
            index = (offset + i) % len(inputs)
            if recommender.recommend(inputs[index]) != expected[index]:
                mismatches += 1
        return mismatches

    with ThreadPoolExecutor(max_workers=16) as pool:
        mismatches = list(pool.map(worker, range(16)))
    assert mismatches == [0] * 16
    assert recommender._engine.live_sessions == 0  # white-box: no session left behind


def test_two_rule_bases_live_side_by_side(recommender: Recommender, rules_copy: Path) -> None:
    manifest = rules_copy / "rulebase.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("version:", "version: 9.9.9 #", 1),
        encoding="utf-8",
    )
    with Recommender.from_path(rules_copy) as other, Recommender.from_path(rules_copy) as same:
        answers = load_example("m1-weak-side-subtle")
        mine, theirs = recommender.recommend(answers), other.recommend(answers)
        assert theirs.rulebase.version == "9.9.9"
        assert theirs.rulebase.fingerprint != mine.rulebase.fingerprint
        assert theirs.pathway == mine.pathway
        assert same.recommend(answers) == theirs


def test_rule_names_the_firing_messages_could_not_spell_plainly_are_refused() -> None:
    for name in ('say"hi', "back\\slash"):
        with pytest.raises(ValueError, match="quote or backslash"):
            RuleEngine({RULESET: {name: RULES["any"]}})
