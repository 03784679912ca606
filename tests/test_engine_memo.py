"""The engine's memo of decisions: exact, bounded, and behind every check the engine makes.

Exact: with the memo on, every recommendation over every class of every answer field (the
classes `verify` enumerates), and over random questionnaires, is the one the engine gives
with the memo off; the compiler refuses a pattern that tests a field its rule does not read
(the memo keys on the fields the rules read). Bounded: it never holds more than its budget.
Behind the checks: a remembered fact still meets the closed engine, the refused fact and the
nested call.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import EvaluationError, Recommender, RuleBaseError, default_rules_path
from recommender.contract.errors import FacesymError
from recommender.engine import compiler
from recommender.engine._fact_format import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE
from recommender.engine._memo import ENTRY_OVERHEAD, DecisionMemo
from recommender.engine.adapter import RuleEngine
from recommender.engine.compiler import properties_tested
from recommender.proof._space import ABSENT, Space
from recommender.rulebase.loader import load_rulebase

from .conftest import EXAMPLES, load_example
from .strategies import questionnaires
from .test_engine import RULES, RULESET, fact


def memo_engine(budget: int = 1 << 20) -> RuleEngine:
    return RuleEngine({RULESET: RULES}, memo_bytes=budget)


@pytest.fixture(scope="module")
def without_memo() -> Iterator[Recommender]:
    with Recommender(load_rulebase(default_rules_path()), memo_bytes=0) as recommender:
        yield recommender


@pytest.fixture(scope="module")
def with_memo() -> Iterator[Recommender]:
    with Recommender(load_rulebase(default_rules_path())) as recommender:
        yield recommender


def outcome(recommender: Recommender, answers: dict[str, Any]) -> object:
    """Everything a caller can get from one questionnaire: the recommendation, or the error
    with its message and the red flag it still carries."""
    try:
        return recommender.recommend(answers).model_dump()
    except FacesymError as error:
        red_flag = getattr(error, "red_flag", None)
        return type(error).__name__, str(error), red_flag and red_flag.model_dump()


def every_field_class(recommender: Recommender) -> Iterator[dict[str, Any]]:
    """Each example questionnaire with one answer changed to each class of its field that
    `verify` enumerates (absent too, where the field may be left out)."""
    space = Space([recommender.rulebase])
    for name in sorted(path.stem for path in EXAMPLES.glob("*.json")):
        base = load_example(name)
        for field, classes in space.fields.items():
            for value, _weight in classes.members:
                variant = {k: v for k, v in base.items() if k != field}
                if value is not ABSENT:
                    variant[field] = value
                yield variant


def test_the_memo_gives_the_engines_own_decision_on_every_field_class(
    without_memo: Recommender, with_memo: Recommender
) -> None:
    variants = list(every_field_class(without_memo))
    expected = [outcome(without_memo, answers) for answers in variants]
    for _ in range(2):  # the first pass fills the memo, the second answers from it
        assert [outcome(with_memo, answers) for answers in variants] == expected
    stats = with_memo.memo_stats()
    assert len(stats) == len(with_memo.rulebase.stages)  # every stage was looked up
    assert all(entry.hits > 0 for entry in stats.values()), stats


PASSING_EXAMPLE = "m1-weak-side-subtle"
"""An example the gate lets through: its gate answers make random questionnaires run every
stage (uniformly random answers nearly always show a red flag)."""


@settings(max_examples=150, deadline=None)
@given(drawn=questionnaires, past_the_gate=st.booleans())
def test_random_questionnaires_get_the_same_recommendation_with_the_memo(
    without_memo: Recommender, with_memo: Recommender, drawn: dict[str, Any], past_the_gate: bool
) -> None:
    answers = dict(drawn)
    if past_the_gate:
        example = load_example(PASSING_EXAMPLE)
        answers |= {k: v for k, v in example.items() if k in without_memo.rulebase.stages[0].inputs}
    expected = outcome(without_memo, answers)
    assert outcome(with_memo, answers) == expected
    assert outcome(with_memo, answers) == expected  # now answered from the memo


def test_threads_sharing_the_memo_agree_with_the_engine_alone(
    without_memo: Recommender,
) -> None:
    variants = list(every_field_class(without_memo))[:400]
    expected = [outcome(without_memo, answers) for answers in variants]
    small = Recommender(without_memo.rulebase, memo_bytes=64 * 1024)  # evicts a lot
    with small, ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda answers: outcome(small, answers), variants * 3))
    assert got == expected * 3


def test_a_remembered_decision_is_counted_as_a_hit() -> None:
    engine = memo_engine()
    assert engine.evaluate(RULESET, fact(12)) == ["probe:high", "probe:any"]
    assert engine.evaluate(RULESET, fact(12)) == ["probe:high", "probe:any"]
    assert engine.evaluate(RULESET, fact(3)) == ["probe:any"]
    stats = engine.memo_stats()[RULESET]
    assert (stats.hits, stats.misses, stats.entries) == (1, 2, 2)
    assert engine.live_sessions == 0


def test_facts_that_differ_only_in_type_are_not_confused() -> None:
    # 10 and 10.0 are equal in Python but different facts to the engine's JSON.
    engine = memo_engine()
    engine.evaluate(RULESET, fact(10))
    engine.evaluate(RULESET, fact(10.0))
    engine.evaluate(RULESET, fact(True))
    assert engine.memo_stats()[RULESET].entries == 3


def test_the_memo_is_behind_every_check_the_engine_makes() -> None:
    engine = memo_engine()
    engine.evaluate(RULESET, fact(None))  # remembered as the text "null"
    with pytest.raises(EvaluationError, match="not a finite number"):
        engine.evaluate(RULESET, fact(math.nan))  # orjson would write it as null
    with pytest.raises(EvaluationError, match="must be 'facesym'"):
        engine.evaluate(RULESET, {"n": 12})
    engine.close()
    with pytest.raises(EvaluationError, match="closed"):
        engine.evaluate(RULESET, fact(None))


def test_a_remembered_fact_still_cannot_be_evaluated_inside_an_evaluation() -> None:
    engine = memo_engine()
    engine.evaluate(RULESET, fact(12))
    engine._active.evaluating = True  # as inside a firing taken in this thread
    try:
        with pytest.raises(EvaluationError, match="cannot nest"):
            engine.evaluate(RULESET, fact(12))
    finally:
        engine._active.evaluating = False


def test_a_memo_cannot_be_combined_with_a_firing_hook() -> None:
    with pytest.raises(ValueError, match="on_fire"):
        RuleEngine({RULESET: RULES}, on_fire=print, memo_bytes=1024)
    with pytest.raises(ValueError, match="memo_bytes"):
        RuleEngine({RULESET: RULES}, memo_bytes=-1)


def test_the_memo_never_holds_more_than_its_budget_and_drops_the_least_recent() -> None:
    budget = 10 * (ENTRY_OVERHEAD + 20)
    memo = DecisionMemo(budget)
    keys = [("a", f"{index:020d}".encode()) for index in range(50)]
    for index, key in enumerate(keys):
        memo.put(key, ("a:1",))
        if index >= 1:
            assert memo.get(keys[0]) == ("a:1",)  # kept in use, so never dropped
        charged = memo.stats()["a"].charged
        assert charged <= budget
    stats = memo.stats()["a"]
    assert stats.entries == 10 and stats.charged == budget
    assert memo.get(keys[1]) is None  # the least recently used went first
    assert memo.get(keys[-1]) == ("a:1",)
    memo.put(("a", b"x" * budget), ("a:2",))  # larger than the whole budget: not kept
    assert memo.get(("a", b"x" * budget)) is None


def test_a_long_run_keeps_the_engine_memo_within_its_budget() -> None:
    budget = 40 * 1024
    engine = memo_engine(budget)
    for n in range(5000):
        assert engine.evaluate(RULESET, fact(n)) == (
            ["probe:high", "probe:any"] if n >= 10 else ["probe:any"]
        )
    stats = engine.memo_stats()[RULESET]
    assert stats.charged <= budget and stats.entries < 5000
    assert stats.misses == 5000


def test_the_compiled_patterns_test_only_the_fields_their_rules_read() -> None:
    pattern = {
        "$and": [
            {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE},
            {"$or": [{"side": "left"}, {"$gte": {"age": 18}}, {"regions.brows": True}]},
            {"$nex": {"event": 1}},
        ]
    }
    expected = {DISCRIMINATOR_KEY, "side", "age", "regions.brows", "event"}
    assert properties_tested(pattern) == expected


def test_a_compiled_pattern_reading_an_undeclared_field_fails_the_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = compiler.compile_condition

    def reads_one_more(condition: Any, negate: bool = False) -> dict[str, Any]:
        return {"$and": [real(condition, negate), {"goal": "subtle"}]}

    monkeypatch.setattr(compiler, "compile_condition", reads_one_more)
    rulebase = load_rulebase(default_rules_path())
    with pytest.raises(RuleBaseError) as error:
        compiler.compile_rulebase(rulebase)
    first = rulebase.stages[0].rules[0]
    assert first.file in str(error.value) and first.id in str(error.value)
    assert "goal" in str(error.value) and "does not read" in str(error.value)
