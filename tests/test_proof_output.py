"""The proof's output is the one recorded in tests/golden/ (see tests/proof_output.py).

Each report here is a walk the suite makes anyway (the session fixtures), so this costs no
walk of its own. A change to the walk that makes it faster, or reorganises it, must leave
every figure of what it proved, and every finding with its counterexample and count, as it
was recorded before the change. Both sides run on `RECORDED_WORKERS` processes: states in
different processes never merge, so the class counts (and which counterexample comes first)
depend on how the states are shared out; the last test shows that nothing else does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recommender.proof.verify import Report, verify

from .proof_output import RECORDED_WORKERS, proof_output, recorded
from .verify_fixtures import INVARIANT_BREAKERS, broken_copy


def _same(report: Report, name: str) -> None:
    expected = recorded(name)
    got = proof_output(report)
    assert got["fingerprint"] == expected["fingerprint"], (
        f"the rule base behind tests/golden/verify-{name}.json changed: if on purpose, record"
        " again with `python -m tests.proof_output` and read the diff"
    )
    for key in expected:
        assert got[key] == expected[key], f"verify-{name}.json: {key} differs"
    assert got == expected


def test_the_shipped_walk_proves_what_was_recorded(default_report: Report) -> None:
    _same(default_report, "default")


def test_the_small_walk_proves_what_was_recorded(small_report: Report) -> None:
    _same(small_report, "small")


def test_broken_invariants_are_found_as_recorded(
    broken_invariants: tuple[Report, dict[str, str]],
) -> None:
    _same(broken_invariants[0], "broken-invariants")


def test_broken_structure_is_found_as_recorded(
    broken_structure: tuple[Path, Report, dict[str, str]],
) -> None:
    _same(broken_structure[1], "broken-structure")


def _apart_from_the_split(report: Report) -> dict[str, Any]:
    """The proof output without what follows the split into shares: the class counts, the
    medians of questions asked (taken over end classes, each class once) and the
    counterexamples (any one shows its finding)."""
    output = proof_output(report)
    del output["end_classes"]
    del output["questions_asked"]
    output["stages"] = [{k: v for k, v in s.items() if k != "classes"} for s in output["stages"]]
    output["findings"] = sorted(
        (f["kind"], f["message"], f["rule"], f["stage"]) for f in output["findings"]
    )
    return output


def test_another_split_proves_and_finds_the_same(
    broken_invariants: tuple[Report, dict[str, str]], tmp_path: Path
) -> None:
    """Three processes instead of two: every questionnaire is still walked exactly once
    (the same counts and pathway shares) and every fault is still found."""
    root, _ = broken_copy(tmp_path / "rules", INVARIANT_BREAKERS)
    three = verify(root, workers=RECORDED_WORKERS + 1)
    assert _apart_from_the_split(three) == _apart_from_the_split(broken_invariants[0])
