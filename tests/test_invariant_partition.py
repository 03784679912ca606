"""The proof's partition of each answer field comes from the invariants' own declarations.

A new invariant declared in `invariants.ANSWER_SIGNS` must refine the partition by itself,
and `verify` and `diff` must fail, not print OK, on a space cut coarser than a declared
invariant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from recommender import Recommender, default_rules_path
from recommender.cli import cli
from recommender.contract.fields import field_specs
from recommender.proof import _space as space_module
from recommender.proof._partition import KIND, coarse_cuts
from recommender.proof._space import Space, all_values
from recommender.proof.diff import CoarseSpaceError, diff
from recommender.proof.verify import render, verify
from recommender.safety import invariants
from recommender.safety.invariants import ANSWER_SIGNS, AnswerSign, answer_fields

from .verify_fixtures import change_plan_pathway, small_rules

UNDER_40 = AnswerSign.declare("under 40", {"field": "age", "lt": 40})
"""A boundary no rule and no invariant of the default rule base draws (ages 18-64 are one
class today)."""
ON_BITE = AnswerSign.declare("bite problems", {"field": "bite_problems", "equals": True})


def _age_class(space: Space, age: int) -> object:
    return space.fields["age"].representative(age)


def test_the_default_space_is_as_fine_as_every_declared_invariant(
    recommender: Recommender,
) -> None:
    space = Space([recommender.rulebase])
    assert coarse_cuts(space) == []
    assert _age_class(space, 17) != _age_class(space, 18)  # the under-18 invariant
    assert set(answer_fields()) <= set(space.invariant_fields)


def test_a_new_invariant_boundary_refines_the_partition(
    recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Space([recommender.rulebase])
    assert _age_class(before, 39) == _age_class(before, 40)
    assert "bite_problems" not in before.invariant_fields

    monkeypatch.setattr(invariants, "ANSWER_SIGNS", (*ANSWER_SIGNS, UNDER_40, ON_BITE))
    after = Space([recommender.rulebase])
    assert _age_class(after, 39) != _age_class(after, 40)
    assert _age_class(after, 39) == _age_class(after, 18)  # only the new boundary is new
    # Answers only the invariants read are kept cut to the invariants' own classes: the new
    # boundary shows there too, and the new field is kept to the end like the others.
    assert after.invariant_class("age", 39) != after.invariant_class("age", 40)
    assert "bite_problems" in after.invariant_fields
    assert coarse_cuts(after) == []


def test_verify_fails_when_a_declared_invariant_is_cut_coarser_than_declared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The space keeps cutting by the old declarations while the invariants declare one more:
    # what would happen were the partition spelled apart from the invariants again.
    old_tests = invariants.answer_tests()
    monkeypatch.setattr(space_module, "answer_tests", lambda: old_tests)
    monkeypatch.setattr(invariants, "ANSWER_SIGNS", (*ANSWER_SIGNS, UNDER_40))
    with Recommender.default() as recommender:
        problems = coarse_cuts(Space([recommender.rulebase]))
    assert len(problems) == 1 and problems[0].startswith("age is cut coarser"), problems
    assert "age lt 40" in problems[0]

    report = verify(default_rules_path(), workers=1)
    assert not report.ok
    assert [finding.kind for finding in report.findings] == [KIND]
    assert report.end_classes == 0  # nothing walked: such a walk proves nothing
    text = render(report)
    assert "FAILED: 1 findings" in text and "OK: no findings" not in text


def test_diff_walks_nothing_when_a_declared_invariant_is_cut_coarser_than_declared(
    monkeypatch: pytest.MonkeyPatch, small_rules_dir: Path, tmp_path: Path
) -> None:
    """A change of decision (so `diff` would walk), over a space cut as before one more
    invariant was declared: `diff` fails, naming the cut, before any walk; so does the CLI."""
    changed = small_rules(tmp_path / "rules")
    change_plan_pathway(changed)
    old_tests = invariants.answer_tests()
    monkeypatch.setattr(space_module, "answer_tests", lambda: old_tests)
    monkeypatch.setattr(invariants, "ANSWER_SIGNS", (*ANSWER_SIGNS, UNDER_40))
    monkeypatch.setattr(
        "recommender.proof.diff.run_shards", lambda *args: pytest.fail("diff walked")
    )
    with pytest.raises(CoarseSpaceError) as raised:
        diff(small_rules_dir, changed, workers=1)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("age is cut coarser"), raised.value.problems
    assert "age lt 40" in str(raised.value)

    for output_format in ("text", "json"):
        command = ["diff", str(small_rules_dir), str(changed), "--format", output_format]
        result = CliRunner().invoke(cli, command)
        # A clean failure is a SystemExit; an exception that escaped the command is kept as
        # itself (CliRunner would report exit code 1 for it too).
        assert isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.startswith("Error: the proof's space cannot be walked:")
        assert "age is cut coarser than the invariant test age lt 40" in result.stderr


def test_answers_no_rule_reads_are_still_cut_by_every_invariant_and_safety_table(
    recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof never trusts the rules to read what the safety checks read: with rules that
    read no answer at all, every field an invariant or a safety-table line tests is still cut
    by that test and kept to the end of the walk, so no sign is judged at a filler value."""
    monkeypatch.setattr(space_module, "_tests_of", lambda rulebase: iter(()))
    monkeypatch.setattr(space_module, "_programme_tests", lambda rulebase: iter(()))
    space = Space([recommender.rulebase])
    assert coarse_cuts(space) == []
    declared = {test.field for test in invariants.answer_tests()}
    assert declared >= set(space_module.NET_FIELDS) | set(answer_fields())
    for name in declared:
        values = all_values(field_specs()[name])
        kept = {repr(space.invariant_class(name, value)) for value in values}
        assert len(kept) > 1, f"{name} is walked as one class, though a safety check reads it"
