"""verify's oracle agrees with the real engine, and verify catches deliberately broken rules."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from recommender import Recommender
from recommender.engine.compiler import CompiledRuleBase, encode_fact
from recommender.proof._oracle import OracleEngine
from recommender.proof._space import Space, answers_from
from recommender.proof.random_answers import random_context
from recommender.proof.verify import Report, render

from .json_copies import assert_as_dict_is_a_copy
from .verify_fixtures import BREAKERS, INVARIANT_BREAKERS


def test_oracle_matches_engine_on_every_rule_example(target: CompiledRuleBase) -> None:
    oracle = OracleEngine(target.stages)
    checked = 0
    for compiled in target.stages:
        for rule in compiled.stage.rules:
            for example in [*rule.rule.examples.fire, *rule.rule.examples.not_fire]:
                fact = encode_fact(compiled, example)
                real = target.engine.evaluate(compiled.ruleset_name, fact)
                assert oracle.evaluate(compiled.ruleset_name, fact) == real, (rule.id, example)
                checked += 1
    assert checked > 0


def test_oracle_matches_engine_on_random_stage_inputs(target: CompiledRuleBase) -> None:
    rng = random.Random(5)
    oracle = OracleEngine(target.stages)
    for compiled in target.stages:
        for _ in range(1500):
            fact = encode_fact(compiled, random_context(compiled, rng))
            real = target.engine.evaluate(compiled.ruleset_name, fact)
            assert oracle.evaluate(compiled.ruleset_name, fact) == real, fact


def test_oracle_matches_engine_on_enumerated_class_representatives(
    recommender: Recommender, target: CompiledRuleBase
) -> None:
    """Every class representative of every field a stage reads, in a large sample of mixes."""
    space = Space([recommender.rulebase])
    rng = random.Random(6)
    oracle = OracleEngine(target.stages)
    derived = recommender.rulebase.derived
    for compiled in target.stages:
        for _ in range(1500):
            context = {}
            for name, spec in compiled.stage.inputs.items():
                if name in space.fields:
                    value = rng.choice(space.fields[name].members)[0]
                    context.update(answers_from({name: value}))
                else:
                    values = derived[name].values
                    context[name] = (
                        [v for v in values if rng.random() < 0.5]
                        if spec.kind == "multi"
                        else rng.choice(values)
                    )
            fact = encode_fact(compiled, context)
            real = target.engine.evaluate(compiled.ruleset_name, fact)
            assert oracle.evaluate(compiled.ruleset_name, fact) == real, context


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_verify_catches_broken_copy(
    name: str,
    broken_invariants: tuple[Report, dict[str, str]],
    broken_structure: tuple[Path, Report, dict[str, str]],
) -> None:
    """Each breaker is applied to one of two shared broken copies; its own finding shows."""
    _, kind = BREAKERS[name]
    if name in INVARIANT_BREAKERS:
        report, ids = broken_invariants
    else:
        _, report, ids = broken_structure
    rule_id = ids[name]
    assert not report.ok
    found = report.by_kind(kind)
    assert found, render(report)
    text = render(report)
    if kind == "dead_rule":
        assert any(f.rule == rule_id for f in found), text
    else:
        assert all(f.assignment for f in found), text
    if kind == "overlap":
        assert any(rule_id in f.message for f in found), text
    if kind == "gap":
        assert any(f.stage == "plan" for f in found), text
    if kind == "skip":
        assert any(f.rule == rule_id and "F3 (open_to_injectables)" in f.message for f in found)
        assert all(f.assignment["age"] < 18 for f in found), text
        assert all(f.assignment["open_to_injectables"] == "no" for f in found), text
    if name == "toxin_at_17":
        mine = [f for f in found if f.message.startswith("age <18")]
        ages = {f.assignment["age"] for f in mine}
        assert ages and all(age < 18 for age in ages), text
    if name == "demoted_red_flag":
        assert any("red-flag card" in f.message for f in found), text
    # The independent safety tables catch what the rule base's own decisions no longer say.
    if name == "toxin_allergy_rule_removed":
        mine = [f for f in found if "toxin offered despite allergy" in f.message]
        assert mine and all("toxin_reaction" in f.assignment["allergies"] for f in mine), text
    if name == "injectables_booked_when_soon":
        assert any("books injectables" in f.message for f in found), text
    if name == "late_red_flag_demoted":
        assert any("needs at least urgent" in f.message for f in found), text


def test_the_json_form_is_a_copy_a_caller_may_change(
    broken_invariants: tuple[Report, dict[str, str]],
) -> None:
    report = broken_invariants[0]
    assert report.stages and report.findings and report.skips  # every kind of part is there
    assert_as_dict_is_a_copy(report)
