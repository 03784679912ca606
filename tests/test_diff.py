"""`diff` reports exactly the questionnaires a one-rule change affects.

The change: the first plan rule that sets a pathway now sets another. Under the old rules a
questionnaire is affected exactly when that rule decided its pathway, so the expected set is
checked two independent ways:

- its size: `verify` walks each rule base on its own (no joint walk, no stage sharing) and
  counts each pathway's questionnaires; what the old pathway loses and the new one gains must
  both equal the number of questionnaires `diff` says changed;
- its members: the real engine, on every group's example, on random questionnaires and on
  questionnaires a few answers away from the examples, says which rule decided the pathway;
  a questionnaire is affected exactly when that rule did, and then as `diff` grouped it.

Both checks run on the small test rule base (tests/rulebases/small/): what they prove is about
`diff`, whose joint walk shares the stages the two rule bases have alike exactly as it does for
the shipped rules, and its walks take seconds. The shipped rules' wording-only change is still
answered on the shipped rules, which needs no walk.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, UnsafeRecommendationError, default_rules_path
from recommender.contract.constants import ADULT_AGE
from recommender.contract.fields import field_specs
from recommender.contract.recommendation import Recommendation
from recommender.proof._space import Space
from recommender.proof.diff import DiffReport, diff, outcome, render
from recommender.proof.random_answers import random_questionnaire
from recommender.proof.verify import Report, verify

from .json_copies import assert_as_dict_is_a_copy
from .verify_fixtures import change_plan_pathway, copy_rules, reword_a_plan_rule, small_rules


@pytest.fixture(scope="module")
def changed(
    tmp_path_factory: pytest.TempPathFactory, small_rules_dir: Path
) -> tuple[Path, str, str, str, DiffReport]:
    """A copy of the small test rule base with one plan rule changed, and diff's report."""
    root = small_rules(tmp_path_factory.mktemp("diff") / "rules")
    rule_id, old_value, new_value = change_plan_pathway(root)
    return root, rule_id, old_value, new_value, diff(small_rules_dir, root)


@pytest.fixture(scope="module")
def unchanged(small_rules_dir: Path) -> Iterator[Recommender]:
    """The small test rule base before the change, compiled once for this module."""
    with Recommender.from_path(small_rules_dir) as loaded:
        yield loaded


def test_a_wording_only_change_is_answered_without_a_walk(tmp_path: Path) -> None:
    root = copy_rules(tmp_path / "rules")
    reword_a_plan_rule(root)
    report = diff(default_rules_path(), root)
    with Recommender.from_path(root) as new:
        total = Space([new.rulebase]).total()
    assert report.same_decisions and report.classes == 0
    assert report.changed == 0 and report.questionnaires == total
    assert "nothing was walked" in render(report)


def test_a_decision_change_is_walked(changed: tuple[Path, str, str, str, DiffReport]) -> None:
    report = changed[4]
    assert not report.same_decisions and report.classes > 0


def test_the_json_form_is_a_copy_a_caller_may_change(
    changed: tuple[Path, str, str, str, DiffReport],
) -> None:
    report = changed[4]
    assert report.groups and report.groups[0].example  # every kind of part is there
    assert_as_dict_is_a_copy(report)


@pytest.mark.slow
def test_diff_counts_what_the_pathway_totals_of_each_rule_base_say(
    changed: tuple[Path, str, str, str, DiffReport], small_report: Report
) -> None:
    """Each rule base walked on its own by `verify` (no joint walk, no stage sharing)."""
    root, _, old_value, new_value, report = changed
    before, after = Counter(small_report.pathways), Counter(verify(root).pathways)
    assert sum(before.values()) == sum(after.values()) == report.questionnaires
    assert report.changed > 0
    assert before[old_value] - after[old_value] == report.changed, render(report)
    assert after[new_value] - before[new_value] == report.changed, render(report)
    untouched = (set(before) | set(after)) - {old_value, new_value}
    assert all(before[p] == after[p] for p in untouched)


def _decided_by(rec: Recommendation, rule_id: str, old: Recommender) -> bool:
    """Whether `rule_id` set the pathway (the first non-fallback pathway setter of plan)."""
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


def _withheld_or_outcome(recommender: Recommender, answers: dict[str, Any]) -> Any:
    """The compared aspects, or None where the safety checks withhold the recommendation.

    A changed rule can send someone where the contract forbids (for example reassurance
    despite a self-harm answer); the library then withholds the result, which is a change of
    outcome too, and the one a clinic most needs to see.
    """
    try:
        return outcome(recommender.recommend(answers))
    except UnsafeRecommendationError:
        return None


def _near(example: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A complete questionnaire one to four answers away from `example`."""
    other = random_questionnaire(rng)
    result = dict(example)
    for name in rng.sample(sorted(field_specs()), k=rng.randint(1, 4)):
        # first_noticed and event change together, so the pair stays valid
        for field in ("first_noticed", "event") if name in ("first_noticed", "event") else (name,):
            if field in other:
                result[field] = other[field]
            else:
                result.pop(field, None)
    return result


@pytest.mark.slow
def test_diff_groups_exactly_the_questionnaires_the_changed_rule_decided(
    changed: tuple[Path, str, str, str, DiffReport], unchanged: Recommender
) -> None:
    root, rule_id, old_value, new_value, report = changed
    text = render(report)
    assert report.groups, text
    for group in report.groups:
        assert group.changes == (("pathway", old_value, new_value),), text
    kinds = {(g.red_flag, g.under_18) for g in report.groups}
    assert (False, False) in kinds and (False, True) in kinds, text

    rng = random.Random(11)
    examples = [g.example for g in report.groups]
    samples = examples + [random_questionnaire(rng) for _ in range(3000)]
    samples += [_near(rng.choice(examples), rng) for _ in range(3000)]
    affected = 0
    with Recommender.from_path(root) as new:
        for answers in samples:
            before = unchanged.recommend(answers)  # verify proves the small rules safe
            after = _withheld_or_outcome(new, answers)
            expected = _decided_by(before, rule_id, unchanged)
            differs = outcome(before) != after
            assert differs == expected, answers
            if differs:
                affected += 1
                assert before.pathway == old_value, answers
                assert after is None or after["pathway"] == new_value, answers
                red_flag = before.urgency is not None or before.pathway == "red_flag"
                assert (red_flag, answers["age"] < ADULT_AGE) in kinds, answers
        for example in examples:  # every group's example is itself affected
            assert outcome(unchanged.recommend(example)) != _withheld_or_outcome(new, example)
    assert affected > 100, "the samples must reach the affected set often enough to mean much"
    assert 0 < report.changed < report.questionnaires
