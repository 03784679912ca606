"""`facesym ask` in a real pseudo-terminal, as a person at a keyboard meets it.

The CLI runs as `python -m recommender ask` from the repository root, with the pty as its
controlling terminal, so terminal echo, colour detection and Ctrl-C behave as they would for a
person. Each answer is typed only after its question's prompt has appeared.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender

from .conftest import ROOT, load_example
from .test_cli_support import typed_answers

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROMPT = "\n> "
TIMEOUT = 60.0


def _take_terminal() -> None:
    """In the child, after setsid: make the pty (already fd 0) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A child process on a pty, and what it has written so far."""

    def __init__(self, *args: str, env: dict[str, str], cwd: Path = ROOT) -> None:
        master, slave = os.openpty()
        self.master = master
        if "COLUMNS" not in env:  # the width comes from the terminal itself, as in a shell
            columns = int(env.pop("FACESYM_TEST_COLUMNS", "80"))
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "recommender", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self.transcript = ""

    def _read(self, deadline: float) -> bool:
        """Read what is available; False once the child has closed the terminal."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError(f"no output for {TIMEOUT}s; so far:\n{self.transcript[-2000:]}")
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child has exited and closed its side
            return False
        if not chunk:
            return False
        self.transcript += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return True

    def expect(self, marker: str, start: int) -> int:
        """Wait until `marker` appears after `start` in the transcript; return its end."""
        deadline = time.monotonic() + TIMEOUT
        while (found := self.transcript.find(marker, start)) < 0:
            if not self._read(deadline):
                raise AssertionError(f"ended before {marker!r}:\n{self.transcript[-2000:]}")
        return found + len(marker)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self) -> int:
        """Read to the end and return the exit code."""
        deadline = time.monotonic() + TIMEOUT
        while self._read(deadline):
            pass
        return self.process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONPATH")}
    env.update(TERM="xterm", COLUMNS="80", LINES="24", PYTHONPATH=str(ROOT), **extra)
    return env


def sized_environment(columns: int, **extra: str) -> dict[str, str]:
    """No COLUMNS variable: the program must ask the terminal how wide it is."""
    env = environment(**extra)
    for name in ("COLUMNS", "LINES"):
        del env[name]
    env["FACESYM_TEST_COLUMNS"] = str(columns)
    return env


@pytest.fixture
def terminal_factory() -> Iterator[Any]:
    started: list[Terminal] = []

    def start(*args: str, **env: str) -> Terminal:
        terminal = Terminal(*args, env=environment(**env))
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def answer_everything(terminal: Terminal, recommender: Recommender, example: str) -> None:
    position = 0
    for question, line in typed_answers(recommender, load_example(example)):
        position = terminal.expect(f"question {question.position} of {question.total}", position)
        position = terminal.expect(PROMPT, position)
        terminal.type(line + "\n")


def test_whole_questionnaire_to_a_recommendation(
    terminal_factory: Any, recommender: Recommender, tmp_path: Path
) -> None:
    saved = tmp_path / "answers.json"
    terminal = terminal_factory("ask", "--save", str(saved))
    answer_everything(terminal, recommender, "m1-weak-side-subtle")
    assert terminal.finish() == 0, terminal.transcript[-3000:]
    text = ANSI.sub("", terminal.transcript)
    assert "\x1b[" in terminal.transcript  # a terminal, and NO_COLOR unset: colour on
    result = text.split("Your next step:", 1)[1]
    assert result.startswith(" A facial exercise programme")
    assert "Your 20-week schedule" in result
    assert "Weeks" in result and "How often" in result
    assert "Why:" not in result and "For the clinician" not in result  # the client's view
    assert "Traceback" not in text
    assert max(len(line) for line in text.splitlines() if str(saved) not in line) <= 80
    assert f"Answers saved to {saved}" in text


def test_emergency_answer_stops_at_once(terminal_factory: Any, recommender: Recommender) -> None:
    terminal = terminal_factory("ask", NO_COLOR="1")
    answer_everything(terminal, recommender, "stroke-signs-stopped-at-gate")
    assert terminal.finish() == 0, terminal.transcript[-3000:]
    assert "\x1b[" not in terminal.transcript  # NO_COLOR, even on a terminal
    after = terminal.transcript.rsplit("> yes\n", 1)[1].lstrip("\n").splitlines()
    assert after[0].startswith("=====")
    assert "STOP HERE AND GET MEDICAL HELP" in after[1]
    assert "999" in "\n".join(after[:6])
    assert "question 3 of" not in terminal.transcript


