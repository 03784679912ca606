"""Everything `facesym ask` and `recommend` show a client is clean: whole runs, scanned.

The scanner is the library's (`client_text`): medicine and product names, promises,
diagnoses, and internal codes (option values, service and category codes, rule ids). Each
question's lines are scanned with its own field, because the blood-thinner question's
options may name the tablets a person takes (see `wording`).
"""

from __future__ import annotations

import pytest

from recommender import Recommender
from recommender.proof.client_check import view_texts
from recommender.views.client import ClientRecommendation
from recommender.views.client_text import ClientTextChecker
from recommender.views.render import WIDTH

from .conftest import load_example
from .test_cli_support import EXAMPLE_PATHWAYS, example_path, run, typed_answers

SEPARATOR = "-" * WIDTH


@pytest.fixture(scope="module")
def checker(recommender: Recommender) -> ClientTextChecker:
    return ClientTextChecker(recommender.rulebase)


def scan_transcript(recommender: Recommender, checker: ClientTextChecker, text: str) -> list[str]:
    """Problems in a transcript, each question's part scanned with that question's field
    (found by its text: positions count only the questions this person is asked)."""
    questions = sorted(recommender.questions(), key=lambda q: -len(q.text))
    problems = []
    for chunk in text.split(SEPARATOR):
        flat = " ".join(chunk.split())
        field = next((q.field for q in questions if " ".join(q.text.split()) in flat), "")
        for line in chunk.splitlines():
            problems += [f"{line!r}: {p}" for p in checker.problems(line, field)]
    return problems


@pytest.mark.parametrize("name", sorted(EXAMPLE_PATHWAYS))
def test_a_whole_ask_run_shows_nothing_a_client_must_not_see(
    recommender: Recommender, checker: ClientTextChecker, name: str
) -> None:
    steps = typed_answers(recommender, load_example(name), by_number=True)
    first, *rest = [line for _, line in steps]
    # Every fixed line on the way: help, an empty line, a wrong number, a wrong word, back.
    typed = [first, "help", "", "99", "maybe", "back", first, *rest]
    result = run("ask", input="".join(line + "\n" for line in typed))
    assert result.exit_code == 0, result.stdout[-2000:] + result.stderr
    assert "That is not one of the answers" in result.stdout
    assert "Going back to the previous question" in result.stdout
    assert "Your next step" in result.stdout
    assert scan_transcript(recommender, checker, result.stdout) == []
    assert checker.problems(result.stderr) == []


def test_a_number_question_out_of_range_is_answered_in_words(
    recommender: Recommender, checker: ClientTextChecker
) -> None:
    result = run("ask", input="200\nforty\n")
    assert "a whole number from 0 to 120" in result.stdout
    assert scan_transcript(recommender, checker, result.stdout) == []


@pytest.mark.parametrize("name", sorted(EXAMPLE_PATHWAYS))
def test_recommend_text_shows_nothing_a_client_must_not_see(
    checker: ClientTextChecker, name: str
) -> None:
    result = run("recommend", str(example_path(name)))
    assert result.exit_code == 0, result.stderr
    problems = [p for line in result.stdout.splitlines() for p in checker.problems(line)]
    assert problems == []
    client_json = run("recommend", str(example_path(name)), "--format", "json", "--for", "client")
    view = ClientRecommendation.model_validate_json(client_json.stdout)  # keys: the schema's
    assert checker.scan(view_texts(view)) == []
