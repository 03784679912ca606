"""`facesym ask` under CliRunner: the questionnaire, re-prompts, back, quitting and saving."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender
from recommender.cli._ask import answer_value, how_to_answer, interpret
from recommender.intake.questions import Question

from .conftest import load_example
from .test_cli_support import EXAMPLE_PATHWAYS, edit_rule_file, run, script, typed_answers


def question_for(recommender: Recommender, field: str) -> Question:
    return next(q for q in recommender.questions() if q.field == field)


@pytest.mark.parametrize("name", sorted(EXAMPLE_PATHWAYS))
def test_whole_questionnaire_reaches_the_examples_pathway(
    recommender: Recommender, name: str, tmp_path: Path
) -> None:
    answers = load_example(name)
    saved = tmp_path / "answers.json"
    steps = typed_answers(recommender, answers, by_number=name.startswith("m2"))
    result = run("ask", "--save", str(saved), input=script(steps))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(saved.read_text(encoding="utf-8")) == answers
    replay = run("recommend", str(saved), "--format", "json")
    assert json.loads(replay.stdout)["pathway"] == EXAMPLE_PATHWAYS[name]
    for question, _ in steps:
        assert f"question {question.position} of " in result.stdout
    if len(steps) > 2:  # not stopped early: the last question reads "N of N"
        last = steps[-1][0].position
        assert f"question {last} of {last}" in result.stdout
    assert "Your next step" in result.stdout


def test_emergency_stops_at_once_and_shows_the_red_flag_first(recommender: Recommender) -> None:
    steps = typed_answers(recommender, load_example("stroke-signs-stopped-at-gate"))
    assert [q.field for q, _ in steps] == ["age", "stroke_signs"]
    result = run("ask", input=script(steps) + "these lines are never read\n")
    assert result.exit_code == 0, result.stderr
    after_last_answer = result.stdout.split("> yes\n", 1)[1]
    first_lines = after_last_answer.strip().splitlines()
    assert first_lines[0].startswith("=====")
    assert "STOP HERE AND GET MEDICAL HELP" in first_lines[1]
    assert "999" in after_last_answer
    assert "question 3 of" not in result.stdout


def test_end_of_input_exits_1_with_a_short_message(recommender: Recommender) -> None:
    result = run("ask", input="45\nno\n")
    assert result.exit_code == 1
    assert "input ended before the questionnaire was finished" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_end_of_input_saves_nothing_without_save(tmp_path: Path) -> None:
    result = run("ask", input="45\n")
    assert result.exit_code == 1
    assert "no answers were saved" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- keeping and resuming a half-done questionnaire (the pty tests type the same at a terminal)


def test_end_of_input_saves_the_answers_so_far(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    result = run("ask", "--save", str(saved), input="45\nno\n")
    assert result.exit_code == 1
    assert json.loads(saved.read_text(encoding="utf-8")) == {"age": 45, "stroke_signs": "no"}
    assert f"2 answers saved to {saved}" in " ".join(result.stderr.split())
    assert f"facesym ask --resume {saved} --save {saved}" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_quit_saves_the_answers_so_far(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    result = run("ask", "--save", str(saved), input="45\nquit\n")
    assert result.exit_code == 130
    assert json.loads(saved.read_text(encoding="utf-8")) == {"age": 45}
    assert "1 answer saved" in result.stderr
    assert "--resume" in result.stderr


def test_resume_asks_only_what_is_left_and_updates_the_same_file(
    recommender: Recommender, tmp_path: Path
) -> None:
    answers = load_example("m1-weak-side-subtle")
    steps = typed_answers(recommender, answers)
    saved = tmp_path / "my answers.json"
    first = run("ask", "--save", str(saved), input=script(steps[:5]) + "quit\n")
    assert first.exit_code == 130
    assert "'" + str(saved) + "'" in first.stderr  # a name with a space, quoted for the shell
    second = run("ask", "--resume", str(saved), "--save", str(saved), input=script(steps[5:]))
    assert second.exit_code == 0, second.stderr
    assert "5 already given" in " ".join(second.stdout.split())
    for question, _ in steps[:5]:
        assert f"question {question.position} of " not in second.stdout
    assert f"question {steps[5][0].position} of " in second.stdout
    assert json.loads(saved.read_text(encoding="utf-8")) == answers
    assert "facesym recommend" in second.stdout and "Your next step" in second.stdout


def test_back_after_resume_changes_a_saved_answer(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    saved.write_text(json.dumps({"age": 30}), encoding="utf-8")
    result = run("ask", "--resume", str(saved), "--save", str(saved), input="back\n45\nquit\n")
    assert result.exit_code == 130
    assert json.loads(saved.read_text(encoding="utf-8")) == {"age": 45}


def test_resuming_a_complete_file_says_how_to_show_it_again(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    saved.write_text(json.dumps(load_example("m1-weak-side-subtle")), encoding="utf-8")
    result = run("ask", "--resume", str(saved), input="")
    assert result.exit_code == 0, result.stderr
    assert "question 1 of" not in result.stdout
    assert "already answered" in result.stdout
    assert f"facesym recommend {saved}" in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"age": 45, "eye_closure": "maybe"}', "eye_closure: 'maybe' is not an allowed value"),
        ('{"age": 45, "eye_closure": "maybe"}', "allowed: both_close, cannot_close, not_sure"),
        ('{"age": 450}', "age:"),
        ('{"agee": 45}', "agee"),
        ("[1, 2]", "must be a JSON object"),
        ("not json", "not valid JSON"),
        ("", "is empty"),
    ],
)
def test_a_file_that_is_not_a_partial_questionnaire_is_refused(
    tmp_path: Path, content: str, expected: str
) -> None:
    saved = tmp_path / "answers.json"
    saved.write_text(content, encoding="utf-8")
    result = run("ask", "--resume", str(saved), "--save", str(saved), input="45\n")
    assert result.exit_code == 1
    assert "cannot be resumed" in result.stderr or "is empty" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "question 1 of" not in result.stdout
    assert saved.read_text(encoding="utf-8") == content  # a refused file is left as it was


def test_resume_refuses_a_missing_file_or_one_that_is_not_text(tmp_path: Path) -> None:
    missing = run("ask", "--resume", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr
    binary = tmp_path / "answers.json"
    binary.write_bytes(b"\xff\xfe\x00")
    result = run("ask", "--resume", str(binary))
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_quit_exits_130() -> None:
    result = run("ask", input="45\nquit\n")
    assert result.exit_code == 130
    assert "Stopped" in result.stderr
    assert "Your next step" not in result.stdout


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("recommender.cli._ask.read_line", interrupted)
    result = run("ask")
    assert result.exit_code == 130
    assert "Stopped" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_invalid_answers_reprompt_with_the_librarys_message(recommender: Recommender) -> None:
    assert [q.field for q in recommender.questions()[:2]] == ["age", "stroke_signs"]
    result = run("ask", input="old\n150\n45\nperhaps\n7\n")
    out = " ".join(result.stdout.split())
    assert out.count("That answer can't be used") == 2
    assert "'old' is not allowed" in out  # the library's words for a non-number
    assert "a whole number from 0 to 120" in out
    # An option question answers in its own terms: no contract values such as not_sure.
    assert out.count("That is not one of the answers to this question.") == 2
    assert out.count("Type a number from 1 to 3, or the answer's name.") >= 3
    assert "not_sure" not in out and "Allowed:" not in out
    assert result.exit_code == 1  # input ran out afterwards


def test_back_changes_the_previous_answer(tmp_path: Path, recommender: Recommender) -> None:
    answers = load_example("m1-weak-side-subtle")
    steps = typed_answers(recommender, answers)
    lines = [line for _, line in steps]
    # answer age 30, go back at the next question, then answer 45 as in the example
    typed = ["30", "back", *lines]
    saved = tmp_path / "answers.json"
    result = run("ask", "--save", str(saved), input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Going back to the previous question" in result.stdout
    assert json.loads(saved.read_text(encoding="utf-8"))["age"] == answers["age"]
    assert result.stdout.count("question 1 of") == 2


def test_back_at_the_first_question_says_so() -> None:
    result = run("ask", input="back\n")
    assert "nothing to go back to" in result.stdout


def test_back_undoes_a_conditional_answer(recommender: Recommender, tmp_path: Path) -> None:
    answers = load_example("m1-weak-side-subtle")
    steps = typed_answers(recommender, answers)
    fields = [q.field for q, _ in steps]
    before = [line for _, line in steps[: fields.index("first_noticed")]]
    after = [line for _, line in steps[fields.index("first_noticed") :]]
    # say "after an event", answer how it changes and the event, go back three times, then
    # answer as the example (no event)
    typed = [*before, "after_event", after[1], "dental", "back", "back", "back", *after]
    saved = tmp_path / "answers.json"
    result = run("ask", "--save", str(saved), input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "event" not in json.loads(saved.read_text(encoding="utf-8"))
    event = question_for(recommender, "event")
    assert " ".join(event.text.split()[:5]) in " ".join(result.stdout.split())


def test_help_shows_the_question_again() -> None:
    result = run("ask", input="help\n")
    assert result.stdout.count("question 1 of") == 2


def test_empty_line_asks_again() -> None:
    result = run("ask", input="\n")
    assert "Please type an answer" in result.stdout


def test_explain_option_shows_every_rule(recommender: Recommender) -> None:
    steps = typed_answers(recommender, load_example("n0-photos-reassurance"))
    result = run("ask", "--for", "clinician", "--explain", input=script(steps))
    assert result.exit_code == 0
    assert "For the clinician" in result.stdout
    assert "Why: every rule that fired" in result.stdout
    assert "Evidence:" in result.stdout


def test_ask_shows_the_client_view_and_refuses_explain_without_clinician(
    recommender: Recommender,
) -> None:
    steps = typed_answers(recommender, load_example("m2-overactive-within-weeks"))
    result = run("ask", input=script(steps))
    assert result.exit_code == 0, result.stderr
    after = result.stdout.split("Your next step", 1)[1]
    for clinician_only in ("For the clinician", "Why:", "toxin", "Rule base:", "INJ-CONSULT"):
        assert clinician_only not in after
    refused = run("ask", "--explain", input=script(steps))
    assert refused.exit_code == 2
    assert "--for clinician" in refused.stderr and "question 1 of" not in refused.stdout


def test_save_to_a_missing_directory_fails_before_asking(tmp_path: Path) -> None:
    result = run("ask", "--save", str(tmp_path / "no" / "such" / "answers.json"), input="45\n")
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.stdout + result.stderr
    assert "question 1 of" not in result.stdout


def test_output_fits_80_columns(recommender: Recommender) -> None:
    steps = typed_answers(recommender, load_example("m1-weak-side-subtle"))
    result = run("ask", input=script(steps))
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize(("columns", "widest"), [("60", 59), ("20", 39), ("200", 99)])
def test_questions_wrap_to_columns_clamped_to_40_to_100(
    recommender: Recommender, columns: str, widest: int
) -> None:
    steps = typed_answers(recommender, load_example("m1-weak-side-subtle"))
    typed = script(steps[:12]) + "help\n"
    result = run("ask", input=typed, env={"COLUMNS": columns})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) == widest
    words = " ".join(q.text + " " + (q.help or "") for q, _ in steps[:12]).split()
    assert set(words) <= set(result.stdout.split())  # no word is ever split


def test_no_color_and_no_terminal_mean_plain_text(recommender: Recommender) -> None:
    steps = typed_answers(recommender, load_example("m1-weak-side-subtle"))
    result = run("ask", input=script(steps), env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


# --- reading what people type ------------------------------------------------------------------


def test_choices_accept_numbers_values_and_labels_in_any_case(recommender: Recommender) -> None:
    side = question_for(recommender, "stroke_signs")
    assert answer_value(side, " 3 ") == "not_sure"
    assert answer_value(side, "NOT_SURE") == "not_sure"
    assert answer_value(side, "not sure") == "not_sure"
    assert answer_value(side, "  No ") == "no"
    assert answer_value(side, "9") == "9"  # left for the library to refuse


def test_booleans_accept_yes_no_and_numbers(recommender: Recommender) -> None:
    bite = question_for(recommender, "bite_problems")
    assert [answer_value(bite, t) for t in ("y", "YES", "1", "true")] == [True] * 4
    assert [answer_value(bite, t) for t in ("n", "No", "2", "false")] == [False] * 4


def test_lists_accept_numbers_names_and_none(recommender: Recommender) -> None:
    regions = question_for(recommender, "regions")
    assert answer_value(regions, "1,3") == ["brows", "cheeks"]
    assert answer_value(regions, "brows  eyes") == ["brows", "eyes"]
    assert answer_value(regions, "Lips, 7") == ["lips", "chin"]
    allergies = question_for(recommender, "allergies")
    assert answer_value(allergies, "none") == []
    assert answer_value(allergies, " NONE ") == []


def test_none_is_refused_where_a_list_may_not_be_empty(recommender: Recommender) -> None:
    steps = typed_answers(recommender, load_example("m1-weak-side-subtle"))
    fields = [q.field for q, _ in steps]
    before = [line for _, line in steps[: fields.index("regions")]]
    result = run("ask", input="\n".join([*before, "none", "lips"]) + "\n")
    after_none = result.stdout.split("> none\n")[-1]
    assert after_none.lstrip().startswith("That answer can't be used")
    regions = steps[fields.index("regions")][0]
    assert regions.position is not None  # a client question: ask numbers it
    assert f"question {regions.position + 1} of" in result.stdout  # then lips accepted


def test_integers_are_parsed_and_words_are_not(recommender: Recommender) -> None:
    age = question_for(recommender, "age")
    assert answer_value(age, " 45 ") == 45
    assert answer_value(age, "forty") == "forty"


def test_commands_are_recognised(recommender: Recommender) -> None:
    age = question_for(recommender, "age")
    assert interpret(age, " BACK ").action == "back"
    assert interpret(age, "quit").action == "quit"
    assert interpret(age, "?").action == "help"
    assert interpret(age, "  ").action == "empty"
    assert interpret(age, "45").action == "answer"


def test_broken_rule_base_fails_before_the_first_question(rules_copy: Path) -> None:
    def break_first_rule(data: dict[str, Any]) -> None:
        data["rules"][0]["when"] = {"field": "no_such_field", "equals": "yes"}

    file = edit_rule_file(rules_copy, "gate", break_first_rule)
    result = run("ask", "--rules", str(rules_copy), input="45\n")
    assert result.exit_code == 1
    assert file in result.stderr
    assert "question 1 of" not in result.stdout
    assert "Traceback" not in result.stderr


def test_none_is_offered_only_where_the_library_allows_an_empty_list(
    recommender: Recommender,
) -> None:
    assert "none" not in how_to_answer(question_for(recommender, "regions"))
    assert "Type none if none apply" in how_to_answer(question_for(recommender, "bleeding_risk"))


@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [
        ("regions", "lips or smile", ["lips"]),
        ("regions", "Lips or smile, Eyes or eyelids", ["lips", "eyes"]),
        ("regions", "lines from nose to mouth cheeks", ["nasolabial", "cheeks"]),
        ("regions", "brows eyes", ["brows", "eyes"]),
        ("regions", "1, 3", ["brows", "cheeks"]),
        ("jaw_problems", "grinding or clenching", ["grinding"]),
        ("first_noticed", "After something happened", "after_event"),
    ],
)
def test_an_answer_can_be_typed_by_its_full_name(
    recommender: Recommender, field: str, typed: str, expected: Any
) -> None:
    """Names with spaces in them, alone or beside others, and a name without the example in
    brackets that the help text quotes."""
    question = next(q for q in recommender.questions() if q.field == field)
    assert answer_value(question, typed) == expected


def test_a_word_that_names_no_answer_is_left_for_the_library_to_refuse(
    recommender: Recommender,
) -> None:
    question = next(q for q in recommender.questions() if q.field == "regions")
    assert answer_value(question, "lips smile") == ["lips", "smile"]
