"""Issue 3's exhaustive tests, through `verify` over the whole input space of the default rules.

Every contract invariant is checked on every end class of complete questionnaires (and every
partial questionnaire the gate stops), which covers the whole input space of the stage that
decides each one; every rule applies somewhere; nothing raises; exactly one pathway each.
"""

from __future__ import annotations

import pytest

from recommender.proof._space import Space
from recommender.proof._walk import Finding
from recommender.proof.verify import Report, render


@pytest.fixture(scope="module")
def report(default_report: Report) -> Report:
    return default_report


def _show(findings: list[Finding], report: Report) -> str:
    return render(report) if findings else ""


def test_every_contract_invariant_holds_everywhere(report: Report) -> None:
    found = report.by_kind("invariant")
    assert not found, _show(found, report)


def test_every_rule_applies_on_some_input(report: Report) -> None:
    found = report.by_kind("dead_rule")
    assert not found, _show(found, report)


def test_every_complete_questionnaire_gets_one_pathway_and_nothing_raises(report: Report) -> None:
    for kind in ("gap", "raises", "overlap"):
        found = report.by_kind(kind)
        assert not found, _show(found, report)


def test_the_real_engine_agrees_with_the_walk(report: Report) -> None:
    found = report.by_kind("engine_mismatch")
    assert not found, _show(found, report)
    assert report.replays > 0


def test_the_walk_covers_every_complete_questionnaire(report: Report, recommender) -> None:  # type: ignore[no-untyped-def]
    assert report.questionnaires == Space([recommender.rulebase]).total()
    assert sum(report.pathways.values()) == report.questionnaires
    assert report.pathways["red_flag"] > 0 and report.pathways["exercise_programme"] > 0
    assert report.end_classes > 0 and report.partial_classes > 0
    assert report.ok
