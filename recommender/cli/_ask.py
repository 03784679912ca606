"""The interactive questionnaire behind `facesym ask`.

The library decides everything: which question comes next (`next_question`), whether an
answer is valid (`parse_answers`, whose message is shown as it is), and when a safety answer
ends the questionnaire. This module only reads what a person types and turns it into the
value they meant: an option number, the option's name or label, yes/no, a whole number.
It also keeps a half-done questionnaire: `--save` writes the answers given so far when the
person stops, and `--resume` reads them back so nobody has to start again.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..api import Recommender
from ..contract.errors import AnswersError
from ..intake.answers import parse_answers
from ..intake.questions import Question, length_words
from ..views import render
from ..views.style import echo, heading, is_terminal, quiet, screen_width, warning
from ._common import FacesymFailure, read_answers_file

BACK = ("back",)
HELP = ("help", "?")
QUIT = ("quit", "exit")
NONE = ("none", "0", "-")
YES = ("yes", "y")
COMMANDS_HINT = "You can also type back, help or quit."
NO = ("no", "n")


class QuitRequestedError(Exception):
    """The person typed `quit`."""


@dataclass(frozen=True)
class Reply:
    """What a typed line means: an answer's value, or one of the questionnaire's commands."""

    action: Literal["answer", "back", "help", "quit", "empty"]
    value: Any = None


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().split())


def option_value(question: Question, token: str) -> Any | None:
    """The option a token names: its number, value or label (any case); None if no match."""
    word = _normal(token)
    if word.isdigit() and 1 <= int(word) <= len(question.options):
        return question.options[int(word) - 1].value
    if question.kind == "boolean" and word in YES + NO:
        return word in YES
    for option in question.options:
        names = {str(option.value).lower(), str(option.value).lower().replace("_", " ")}
        if word in names or word == _normal(option.label):
            return option.value
    # The label without its bracketed example ("After something happened"), where that
    # names one option only.
    short = [o.value for o in question.options if word == _normal(o.label.split(" (")[0])]
    return short[0] if len(short) == 1 else None


def answer_value(question: Question, text: str) -> Any:
    """The value a typed answer stands for; text that names nothing goes to the library as is."""
    if question.kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            return text.strip()
    if question.kind == "multi":
        if _normal(text) in NONE:
            return []
        parts = [part for part in text.split(",") if part.strip()]
        return [value for part in parts for value in _named_in(question, part.split())]
    return _fallback(option_value(question, text), text.strip())


def _named_in(question: Question, words: list[str]) -> list[Any]:
    """The options named by a run of words, longest names first, so an answer's full name
    with spaces in it ("lips or smile") and several short names ("brows eyes") both work;
    a word that names nothing goes to the library as it is (and is refused there)."""
    found: list[Any] = []
    start = 0
    while start < len(words):
        for end in range(len(words), start, -1):
            value = option_value(question, " ".join(words[start:end]))
            if value is not None:
                found.append(value)
                start = end
                break
        else:
            found.append(words[start])
            start += 1
    return found


def _fallback(value: Any | None, text: str) -> Any:
    return text if value is None else value


def interpret(question: Question, text: str) -> Reply:
    """Commands first (unless an option has the same name), then the answer itself."""
    word = _normal(text)
    if not word:
        return Reply("empty")
    if option_value(question, word) is None:
        for action, words in (("back", BACK), ("help", HELP), ("quit", QUIT)):
            if word in words:
                return Reply(action)  # type: ignore[arg-type]
    return Reply("answer", answer_value(question, text))


def how_to_answer(question: Question) -> str:
    if question.kind == "integer":
        return f"Type a whole number from {question.minimum} to {question.maximum}."
    if question.kind == "boolean":
        return "Type 1 or yes, or 2 or no."
    count = len(question.options)
    if question.kind == "multi":
        example = f"1,{min(3, count)}"
        text = (
            "Choose all that apply: numbers or names separated by commas or spaces,"
            f" for example {example}."
        )
        if question.min_items == 0:
            text += " Type none if none apply."
        return text
    return f"Type a number from 1 to {count}, or the answer's name."


def wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    """Wrap to the screen; a word or an answer's name is never split, even if it overflows."""
    return render.wrap(text, indent, first, width=screen_width(), break_long_words=False)


def echo_wrapped(
    text: str,
    indent: str = "  ",
    first: str | None = None,
    style: Any = None,
    err: bool = False,
) -> None:
    for line in wrap(text, indent, first):
        echo(style(line) if style else line, err=err)


INTRO = (
    "The safety questions come first. There are no right or wrong answers; if you are not"
    " sure, choose 'Not sure' where it is offered.",
    "At any question, type back to change your last answer, help to see why it is asked,"
    " or quit to stop.",
)


def show_intro(resumed: int = 0, questions: int = 0) -> None:
    """The opening lines, wrapped to the terminal like every question; `questions` is how
    many a person is usually asked."""
    echo(heading("facesym questionnaire"))
    if questions > resumed:
        echo_wrapped(length_words(questions - resumed, left=resumed > 0), "")
    for paragraph in INTRO:
        echo_wrapped(paragraph, "")
    if resumed:
        echo_wrapped(
            f"Carrying on from your saved answers: {resumed} already given, so those"
            " questions are not asked again.",
            "",
            style=quiet,
        )


