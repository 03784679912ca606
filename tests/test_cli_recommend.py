"""`facesym recommend`: one questionnaire or a JSON Lines batch, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender import Recommender
from recommender.views.client import ClientRecommendation

from .conftest import load_example
from .test_cli_support import EXAMPLE_PATHWAYS, edit_rule_file, example_path, jsonl, run


@pytest.mark.parametrize(("name", "pathway"), sorted(EXAMPLE_PATHWAYS.items()))
def test_json_output_has_the_examples_pathway(name: str, pathway: str) -> None:
    result = run("recommend", str(example_path(name)), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pathway"] == pathway
    assert {"cards", "explanation", "rulebase", "exercise_programme"} <= data.keys()
    assert result.stderr == ""


def test_answers_from_standard_input() -> None:
    text = example_path("m1-weak-side-subtle").read_text(encoding="utf-8")
    result = run("recommend", "-", "--format", "json", input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["pathway"] == "exercise_programme"


def test_text_is_the_client_view_with_programme_and_schedule() -> None:
    result = run("recommend", str(example_path("m1-weak-side-subtle")))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Your next step: A facial exercise programme" in out
    assert "Your 20-week schedule" in out
    assert "Weeks" in out and "How often" in out
    for clinician_only in ("Why:", "Matched:", "For the clinician", "Rule base:", "category"):
        assert clinician_only not in out
    assert "To book: Facial exercise coaching" in out and "EX-COACH" not in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "\x1b[" not in out  # not a terminal: no colour


def test_for_clinician_adds_the_summary_after_the_client_text() -> None:
    path = str(example_path("m1-weak-side-subtle"))
    client = run("recommend", path).stdout
    clinician = run("recommend", path, "--for", "clinician").stdout
    assert clinician.startswith(client.rstrip("\n"))
    summary = clinician[len(client) :]
    assert "For the clinician (not to be shown to the client)" in summary
    assert "Likely category (not a diagnosis):" in summary
    assert "Rules that fired: " in summary and "--explain" in summary


def test_explain_belongs_to_the_clinician_view() -> None:
    path = str(example_path("m1-weak-side-subtle"))
    for args in (
        ("recommend", path, "--explain"),
        ("recommend", path, "--for", "client", "--explain"),
    ):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "--for clinician" in result.stderr


def test_explain_shows_each_rule_with_stage_matched_rationale_and_evidence() -> None:
    text_result = run(
        "recommend", str(example_path("m1-weak-side-subtle")), "--for", "clinician", "--explain"
    )
    json_result = run("recommend", str(example_path("m1-weak-side-subtle")), "--format", "json")
    assert text_result.exit_code == 0, text_result.stderr
    firings = json.loads(json_result.stdout)["explanation"]
    assert firings
    for firing in firings:
        assert firing["rule"] in text_result.stdout
        assert f"(stage: {firing['stage']})" in text_result.stdout
    assert text_result.stdout.count("Matched:") == sum(1 for f in firings if f["matched"])
    assert text_result.stdout.count("Evidence:") == len(firings)
    assert "not a diagnosis" in text_result.stdout


def test_emergency_text_puts_the_red_flag_first() -> None:
    result = run("recommend", str(example_path("stroke-signs-stopped-at-gate")))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("=====")
    assert "STOP HERE AND GET MEDICAL HELP" in lines[1]
    assert "Now: call 999 or go to A&E." in lines[2]
    assert "999" in "\n".join(lines[:6])
    assert "To book" not in result.stdout
    assert "emergency" not in result.stdout  # the code, not words


def test_cautions_with_their_texts_are_only_for_the_clinician(recommender: Recommender) -> None:
    path = example_path("m2-overactive-within-weeks")
    data = json.loads(run("recommend", str(path), "--format", "json").stdout)
    client = run("recommend", str(path)).stdout
    clinician = run("recommend", str(path), "--for", "clinician").stdout
    assert data["cautions"] and data["injectable_options"] == ["toxin"]
    assert "Injectable options that may be discussed: toxin" in clinician
    flat = " ".join(clinician.split())
    for caution in data["cautions"]:
        text = " ".join(recommender.rulebase.cautions[caution].text.split())
        assert f"{caution}: {text}" in flat
        assert caution not in client and text not in " ".join(client.split())
    assert "toxin" not in client.lower() and "prescriber (clinician" not in client


def test_json_is_the_full_contract_and_client_json_is_the_client_view() -> None:
    path = str(example_path("m2-overactive-within-weeks"))
    full = json.loads(run("recommend", path, "--format", "json").stdout)
    same = json.loads(run("recommend", path, "--format", "json", "--for", "clinician").stdout)
    client = json.loads(run("recommend", path, "--format", "json", "--for", "client").stdout)
    assert full == same
    assert {"category", "injectable_options", "cautions", "explanation"} <= full.keys()
    assert set(client) == set(ClientRecommendation.model_fields)
    assert ClientRecommendation.model_validate(client).cards
    text = json.dumps(client)
    for value in (full["category"], *full["cautions"], *(f["rule"] for f in full["explanation"])):
        assert value not in text
    assert "INJ-CONSULT" not in text and "Consultation about injectable options" in text


def test_invalid_answer_names_the_field_on_stderr(tmp_path: Path) -> None:
    answers = load_example("m1-weak-side-subtle") | {"side": "middle"}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = run("recommend", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "side" in result.stderr and "middle" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_answers_are_named(tmp_path: Path) -> None:
    answers = load_example("m1-weak-side-subtle")
    del answers["goal"]
    result = run("recommend", "-", input=json.dumps(answers))
    assert result.exit_code == 1
    assert "goal" in result.stderr


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_empty_input_is_a_clear_error(text: str) -> None:
    result = run("recommend", "-", input=text)
    assert result.exit_code == 1
    assert "empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.json"
    path.write_text("", encoding="utf-8")
    result = run("recommend", str(path))
    assert result.exit_code == 1
    assert "nothing.json" in result.stderr and "empty" in result.stderr


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "42", '{"age": NaN}'])
def test_invalid_json_is_a_clear_error(text: str) -> None:
    result = run("recommend", "-", input=text)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert "Traceback" not in result.stderr


def test_file_not_in_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"age": "\xe9"}')
    result = run("recommend", str(path))
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr


def test_missing_file_is_a_usage_error() -> None:
    result = run("recommend", "/nonexistent/answers.json")
    assert result.exit_code == 2
    assert "No such file" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = run("recommend", str(example_path("m1-weak-side-subtle")), "--format", "xml")
    assert result.exit_code == 2


def test_rules_option_uses_that_rule_base(rules_copy: Path) -> None:
    path = str(example_path("n0-photos-reassurance"))
    result = run("recommend", path, "--format", "json", "--rules", str(rules_copy))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["pathway"] == "reassurance"


def test_broken_rule_base_names_file_and_rule(rules_copy: Path) -> None:
    rule_ids: list[str] = []

    def break_first_rule(data: dict[str, object]) -> None:
        rules = data["rules"]
        assert isinstance(rules, list)
        rule_ids.append(rules[0]["id"])
        rules[0]["when"] = {"field": "no_such_field", "equals": "yes"}

    file = edit_rule_file(rules_copy, "gate", break_first_rule)
    path = str(example_path("m1-weak-side-subtle"))
    result = run("recommend", path, "--rules", str(rules_copy))
    assert result.exit_code == 1
    assert file in result.stderr and rule_ids[0] in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_option_must_be_a_directory() -> None:
    path = str(example_path("m1-weak-side-subtle"))
    assert run("recommend", path, "--rules", path).exit_code == 2


# --- batch -------------------------------------------------------------------------------------


def good_lines() -> list[dict[str, object]]:
    return [load_example(name) for name in sorted(EXAMPLE_PATHWAYS)]


def test_batch_for_the_client_writes_client_views() -> None:
    records = good_lines()
    result = run(
        "recommend", "-", "--batch", "--format", "json", "--for", "client", input=jsonl(*records)
    )
    assert result.exit_code == 0, result.stderr
    views = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(views) == len(records)
    assert all(set(view) == set(ClientRecommendation.model_fields) for view in views)
    text = run("recommend", "-", "--batch", input=jsonl(*records)).stdout
    codes = run("recommend", "-", "--batch", "--for", "clinician", input=jsonl(*records)).stdout
    assert "red_flag" not in text and "Get medical help first" in text
    assert "red_flag (emergency), category " in codes


def test_batch_writes_one_json_result_per_line() -> None:
    records = good_lines()
    result = run("recommend", "-", "--batch", "--format", "json", input=jsonl(*records))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line)["pathway"] for line in lines] == [
        EXAMPLE_PATHWAYS[name] for name in sorted(EXAMPLE_PATHWAYS)
    ]
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_batch_reports_a_bad_line_and_goes_on() -> None:
    good = good_lines()
    bad_answers = load_example("m1-weak-side-subtle") | {"goal": "tomorrow"}
    text = jsonl(good[0], "{broken", bad_answers, good[1])
    result = run("recommend", "-", "--batch", "--format", "json", input=text)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4  # line for line with the input
    assert "pathway" in out[0] and "pathway" in out[3]
    assert out[1]["error"]["line"] == 2
    assert out[2]["error"]["line"] == 3
    assert [p["field"] for p in out[2]["error"]["problems"]] == ["goal"]
    assert "line 2:" in result.stderr and "line 3:" in result.stderr
    assert "goal" in result.stderr
    assert "2 line(s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_batch_text_is_one_summary_line_per_record() -> None:
    good = good_lines()
    text = jsonl(good[0], "", "[]", good[1])
    result = run("recommend", "-", "--batch", input=text)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3  # the blank line is skipped, numbering is kept
    assert lines[0].startswith("line 1: ")
    assert lines[1].startswith("line 3: no recommendation")
    assert lines[2].startswith("line 4: ")
    assert "line 3:" in result.stderr


def test_batch_of_nothing_is_a_clear_error() -> None:
    result = run("recommend", "-", "--batch", input="\n\n")
    assert result.exit_code == 1
    assert "empty" in result.stderr


def test_batch_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from recommender.cli import _progress as cli_progress

    records = jsonl(*good_lines())
    quiet = run("recommend", "-", "--batch", input=records)
    assert "Recommending" not in quiet.stderr
    monkeypatch.setattr(cli_progress, "is_terminal", lambda stream: True)
    result = run("recommend", "-", "--batch", input=records)
    assert result.exit_code == 0
    count = len(EXAMPLE_PATHWAYS)
    assert "Recommending [" in result.stderr and f"({count} of {count} lines)" in result.stderr
    assert len(result.stdout.splitlines()) == count


def test_a_red_flag_is_shown_even_when_another_answer_is_invalid() -> None:
    result = run(
        "recommend",
        "-",
        "--format",
        "json",
        input=json.dumps({"age": "abc", "stroke_signs": "yes"}),
    )
    assert result.exit_code == 1
    assert "age" in result.stderr
    shown = json.loads(result.stdout)
    assert (shown["pathway"], shown["urgency"]) == ("red_flag", "emergency")
    text = run("recommend", "-", input=json.dumps({"age": "abc", "stroke_signs": "yes"}))
    assert text.exit_code == 1
    assert "999" in text.stdout
