"""Every rule's own examples, run through the compiled engine (semgrep-style rule tests).

A rule lists inputs on which it must fire and inputs on which it must not; a failure names
the file, the rule, the example and what happened.
"""

from __future__ import annotations

import pytest

from recommender import Recommender
from recommender.proof.rule_examples import ExampleResult, run_examples


@pytest.fixture(scope="module")
def results(recommender: Recommender) -> list[ExampleResult]:
    return run_examples(recommender)


def test_every_rule_example_passes(results: list[ExampleResult]) -> None:
    failures = [result.describe() for result in results if not result.passed]
    assert not failures, "\n".join(failures)


def test_every_rule_has_examples_both_ways(
    recommender: Recommender, results: list[ExampleResult]
) -> None:
    rules = {rule.id for rule in recommender.rulebase.all_rules()}
    for expectation in ("fire", "not_fire"):
        tested = {result.rule for result in results if result.expectation == expectation}
        assert tested == rules, f"rules without a {expectation} example: {sorted(rules - tested)}"


def test_every_rule_cites_the_brief(recommender: Recommender) -> None:
    for rule in recommender.rulebase.all_rules():
        evidence = rule.rule.evidence
        assert any(item.startswith(("brief", "contract")) for item in evidence), rule.id
        assert rule.rule.rationale.strip(), rule.id


def test_rules_awaiting_review_say_why(recommender: Recommender) -> None:
    pending = recommender.rulebase.rules_for_review()
    assert pending, "GCK-verify points of the brief are marked for prescriber review"
    for rule in pending:
        assert rule.rule.review is not None and len(rule.rule.review) > 20, rule.id
