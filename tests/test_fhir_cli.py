"""`facesym fhir questionnaire` and `facesym fhir response`, as a person runs them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from recommender import Recommender
from recommender.interop.fhir_export import fhir_questionnaire
from recommender.interop.fhir_response import answers_from_response

from .conftest import EXAMPLES, load_example
from .fhir_checks import check_questionnaire, check_response
from .test_cli_support import EXAMPLE_PATHWAYS, example_path, run


def test_questionnaire_prints_the_valid_questionnaire(recommender: Recommender) -> None:
    result = run("fhir", "questionnaire")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    check_questionnaire(printed)
    assert printed == fhir_questionnaire(recommender)
    assert result.stderr == ""


def test_questionnaire_with_clinician_adds_the_assessed_cause() -> None:
    result = run("fhir", "questionnaire", "--with-clinician")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    check_questionnaire(printed)
    assert printed["url"].endswith(":clinician")
    assert printed["item"][-1]["item"][0]["linkId"] == "assessed_cause"


@pytest.mark.parametrize("name", sorted(EXAMPLE_PATHWAYS))
def test_response_prints_a_valid_response_for_each_example(name: str) -> None:
    result = run("fhir", "response", str(example_path(name)))
    assert result.exit_code == 0, result.stderr
    response = json.loads(result.stdout)
    check_response(response, json.loads(run("fhir", "questionnaire").stdout))
    assert answers_from_response(response) == load_example(name)
    authored = datetime.fromisoformat(response["authored"])
    assert authored.utcoffset() == timedelta(0)


def test_response_reads_standard_input_and_takes_the_time() -> None:
    text = example_path("stroke-signs-stopped-at-gate").read_text(encoding="utf-8")
    result = run("fhir", "response", "-", "--authored", "2027-01-04T09:30:00+00:00", input=text)
    assert result.exit_code == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["status"] == "in-progress"  # the gate ended it early
    assert response["authored"] == datetime(2027, 1, 4, 9, 30, tzinfo=UTC).isoformat()


def test_a_bad_answer_is_refused_as_recommend_refuses_it(tmp_path: Path) -> None:
    answers = load_example("m1-weak-side-subtle")
    answers["side"] = "up"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = run("fhir", "response", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "side: 'up' is not an allowed value; allowed: left, right, both, not_sure" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert result.stderr == run("recommend", str(path)).stderr


def test_missing_answers_are_named(tmp_path: Path) -> None:
    answers = load_example("m1-weak-side-subtle")
    del answers["distress"]
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = run("fhir", "response", str(path))
    assert result.exit_code == 1
    assert "distress: required answer is missing; allowed: none, mild" in result.stderr


def test_a_red_flag_in_bad_answers_is_pointed_out(tmp_path: Path) -> None:
    path = tmp_path / "flag.json"
    path.write_text(json.dumps({"age": 67, "stroke_signs": "yes", "side": "up"}), "utf-8")
    result = run("fhir", "response", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "red flag (emergency)" in result.stderr
    assert "side: 'up' is not an allowed value" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty: expected answers as JSON"),
        ("{not json", "answers: not valid JSON"),
        ("[1, 2]", "answers: must be a JSON object of field: answer"),
    ],
)
def test_unreadable_input_gets_a_plain_error(content: str, message: str) -> None:
    result = run("fhir", "response", "-", input=content)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_and_a_bad_time_are_usage_errors(tmp_path: Path) -> None:
    missing = run("fhir", "response", str(tmp_path / "nowhere.json"))
    assert missing.exit_code == 2
    assert "nowhere.json': No such file or directory" in missing.stderr
    naive = run("fhir", "response", str(example_path("m1-weak-side-subtle")), "--authored", "2027")
    assert naive.exit_code == 2
    assert "--authored" in naive.stderr and "2027-01-04T09:30:00+00:00" in naive.stderr


def test_rules_dir_names_the_clinics_rule_base(rules_copy: Path) -> None:
    manifest = rules_copy / "rulebase.yaml"
    text = manifest.read_text(encoding="utf-8")
    clinic = re.sub(r"(?m)^version: .*$", "version: 0.3.1-clinic", text, count=1)
    assert clinic != text
    manifest.write_text(clinic, "utf-8")
    questionnaire = json.loads(run("fhir", "questionnaire", "--rules", str(rules_copy)).stdout)
    assert questionnaire["version"] == "0.3.1-clinic"
    assert (
        questionnaire["identifier"][0]["value"]
        == Recommender.from_path(rules_copy).rulebase.fingerprint
    )
    example = str(example_path("m1-weak-side-subtle"))
    response = json.loads(run("fhir", "response", example, "--rules", str(rules_copy)).stdout)
    assert response["questionnaire"].endswith("|0.3.1-clinic")
    check_response(response, questionnaire)


def test_help_lists_the_fhir_commands() -> None:
    result = run("fhir", "--help")
    assert result.exit_code == 0
    assert "questionnaire" in result.stdout and "response" in result.stdout
    assert "fhir" in run("--help").stdout


def test_the_installed_command_runs_in_its_own_process() -> None:
    """As typed in a shell: a fresh interpreter, answers on standard input."""
    text = (EXAMPLES / "m2-overactive-within-weeks.json").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "recommender", "fhir", "response", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["resourceType"] == "QuestionnaireResponse"
    assert answers_from_response(response) == json.loads(text)
