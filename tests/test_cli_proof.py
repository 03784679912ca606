"""The verify and diff commands: exit codes and output, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from recommender import default_rules_path
from recommender.cli import cli
from recommender.proof import verify as verify_module
from recommender.proof.verify import Report


def _reuse(monkeypatch: pytest.MonkeyPatch, directory: Path, report: Report) -> None:
    """The command prints and exits on a walk the suite already made of that directory, so
    this checks the command, not the walk again (tests/test_invariants_exhaustive.py does)."""

    def walked(path: str | Path, workers: int | None = None, progress: object = None) -> Report:
        assert Path(path).resolve() == directory.resolve()
        return report

    monkeypatch.setattr(verify_module, "verify", walked)


def test_verify_default_rules_passes_with_json(
    monkeypatch: pytest.MonkeyPatch, default_report: Report
) -> None:
    _reuse(monkeypatch, default_rules_path(), default_report)
    result = CliRunner().invoke(cli, ["verify", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True and data["findings"] == []
    assert next(stage["stage"] for stage in data["stages"]) == "gate"


def test_verify_broken_rules_exits_1_with_counterexample(
    monkeypatch: pytest.MonkeyPatch, broken_structure: tuple[Path, Report, dict[str, str]]
) -> None:
    root, report, _ = broken_structure  # its plan fallback is gone, among other breaks
    _reuse(monkeypatch, root, report)
    result = CliRunner().invoke(cli, ["verify", str(root)])
    assert result.exit_code == 1
    assert "gap [plan]" in result.output and "counterexample" in result.output


def test_verify_unknown_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "missing")])
    assert result.exit_code == 2


def test_diff_identical_rule_bases_reports_no_change() -> None:
    rules = str(default_rules_path())
    result = CliRunner().invoke(cli, ["diff", rules, rules, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changed_questionnaires"] == 0 and data["groups"] == []
    assert data["same_decisions"] and data["questionnaires"] > 10**30
