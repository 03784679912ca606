"""The verify, diff and bench commands: exit codes and output, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from recommender import default_rules_path
from recommender.cli import cli

from .verify_fixtures import copy_rules, drop_plan_fallback


def test_verify_default_rules_passes_with_json() -> None:
    result = CliRunner().invoke(cli, ["verify", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True and data["findings"] == []
    assert next(stage["stage"] for stage in data["stages"]) == "gate"


def test_verify_broken_rules_exits_1_with_counterexample(tmp_path: Path) -> None:
    root = copy_rules(tmp_path / "rules")
    drop_plan_fallback(root)
    result = CliRunner().invoke(cli, ["verify", str(root)])
    assert result.exit_code == 1
    assert "gap [plan]" in result.output and "counterexample" in result.output


def test_verify_unknown_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "missing")])
    assert result.exit_code == 2


@pytest.mark.slow
def test_diff_identical_rule_bases_reports_no_change() -> None:
    rules = str(default_rules_path())
    result = CliRunner().invoke(cli, ["diff", rules, rules, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changed_questionnaires"] == 0 and data["groups"] == []


def test_bench_help_lists_the_quick_mode() -> None:
    result = CliRunner().invoke(cli, ["bench", "--help"])
    assert result.exit_code == 0 and "--quick" in result.output