def show_question(question: Question) -> None:
    echo()
    echo(quiet("-" * screen_width()))
    where = f"{question.block_title}  |  question {question.position} of {question.total}"
    if len(where) <= screen_width():
        echo(quiet(where))
    else:  # a narrow terminal: the question number goes on the next line
        echo_wrapped(where, "", style=quiet)
    echo_wrapped(question.text, "", style=heading)
    if question.help:
        echo_wrapped(question.help)
    if question.kind != "integer":
        for number, option in enumerate(question.options, start=1):
            echo_wrapped(option.label, "      ", f"  {number:>2}  ")
    echo_wrapped(how_to_answer(question) + " " + COMMANDS_HINT, "", style=quiet)


def show_problems(error: AnswersError, question: Question) -> None:
    """What is wrong, in the question's own words, then how to answer.

    The library's messages name answer values as the contract spells them (`both_close`);
    a person sees option labels and numbers instead, so only the message for a number
    question (its bounds, in words) is shown as it is.
    """
    for problem in error.problems:
        if question.kind == "integer" or problem.message.startswith("choose at least"):
            text = f"That answer can't be used: {problem.message}."
        elif problem.message.startswith("each value may be chosen once"):
            text = "Please choose each answer only once."
        else:
            text = "That is not one of the answers to this question."
        echo_wrapped(text, style=warning)
    echo_wrapped(how_to_answer(question), style=quiet)


def read_line() -> str:
    """One line from standard input; EOFError at the end of input.

    Piped answers are echoed, so a transcript reads like the terminal session would.
    """
    echo("> ", nl=False)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    if not is_terminal(sys.stdin):
        echo(line.rstrip("\n"))
    return line


def ask_one(question: Question, answers: dict[str, Any], order: list[str]) -> None:
    """Ask until the person gives a valid answer (recorded) or goes back (last answer dropped)."""
    show_question(question)
    while True:
        reply = interpret(question, read_line())
        if reply.action == "quit":
            raise QuitRequestedError
        if reply.action == "help":
            show_question(question)
        elif reply.action == "empty":
            echo_wrapped("Please type an answer. " + how_to_answer(question), style=quiet)
        elif reply.action == "back":
            if order:
                del answers[order.pop()]
                echo(quiet("  Going back to the previous question."))
                return
            echo(quiet("  This is the first question, so there is nothing to go back to."))
        else:
            candidate = {**answers, question.field: reply.value}
            try:
                parse_answers(candidate)
            except AnswersError as error:
                show_problems(error, question)
                continue
            answers[question.field] = reply.value
            order.append(question.field)
            return


def run_questionnaire(recommender: Recommender, answers: dict[str, Any]) -> dict[str, Any]:
    """Ask until `next_question` says the questionnaire is done; return the answers.

    `answers` (empty, or read back by `load_partial`) is filled in place, so a caller that
    catches quit, Ctrl-C or the end of input still holds every answer given before it.
    """
    order = [q.field for q in recommender.questions(include_clinician=True) if q.field in answers]
    while (question := recommender.next_question(answers)) is not None:
        ask_one(question, answers, order)
    return answers


# --- keeping a half-done questionnaire ---------------------------------------------------------


def load_partial(path: Path) -> dict[str, Any]:
    """The answers saved in `path`, checked as strictly as a whole questionnaire's.

    Each answer given must be valid (the library's message names the field and its allowed
    values); answers not yet given are simply asked.
    """
    text = read_answers_file(path, "answers saved by `facesym ask --save`")
    try:
        parsed = parse_answers(text)
    except AnswersError as error:
        raise FacesymFailure(f"{path} cannot be resumed: {error}") from None
    return dict(parsed.values)


def save_answers(path: Path, answers: Mapping[str, Any]) -> None:
    """Write the answers as JSON, replacing the file only once the new text is complete, so
    a Ctrl-C during the write never leaves half a file."""
    text = json.dumps(dict(answers), indent=2) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise FacesymFailure(f"could not save the answers to {path}: {error.strerror}") from None


def command_line(*words: str | Path) -> str:
    """A command a person can copy and paste, file names quoted for the shell."""
    return " ".join(shlex.quote(str(word)) for word in words)


def tell_stopped(save: Path | None, answers: Mapping[str, Any]) -> None:
    """On stderr: where the answers so far went and the command that carries on from them."""
    if save is None:
        echo_wrapped(
            "Stopped. No recommendation was made and no answers were saved (use"
            " --save FILE to keep them next time).",
            "",
            err=True,
        )
        return
    count = len(answers)
    given = "1 answer" if count == 1 else f"{count} answers"
    echo("Stopped. No recommendation was made yet.", err=True)
    echo(f"{given} saved to {save}.", err=True)  # not wrapped: the file name stays whole
    echo("To carry on where you left off, run:", err=True)
    echo("  " + command_line("facesym", "ask", "--resume", save, "--save", save), err=True)


def tell_how_to_show_again(path: Path, already_complete: bool = False) -> None:
    """After a finished questionnaire: the command that shows the same result again."""
    if already_complete:
        echo(quiet(f"Every question in {path} was already answered."))
    else:
        echo(quiet(f"Answers saved to {path}."))
    echo(quiet("To show this result again, run:"))
    echo(quiet("  " + command_line("facesym", "recommend", path)))
