"""`facesym rules sign-off` and `rules review`, and the clinic's line on `recommend` and `ask`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import Recommender
from recommender.rulebase.signoff_record import SIGNOFF_FILE
from recommender.rulebase.yamlio import load_yaml

from .test_cli_pty import ANSI, Terminal, answer_everything, environment
from .test_cli_support import edit_rule_file, example_path, run

GATE_RULE = "gate.r1_stroke_signs"
PLAN_RULE = "plan.assessment_fallback"
SIGNER = ("--name", "Dr A Shah", "--registration", "GMC 1234567")
CLINIC_LINE = "For the clinic: this rule base has {} not yet signed off by the prescriber."


def rule_count(root: Path) -> int:
    return len(Recommender.from_path(root).rulebase.all_rules())


def review(root: Path) -> dict[str, Any]:
    result = run("rules", "review", str(root), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule["id"]: rule for rule in report["rules"]}


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- sign-off --------------------------------------------------------------------------------


def test_signing_every_rule(rules_copy: Path) -> None:
    total = rule_count(rules_copy)
    result = run("rules", "sign-off", str(rules_copy), *SIGNER)
    assert result.exit_code == 0, result.stderr
    assert f"Signed off {total} rules for Dr A Shah (GMC 1234567)" in result.stdout
    assert f"now          {total} signed off, 0 stale, 0 awaiting" in result.stdout
    report = review(rules_copy)
    assert report["signed_off"] is True
    assert report["counts"] == {"signed": total, "stale": 0, "awaiting": 0}
    signer = by_id(report)[GATE_RULE]["signed_by"]
    assert (signer["name"], signer["registration"]) == ("Dr A Shah", "GMC 1234567")
    assert signer["signed_at"].endswith("Z") and signer["signed_at"][10] == "T"
    assert signer["rulebase_fingerprint"] == report["rulebase"]["fingerprint"]


def test_signing_chosen_rules_and_the_text_report(rules_copy: Path) -> None:
    result = run(
        "rules", "sign-off", str(rules_copy), *SIGNER, "--rule", GATE_RULE, "--rule", PLAN_RULE
    )
    assert result.exit_code == 0, result.stderr
    assert "Signed off 2 rules" in result.stdout
    text = run("rules", "review", str(rules_copy)).stdout
    total = rule_count(rules_copy)
    assert f"{total} rules: 2 signed off, 0 stale, {total - 2} awaiting sign-off" in text
    awaiting, signed = text.split(f"Awaiting sign-off ({total - 2})")[1].split("Signed off (2)")
    assert GATE_RULE in signed and PLAN_RULE in signed and GATE_RULE not in awaiting
    assert "Signed by Dr A Shah (GMC 1234567) on " in signed
    assert f"Not fully signed off: {total - 2} rules still to sign." in text


def test_a_changed_rule_shows_as_stale(rules_copy: Path) -> None:
    assert run("rules", "sign-off", str(rules_copy), *SIGNER).exit_code == 0

    def reword(data: dict[str, Any]) -> None:
        rule = next(rule for rule in data["rules"] if rule["id"] == GATE_RULE)
        rule["rationale"] += " Reworded after signing."

    edit_rule_file(rules_copy, "gate", reword)
    text = run("rules", "review", str(rules_copy)).stdout
    stale = text.split("Stale: changed since it was signed")[1].split("Signed off (")[0]
    assert "(1)" in stale and GATE_RULE in stale
    assert "Was signed by Dr A Shah (GMC 1234567)" in stale
    assert "The rule base has changed since then" in one_line(text)
    assert by_id(review(rules_copy))[GATE_RULE]["status"] == "stale"


def test_an_unknown_rule_id_writes_nothing(rules_copy: Path) -> None:
    result = run(
        "rules",
        "sign-off",
        str(rules_copy),
        *SIGNER,
        "--rule",
        GATE_RULE,
        "--rule",
        "gate.no_such_rule",
    )
    assert result.exit_code == 2
    assert "--rule" in result.stderr and "gate.no_such_rule" in result.stderr
    assert "nothing was signed" in result.stderr
    assert not (rules_copy / SIGNOFF_FILE).exists()


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (("--name", "Dr A Shah", "--registration", ""), "--registration"),
        (("--name", "Dr A Shah", "--registration", "Dr A Shah"), "--registration"),
        (("--name", "   ", "--registration", "GMC 1234567"), "--name"),
    ],
)
def test_a_bad_signer_names_the_option_and_writes_nothing(
    rules_copy: Path, arguments: tuple[str, ...], option: str
) -> None:
    result = run("rules", "sign-off", str(rules_copy), *arguments)
    assert result.exit_code == 2
    assert f"Invalid value for {option}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (rules_copy / SIGNOFF_FILE).exists()


def test_sign_off_needs_a_directory_and_a_registration() -> None:
    assert "name the rule base directory" in run("rules", "sign-off", *SIGNER).stderr
    missing = run("rules", "sign-off", "rules", "--name", "Dr A Shah")
    assert missing.exit_code == 2 and "--registration" in missing.stderr


def test_a_broken_rule_base_cannot_be_signed(rules_copy: Path) -> None:
    edit_rule_file(rules_copy, "gate", lambda data: data["rules"][0].pop("rationale"))
    result = run("rules", "sign-off", str(rules_copy), *SIGNER)
    assert result.exit_code == 1 and "stages/10-gate.yaml" in result.stderr
    assert not (rules_copy / SIGNOFF_FILE).exists()


def test_a_malformed_record_is_reported_by_file(rules_copy: Path) -> None:
    (rules_copy / SIGNOFF_FILE).write_text("signoffs: [{name: x}]\n", encoding="utf-8")
    for command in (("rules", "review"), ("rules", "check")):
        result = run(*command, str(rules_copy))
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {SIGNOFF_FILE}: ")
        assert "Traceback" not in result.stderr


# --- review of the shipped rule base ---------------------------------------------------------


def test_review_lists_every_shipped_rule_awaiting_with_its_brief_sections() -> None:
    result = run("rules", "review", "--format", "json")
    assert result.exit_code == 0  # a report: awaiting rules are not a failure
    report = json.loads(result.stdout)
    base = Recommender.default().rulebase
    assert [rule["id"] for rule in report["rules"]] == [rule.id for rule in base.all_rules()]
    assert {rule["status"] for rule in report["rules"]} == {"awaiting"}
    assert report["signed_off"] is False and report["latest_signoff"] is None
    gate = by_id(report)[GATE_RULE]
    assert {"section": "3.1", "title": "Red-flag table"} in gate["brief_sections"]
    assert gate["review"] == next(r.rule.review for r in base.all_rules() if r.id == GATE_RULE)
    assert Path(report["brief"]).name == "clinical-brief.md" and Path(report["brief"]).is_file()


def test_review_text_shows_each_rule_its_evidence_and_what_to_check() -> None:
    text = run("rules", "review").stdout
    assert "0 signed off, 0 stale" in text
    entry = text.split(f"  {GATE_RULE}  stages/10-gate.yaml")[1].split("\n  gate.")[0]
    assert "Cites brief 3.1 R1" in one_line(entry)
    assert "In the brief: 3.1 Red-flag table" in one_line(entry)
    assert "To check: R2 (extra stroke symptoms)" in one_line(entry)
    assert "clinical brief:" in text


# --- the line for the clinic -------------------------------------------------------------------


def signed_copy(rules_copy: Path) -> Path:
    assert run("rules", "sign-off", str(rules_copy), *SIGNER).exit_code == 0
    return rules_copy


@pytest.mark.parametrize("audience", [(), ("--for", "clinician")])
def test_recommend_text_tells_the_clinic_when_not_signed_off(
    rules_copy: Path, audience: tuple[str, ...]
) -> None:
    example = str(example_path("m1-weak-side-subtle"))
    result = run("recommend", example, "--rules", str(rules_copy), *audience)
    assert result.exit_code == 0, result.stderr
    line = CLINIC_LINE.format(f"{rule_count(rules_copy)} rules")
    assert line in one_line(result.stdout)
    if not audience:  # the client's text: the line comes last
        assert one_line(result.stdout).endswith(line)


def test_recommend_text_is_silent_once_signed_off(rules_copy: Path) -> None:
    root = signed_copy(rules_copy)
    for audience in ((), ("--for", "clinician")):
        result = run(
            "recommend", str(example_path("m1-weak-side-subtle")), "--rules", str(root), *audience
        )
        assert result.exit_code == 0, result.stderr
        assert "For the clinic:" not in result.stdout


def test_one_changed_rule_is_counted_in_the_line(rules_copy: Path) -> None:
    root = signed_copy(rules_copy)

    def reprioritise(data: dict[str, Any]) -> None:
        rule = next(rule for rule in data["rules"] if rule["id"] == PLAN_RULE)
        rule["rationale"] += " Changed."

    edit_rule_file(root, "plan", reprioritise)
    result = run("recommend", str(example_path("s1-skeletal-bite")), "--rules", str(root))
    assert CLINIC_LINE.format("1 rule") in one_line(result.stdout)


def test_recommend_json_carries_the_flag_both_ways(rules_copy: Path) -> None:
    example = str(example_path("m1-weak-side-subtle"))
    before = run("recommend", example, "--rules", str(rules_copy), "--format", "json")
    info = json.loads(before.stdout)["rulebase"]
    assert info["signed_off"] is False
    assert info["rules_not_signed_off"] == rule_count(rules_copy)
    signed_copy(rules_copy)
    after = run("recommend", example, "--rules", str(rules_copy), "--format", "json")
    info = json.loads(after.stdout)["rulebase"]
    assert (info["signed_off"], info["rules_not_signed_off"]) == (True, 0)
    client = run(
        "recommend", example, "--rules", str(rules_copy), "--format", "json", "--for", "client"
    )
    assert "signed_off" not in client.stdout


def test_the_record_is_plain_yaml_with_utc_dates(rules_copy: Path) -> None:
    signed_copy(rules_copy)
    text = (rules_copy / SIGNOFF_FILE).read_text(encoding="utf-8")
    assert text.startswith("# The prescriber's sign-off")
    record = load_yaml(text)["signoffs"][0]
    assert record["signed_at"].endswith("Z")
    assert len(record["rules"]) == rule_count(rules_copy)
    assert yaml.safe_load(text) is not None


# --- in a real terminal ------------------------------------------------------------------------


@pytest.fixture
def ask_terminal(rules_copy: Path) -> Iterator[Terminal]:
    """`facesym ask --rules COPY` on a pseudo-terminal, closed after the test."""
    terminal = Terminal("ask", "--rules", str(rules_copy), env=environment(NO_COLOR="1"))
    yield terminal
    terminal.close()


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_ask_in_a_terminal_ends_with_the_clinic_line_only_when_unsigned(
    recommender: Recommender, rules_copy: Path, signed: bool, request: pytest.FixtureRequest
) -> None:
    if signed:
        signed_copy(rules_copy)
    terminal: Terminal = request.getfixturevalue("ask_terminal")  # started after signing
    answer_everything(terminal, recommender, "m1-weak-side-subtle")
    assert terminal.finish() == 0, terminal.transcript[-3000:]
    text = ANSI.sub("", terminal.transcript)
    result = text.split("Your next step:", 1)[1]
    assert "Traceback" not in text
    assert max(len(line) for line in result.splitlines()) <= 80
    line = CLINIC_LINE.format(f"{rule_count(rules_copy)} rules")
    if signed:
        assert "For the clinic:" not in result
    else:
        assert one_line(result).endswith(line)


def test_review_without_the_brief_installed_says_where_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("recommender.cli._rules.brief_path", lambda: None)
    text = run("rules", "review").stdout
    assert "clinical brief: docs/clinical-brief.md in facesym's source" in one_line(text)
    assert "In the brief:" not in text  # no titles to show without the brief
    report = json.loads(run("rules", "review", "--format", "json").stdout)
    assert report["brief"] is None
    assert all(s["title"] is None for rule in report["rules"] for s in rule["brief_sections"])


def test_a_failed_write_is_a_clean_error(rules_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", read_only)
    result = run("rules", "sign-off", str(rules_copy), *SIGNER)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: could not write the sign-off in {rules_copy}")
    assert "Permission denied" in result.stderr and "Traceback" not in result.stderr
    assert not (rules_copy / SIGNOFF_FILE).exists()


def test_rules_check_counts_the_signoff(rules_copy: Path) -> None:
    total = rule_count(rules_copy)
    assert (
        f"sign-off     0 signed off, 0 stale, {total} awaiting"
        in run("rules", "check", str(rules_copy)).stdout
    )
    run("rules", "sign-off", str(rules_copy), *SIGNER, "--rule", GATE_RULE)
    checked = run("rules", "check", str(rules_copy))
    assert checked.exit_code == 0
    assert f"sign-off     1 signed off, 0 stale, {total - 1} awaiting" in checked.stdout
