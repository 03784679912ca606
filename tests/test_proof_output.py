"""The proof's output is the one recorded in tests/golden/ (see tests/proof_output.py).

Each report here is a walk the suite makes anyway (the session fixtures), so this costs no
walk of its own. A change to the walk that makes it faster, or reorganises it, must leave
every figure of what it proved, and every finding with its counterexample and count, as it
was recorded before the change. Both sides run on `RECORDED_WORKERS` processes: each process
walks the gate whole, so finding counts and end classes of a broken rule base depend on how
the states are shared out.
"""

from __future__ import annotations

from pathlib import Path

from recommender.proof.verify import Report

from .proof_output import proof_output, recorded


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
