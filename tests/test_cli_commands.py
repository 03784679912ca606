"""`facesym schema`, `questions`, `rules check|test|review`, `--version`, `--help` and colour."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import Questionnaire, Recommender
from recommender.rulebase.yamlio import load_yaml
from recommender.views.client import ClientRecommendation
from recommender.views.style import colour_enabled, echo, heading

from .test_cli_support import edit_rule_file, run


def test_version_shows_the_default_fingerprint() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("facesym ")
    # loaded afresh, not from the session fixture: the rule files may change during a run
    assert Recommender.default().rulebase.fingerprint in result.stdout


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("ask", "recommend", "schema", "questions", "rules"):
        assert command in result.stdout


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m recommender ARGS` in a fresh interpreter, as a person would type it."""
    return subprocess.run(
        [sys.executable, "-m", "recommender", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_dash_m_recommender_shows_the_version() -> None:
    result = run_module("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("facesym ")
    assert Recommender.default().rulebase.fingerprint in result.stdout


def test_python_dash_m_recommender_is_the_facesym_command() -> None:
    result = run_module("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: facesym [OPTIONS] COMMAND")
    for command in ("ask", "recommend", "schema", "questions", "rules"):
        assert command in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run("recomend")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_schema_is_the_questionnaire_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == Questionnaire.model_json_schema()
    assert json.loads(run("schema", "questionnaire").stdout) == Questionnaire.model_json_schema()


def test_schema_client_is_the_client_views_json_schema() -> None:
    result = run("schema", "client")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == ClientRecommendation.model_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "next_step",
        "how_soon",
        "get_help_now",
        "stopped_early",
        "cards",
        "exercise_programme",
    }
    full = json.loads(run("schema", "recommendation").stdout)
    assert {"category", "injectable_options", "cautions", "explanation"} <= set(full["properties"])
    assert run("schema", "everything").exit_code == 2


def test_questions_are_the_librarys_questions(recommender: Recommender) -> None:
    result = run("questions")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [q["field"] for q in data] == [q.field for q in recommender.questions()]
    first = data[0]
    assert {"id", "text", "help", "kind", "options", "required", "position", "total"} <= set(first)


def test_questions_from_another_rule_base(rules_copy: Path) -> None:
    result = run("questions", "--rules", str(rules_copy))
    assert result.exit_code == 0
    assert json.loads(result.stdout)


# --- rules -------------------------------------------------------------------------------------


def test_rules_check_summarises_the_rule_base(rules_copy: Path) -> None:
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 0, result.stderr
    base = Recommender.from_path(rules_copy).rulebase
    assert base.name in result.stdout and base.version in result.stdout
    assert base.fingerprint in result.stdout
    for stage in base.stages:
        assert f"stage {stage.id}" in result.stdout
    assert f"{len(base.all_rules())} rules" in result.stdout


def test_rules_check_takes_a_directory_or_the_option(rules_copy: Path) -> None:
    assert run("rules", "check", str(rules_copy)).exit_code == 0
    assert run("rules", "check", "--rules", str(rules_copy)).exit_code == 0
    assert run("rules", "check", str(rules_copy), "--rules", str(rules_copy)).exit_code == 0


def test_rules_check_refuses_two_different_directories(rules_copy: Path, tmp_path: Path) -> None:
    result = run("rules", "check", str(rules_copy), "--rules", str(tmp_path))
    assert result.exit_code == 2


def test_rules_check_names_the_broken_file_and_rule(rules_copy: Path) -> None:
    broken: list[str] = []

    def duplicate_id(data: dict[str, Any]) -> None:
        data["rules"][1]["id"] = data["rules"][0]["id"]
        broken.append(data["rules"][0]["id"])

    file = edit_rule_file(rules_copy, "classify", duplicate_id)
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert file in result.stderr and broken[0] in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_check_of_an_empty_directory_fails_cleanly(tmp_path: Path) -> None:
    result = run("rules", "check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")


def test_rules_test_passes_on_the_default_rule_base() -> None:
    result = run("rules", "test")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "passed" in result.stdout
    assert "FAIL" not in result.stdout


def test_rules_test_reports_failing_examples(rules_copy: Path) -> None:
    swapped: list[str] = []

    def swap_examples(data: dict[str, Any]) -> None:
        rule = data["rules"][0]
        examples = rule["examples"]
        examples["fire"], examples["not_fire"] = examples["not_fire"], examples["fire"]
        swapped.append(rule["id"])

    edit_rule_file(rules_copy, "gate", swap_examples)
    result = run("rules", "test", str(rules_copy))
    assert result.exit_code == 1
    assert f"rule {swapped[0]} " in result.stdout
    assert "FAIL" in result.stdout
    assert "failed" in result.stderr


def test_rules_review_lists_rules_awaiting_sign_off(rules_copy: Path) -> None:
    result = run("rules", "review", str(rules_copy))
    assert result.exit_code == 0
    pending = Recommender.from_path(rules_copy).rulebase.rules_for_review()
    for loaded in pending:
        assert loaded.id in result.stdout
        assert loaded.file in result.stdout
    if not pending:
        assert "No rules" in result.stdout


def test_rules_review_deleting_review_notes_signs_nothing(rules_copy: Path) -> None:
    """Sign-off used to mean deleting the `review:` lines; now only `rules sign-off` signs."""
    manifest = load_yaml((rules_copy / "rulebase.yaml").read_text(encoding="utf-8"))
    for stage in manifest["stages"]:
        for file in stage["files"]:
            path = rules_copy / file
            data = load_yaml(path.read_text(encoding="utf-8"))
            for rule in data["rules"]:
                rule.pop("review", None)
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("rules", "review", str(rules_copy))
    assert result.exit_code == 0, result.stderr
    assert "No rules carry a review note" in result.stdout
    rules = len(Recommender.from_path(rules_copy).rulebase.all_rules())
    assert f"0 signed off, 0 stale, {rules} awaiting sign-off" in result.stdout


# --- colour ------------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour_enabled(FakeTerminal())
    assert not colour_enabled(io.StringIO())


@pytest.mark.parametrize("value", ["1", "true", "0"])
def test_no_color_turns_colour_off_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NO_COLOR", value)
    assert not colour_enabled(FakeTerminal())


def test_empty_no_color_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "")
    assert colour_enabled(FakeTerminal())


def test_echo_strips_styles_unless_colour_is_enabled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    echo(heading("plain"))
    assert capsys.readouterr().out == "plain\n"
    monkeypatch.setattr("recommender.views.style.is_terminal", lambda stream: True)
    echo(heading("bold"))
    assert "\x1b[1m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    echo(heading("plain again"))
    assert capsys.readouterr().out == "plain again\n"


def test_no_color_keeps_command_output_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("recommender.views.style.is_terminal", lambda stream: True)
    coloured = run("rules", "check")
    plain = run("rules", "check", env={"NO_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    assert "\x1b[" not in plain.stdout
    assert plain.exit_code == 0