def test_ctrl_c_stops_cleanly_with_130(terminal_factory: Any) -> None:
    terminal = terminal_factory("ask", NO_COLOR="1")
    position = terminal.expect(PROMPT, 0)
    terminal.type("45\n")
    terminal.expect(PROMPT, position)
    terminal.type("\x03")
    assert terminal.finish() == 130
    assert "Stopped" in terminal.transcript
    assert "Traceback" not in terminal.transcript


def test_end_of_input_stops_cleanly_with_1(terminal_factory: Any) -> None:
    terminal = terminal_factory("ask", NO_COLOR="1")
    terminal.expect(PROMPT, 0)
    terminal.type("\x04")  # Ctrl-D at the start of a line: end of input
    assert terminal.finish() == 1
    assert "input ended" in terminal.transcript
    assert "Traceback" not in terminal.transcript


# --- keeping a half-done questionnaire, and the terminal's width ------------------------------


def start_answering(terminal: Terminal, lines: list[str]) -> int:
    """Type each line at its prompt; return where the next prompt is awaited from."""
    position = 0
    for line in lines:
        position = terminal.expect(PROMPT, position)
        terminal.type(line + "\n")
    return terminal.expect(PROMPT, position)


def saved_answers(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_quit_saves_the_answers_and_says_how_to_carry_on(
    terminal_factory: Any, tmp_path: Path
) -> None:
    saved = tmp_path / "answers.json"
    terminal = terminal_factory("ask", "--save", str(saved), NO_COLOR="1")
    start_answering(terminal, ["45", "no"])
    terminal.type("quit\n")
    assert terminal.finish() == 130
    assert saved_answers(saved) == {"age": 45, "stroke_signs": "no"}
    text = " ".join(terminal.transcript.split())
    assert f"2 answers saved to {saved}" in text
    assert f"facesym ask --resume {saved} --save {saved}" in text
    assert "Traceback" not in terminal.transcript


def test_ctrl_c_saves_the_answers_first(terminal_factory: Any, tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    terminal = terminal_factory("ask", "--save", str(saved), NO_COLOR="1")
    start_answering(terminal, ["45"])
    terminal.type("\x03")
    assert terminal.finish() == 130
    assert saved_answers(saved) == {"age": 45}
    assert "--resume" in terminal.transcript
    assert "Traceback" not in terminal.transcript


def test_end_of_input_saves_the_answers_first(terminal_factory: Any, tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    terminal = terminal_factory("ask", "--save", str(saved), NO_COLOR="1")
    start_answering(terminal, ["45", "no", "no"])
    terminal.type("\x04")
    assert terminal.finish() == 1
    assert saved_answers(saved) == {"age": 45, "stroke_signs": "no", "sudden_weakness": "no"}
    assert "input ended" in terminal.transcript
    assert "--resume" in terminal.transcript
    assert "Traceback" not in terminal.transcript


def test_resume_from_outside_the_checkout_carries_on_to_a_result(
    terminal_factory: Any, recommender: Recommender, tmp_path: Path
) -> None:
    """Stop after five answers, carry on in a new session from another folder, finish."""
    steps = typed_answers(recommender, load_example("m1-weak-side-subtle"))
    saved = tmp_path / "answers.json"
    first = terminal_factory("ask", "--save", str(saved), NO_COLOR="1")
    start_answering(first, [line for _, line in steps[:5]])
    first.type("quit\n")
    assert first.finish() == 130
    second = Terminal(
        "ask",
        "--resume",
        "answers.json",
        "--save",
        "answers.json",
        env=environment(NO_COLOR="1"),
        cwd=tmp_path,
    )
    try:
        position = second.expect("5 already given", 0)
        assert f"question {steps[4][0].position} of" not in second.transcript
        for question, line in steps[5:]:
            position = second.expect(f"question {question.position} of", position)
            position = second.expect(PROMPT, position)
            second.type(line + "\n")
        assert second.finish() == 0, second.transcript[-3000:]
    finally:
        second.close()
    assert saved_answers(saved) == load_example("m1-weak-side-subtle")
    assert "facesym recommend answers.json" in second.transcript


def test_questions_wrap_to_a_60_column_terminal_without_breaking_words(
    recommender: Recommender,
) -> None:
    terminal = Terminal("ask", env=sized_environment(60, NO_COLOR="1"))
    try:
        steps = typed_answers(recommender, load_example("m1-weak-side-subtle"))
        start_answering(terminal, [line for _, line in steps[:3]] + ["help"])
        terminal.type("quit\n")
        terminal.finish()
    finally:
        terminal.close()
    lines = terminal.transcript.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert max(len(line) for line in lines) >= 50  # the width is used, not a narrow default
    assert "-" * 59 in terminal.transcript and "-" * 60 not in terminal.transcript
    words = set(" ".join(q.text for q, _ in steps[:4]).split())
    printed = set(terminal.transcript.split())
    assert words <= printed  # every word of the questions arrives whole
