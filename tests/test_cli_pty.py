"""`facesym ask` in a real pseudo-terminal, as a person at a keyboard meets it.

The CLI runs as `python -m recommender.cli ask` from the repository root, with the pty as its
controlling terminal, so terminal echo, colour detection and Ctrl-C behave as they would for a
person. Each answer is typed only after its question's prompt has appeared.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
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

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        master, slave = os.openpty()
        self.master = master
        self.process = subprocess.Popen(
            [sys.executable, "-m", "recommender.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
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
