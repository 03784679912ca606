"""The small test rule base stands in for the shipped rules in the proof tests.

The broken-copy tests (tests/test_verify.py, tests/test_verify_client.py, tests/test_cli_proof.py)
and diff's exact-set tests (tests/test_diff.py) walk copies of it, so what they find must come
from the change they make: here the unchanged small rule base loads, its rules' own examples
pass, it reads the shipped catalogue unchanged, it verifies clean, and it reaches every
pathway its plan can give.
"""

from __future__ import annotations

from pathlib import Path

from recommender import Recommender, default_rules_path
from recommender.proof.rule_examples import run_examples
from recommender.proof.verify import Report, render
from recommender.rulebase.yamlio import load_yaml

from ..verify_fixtures import shipped_stage_files


def test_the_small_rule_base_verifies_clean(small_report: Report) -> None:
    assert small_report.ok, render(small_report)
    assert small_report.replays > 0 and small_report.partial_classes > 0


def test_every_pathway_of_the_small_plan_is_reached(
    small_report: Report, small_rules_dir: Path
) -> None:
    with Recommender.from_path(small_rules_dir) as small:
        pathways = set(small.rulebase.derived["pathway"].values)
    assert {p for p, count in small_report.pathways.items() if count} == pathways | {"red_flag"}


def test_every_small_rule_example_passes_both_ways(small_rules_dir: Path) -> None:
    with Recommender.from_path(small_rules_dir) as small:
        results = run_examples(small)
        rules = {rule.id for rule in small.rulebase.all_rules()}
    failures = [result.describe() for result in results if not result.passed]
    assert not failures, "\n".join(failures)
    for expectation in ("fire", "not_fire"):
        assert {r.rule for r in results if r.expectation == expectation} == rules, expectation


def test_the_small_rule_base_reads_the_shipped_catalogue(small_rules_dir: Path) -> None:
    """Every shipped file but the manifest and the stage files is there, unchanged."""
    shipped = default_rules_path()
    replaced = shipped_stage_files()
    files = [p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file()]
    kept = [name for name in files if name.as_posix() not in replaced]
    assert kept and len(kept) < len(files)
    for name in kept:
        assert (small_rules_dir / name).read_bytes() == (shipped / name).read_bytes(), name
    manifest = load_yaml((small_rules_dir / "rulebase.yaml").read_text(encoding="utf-8"))
    shipped_manifest = load_yaml((shipped / "rulebase.yaml").read_text(encoding="utf-8"))
    assert manifest["catalogue"] == shipped_manifest["catalogue"]
