"""How stage effects combine: first/max/set policies, fallbacks, gaps, and the programme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, RuleGapError
from recommender.contract.fields import field_specs
from recommender.engine.compiler import CompiledRuleBase
from recommender.pipeline.evaluator import Evaluator
from recommender.pipeline.stages import applicable, run_pipeline
from recommender.programme._model import blocked_groups, build_programme
from recommender.proof._oracle import OracleEngine
from recommender.rulebase.model import LoadedRule

from .conftest import load_example
from .test_invariants import files
from .test_loader import edit

Data = dict[str, Any]


def rules_by_id(recommender: Recommender) -> dict[str, LoadedRule]:
    return {rule.id: rule for rule in recommender.rulebase.all_rules()}


def test_a_fallback_drops_out_when_another_rule_decides(recommender: Recommender) -> None:
    fallbacks = [rule for rule in recommender.rulebase.all_rules() if rule.rule.fallback]
    assert fallbacks, "the default rule base uses fallbacks"
    fallback = fallbacks[0]
    decider = next(
        rule
        for rule in recommender.rulebase.all_rules()
        if rule.stage == fallback.stage
        and not rule.rule.fallback
        and rule.rule.then.set.keys() & fallback.rule.then.set.keys()
    )
    assert applicable([fallback]) == [fallback]
    assert applicable([decider, fallback]) == [decider]
    assert applicable([fallback, decider]) == [decider]


def test_highest_urgency_wins_whatever_the_order(recommender: Recommender) -> None:
    both = recommender.recommend(
        {"age": 40, "stroke_signs": "no", "sudden_weakness": "yes", "eye_closure": "cannot_close"}
    )
    assert both.urgency == "urgent"
    worse = recommender.recommend({"age": 40, "stroke_signs": "yes", "sudden_weakness": "yes"})
    assert worse.urgency == "emergency"
    assert worse.pathway == "red_flag"


def test_cards_come_in_rank_order_without_repeats(recommender: Recommender) -> None:
    recommendation = recommender.recommend(
        {"age": 40, "stroke_signs": "yes", "sudden_weakness": "yes"}
    )
    ids = [card.id for card in recommendation.cards]
    ranks = [recommender.rulebase.cards[card_id].rank for card_id in ids]
    assert len(ids) == len(set(ids))
    assert ranks == sorted(ranks)


def test_explanation_lists_the_values_each_rule_read(recommender: Recommender) -> None:
    answers = load_example("m2-overactive-within-weeks")
    recommendation = recommender.recommend(answers)
    known = rules_by_id(recommender)
    for firing in recommendation.explanation:
        rule = known[firing.rule]
        assert set(firing.matched) <= set(rule.reads)
        assert firing.rationale == rule.rule.rationale
        assert firing.stage == rule.stage
        for field, value in firing.matched.items():
            if field in answers:
                assert value == answers[field]


def test_a_required_value_nobody_decides_is_a_gap_not_a_guess(rules_copy: Path) -> None:
    def keep_only_first_rule(data: Data) -> None:
        data["rules"] = [data["rules"][0]]

    edit(rules_copy, files(rules_copy)["plan"], keep_only_first_rule)
    with (
        Recommender.from_path(rules_copy) as recommender,
        pytest.raises(RuleGapError, match="pathway"),
    ):
        recommender.recommend(load_example("n0-photos-reassurance"))


def test_programme_follows_regions_and_drops_blocked_groups(recommender: Recommender) -> None:
    catalogue = recommender.rulebase.exercises
    group, spec = next(iter(catalogue.groups.items()))
    context: Data = {
        **load_example("m1-weak-side-subtle"),
        "regions": list(field_specs()["regions"].values),
        **{g.status_field: "ok" for g in catalogue.groups.values()},
    }
    everything = build_programme(catalogue, context)
    assert any(group in catalogue.exercises[e.id].groups for e in everything.exercises)
    context[spec.status_field] = catalogue.blocked_statuses[0]
    assert blocked_groups(catalogue, context) == {group}
    reduced = build_programme(catalogue, context)
    assert reduced.exercises
    assert not any(group in catalogue.exercises[e.id].groups for e in reduced.exercises)
    assert {e.id for e in reduced.exercises} < {e.id for e in everything.exercises}


def test_programme_uses_the_side_and_commitment_answers(recommender: Recommender) -> None:
    catalogue = recommender.rulebase.exercises
    context: Data = {
        **load_example("m1-weak-side-subtle"),
        "side": "right",
        "exercise_commitment": "shorter",
    }
    programme = build_programme(catalogue, context)
    assert programme.side_emphasis == catalogue.side_emphasis["right"]
    assert [p.session for p in programme.schedule] == [
        None if phase.session is None else phase.session["shorter"] for phase in catalogue.schedule
    ]
    assert [p.minutes for p in programme.schedule if p.minutes is not None] == [
        programme.session_minutes for phase in catalogue.schedule if phase.routine
    ]
    with pytest.raises(RuleGapError, match="commitment"):
        build_programme(catalogue, {**context, "exercise_commitment": "none"})


def test_a_later_stage_raises_urgency_but_never_lowers_it(recommender: Recommender) -> None:
    assert any(stage.raises for stage in recommender.rulebase.stages)
    base = load_example("m1-weak-side-subtle")
    assert recommender.recommend(base).urgency is None
    jaw_pain = recommender.recommend({**base, "jaw_problems": ["pain"]})
    assert (jaw_pain.urgency, jaw_pain.pathway) == ("routine", "medical_first")
    steady = {**base, "movement": "same"}  # a lump with facial weakness would be R11, urgent
    with_lump = recommender.recommend({**steady, "jaw_problems": ["locking"], "lump": "painless"})
    assert with_lump.urgency == "soon"  # the gate's soon outranks the later routine
    # A lump with pain is the brief's urgent combination (R11): raised late, it still stops.
    lump_pain = recommender.recommend({**steady, "jaw_problems": ["pain"], "lump": "painless"})
    assert (lump_pain.urgency, lump_pain.pathway) == ("urgent", "red_flag")


@pytest.mark.parametrize(
    "example",
    [
        "m1-weak-side-subtle",
        "n0-photos-reassurance",
        "s1-skeletal-bite",
        "stroke-signs-stopped-at-gate",
    ],
)
def test_the_pipeline_runs_alike_over_either_evaluator(
    recommender: Recommender, target: CompiledRuleBase, example: str
) -> None:
    """Both engines meet the `Evaluator` protocol, so the pipeline takes either unchanged."""
    stages = target.stages
    engines: list[Evaluator] = [target.engine, OracleEngine(stages)]
    runs = [run_pipeline(engine, stages, load_example(example)) for engine in engines]
    durable, oracle = runs
    assert durable.firings, example
    assert [(f.rule.id, f.matched) for f in durable.firings] == [
        (f.rule.id, f.matched) for f in oracle.firings
    ]
    assert (durable.context, durable.stages_run, durable.stop) == (
        oracle.context,
        oracle.stages_run,
        oracle.stop,
    )
