"""`diff` reports exactly the questionnaires a one-rule change affects.

The expected set is computed independently of the walk: with the real engine, a questionnaire
is affected exactly when the changed rule decided its pathway under the old rules (it fired
and no rule before it in priority order set a pathway).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, UnsafeRecommendationError, default_rules_path
from recommender.diff import diff, outcome, render
from recommender.invariants import ADULT_AGE
from recommender.recommendation import Recommendation

from .verify_fixtures import change_plan_pathway, copy_rules
from .verify_support import random_questionnaire


def _decided_by(rec: Recommendation, rule_id: str, old: Recommender) -> bool:
    rules = {rule.id: rule for rule in old.rulebase.all_rules()}
    setters = [
        rules[f.rule]
        for f in rec.explanation
        if f.stage == "plan" and "pathway" in rules[f.rule].rule.then.set
    ]
    if not setters or rec.stopped_early:
        return False
    non_fallback = [r for r in setters if not r.rule.fallback] or setters
    first = min(non_fallback, key=lambda r: (r.rule.priority, r.order))
    return first.id == rule_id


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("FACESYM_SLOW"), reason="minutes on 2 cores: set FACESYM_SLOW=1"
)
def test_diff_reports_exactly_the_questionnaires_one_changed_rule_affects(
    tmp_path: Path, recommender: Recommender
) -> None:
    root = copy_rules(tmp_path / "rules")
    rule_id, old_value, new_value = change_plan_pathway(root)
    report = diff(default_rules_path(), root)
    text = render(report)
    assert report.groups, text
    expected_change = ("pathway", old_value, new_value)
    for group in report.groups:
        assert group.changes == (expected_change,), text
    kinds = {(g.red_flag, g.under_18) for g in report.groups}

    with Recommender.from_path(root) as new:
        samples: list[dict[str, Any]] = [g.example for g in report.groups]
        rng = random.Random(11)
        samples += [random_questionnaire(rng) for _ in range(3000)]
        affected = 0
        for answers in samples:
            try:
                before = recommender.recommend(answers)
                after = new.recommend(answers)
            except UnsafeRecommendationError:
                continue
            expected = _decided_by(before, rule_id, recommender)
            changed = outcome(before) != outcome(after)
            assert changed == expected, answers
            if changed:
                affected += 1
                assert (before.pathway, after.pathway) == (old_value, new_value)
                red_flag = before.urgency is not None or before.pathway == "red_flag"
                under_18 = answers["age"] < ADULT_AGE
                assert (red_flag, under_18) in kinds, answers
        assert affected >= len(report.groups)
    assert 0 < report.changed < report.questionnaires
