"""The progress line, and `recommend --batch` on a real terminal: the bar and the error lines
never overwrite each other.

The batch tests run `facesym` with stderr on a pseudo-terminal, then replay what was written
through `screen.screen_lines` (carriage returns and erases applied as a terminal applies
them), so a line glued to the bar or half overwritten by it shows up as it would on screen.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recommender.cli._progress import CLEAR, ProgressLine

from .conftest import ROOT, load_example
from .screen import screen_lines
from .test_cli_pty import TIMEOUT, environment
from .test_cli_support import EXAMPLE_PATHWAYS

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_shown_during_a_run_stand_whole_above_the_bar() -> None:
    stream = FakeTerminal()
    with ProgressLine("Working", 10, stream, "steps") as progress:
        for step in range(10):
            if step in (3, 7):
                progress.show(f"step {step}: something went wrong\n  with a detail")
            progress.advance()
    assert screen_lines(stream.getvalue()) == [
        "step 3: something went wrong",
        "  with a detail",
        "step 7: something went wrong",
        "  with a detail",
    ]  # and the bar is wiped at the end
    assert "Working [" in stream.getvalue() and "(10 of 10 steps)" in stream.getvalue()


def test_the_bar_is_redrawn_only_when_it_changes_and_fits_the_line() -> None:
    stream = FakeTerminal()
    progress = ProgressLine("Working", 1000, stream)
    with progress:
        for _ in range(1000):
            progress.advance()
    drawn = [part for part in stream.getvalue().split(CLEAR) if part]
    assert len(drawn) == len(set(drawn)) == 1001  # every count once: 0 to 1000
    assert max(len(text) for text in drawn) <= progress.width


def test_a_total_learnt_on_the_way_moves_the_bar() -> None:
    stream = FakeTerminal()
    progress = ProgressLine("Proving", 0, stream, "parts")
    progress.update(1, total=4)
    assert "25% (1 of 4 parts)" in progress.text()
    progress.update(4)
    assert "100% (4 of 4 parts)" in progress.text()
    progress.close()
    assert screen_lines(stream.getvalue()) == []


def test_nothing_is_drawn_when_no_one_watches() -> None:
    stream = io.StringIO()
    with ProgressLine("Working", 3, stream) as progress:
        progress.advance()
        progress.show("a line")
        progress.advance()
    assert stream.getvalue() == "a line\n"


# --- `recommend --batch` on a pseudo-terminal -------------------------------------------------


def batch_file(tmp_path: Path) -> tuple[Path, list[int]]:
    """40 lines, two in every ten bad (each way 4 times); returns the file and the bad lines."""
    examples = [load_example(name) for name in EXAMPLE_PATHWAYS]
    lines, bad = [], []
    for index in range(40):
        record = dict(examples[index % len(examples)])
        if index % 10 == 3:
            record["age"] = 300
            bad.append(index + 1)
        elif index % 10 == 8:
            lines.append("{not json")
            bad.append(index + 1)
            continue
        lines.append(json.dumps(record))
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, bad


def run_on_terminal(*args: str, stdout_file: Path | None, columns: int = 60) -> tuple[int, str]:
    """Run facesym with stderr (and stdout unless redirected to a file) on a pty."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = environment(NO_COLOR="1")
    env.pop("COLUMNS")
    out = stdout_file.open("w") if stdout_file else None
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "recommender", *args],
            stdin=subprocess.DEVNULL,
            stdout=out if out else slave,
            stderr=slave,
            cwd=ROOT,
            env=env,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=TIMEOUT)
    finally:
        os.close(master)
        if out:
            out.close()
    return code, b"".join(chunks).decode("utf-8", errors="replace")


@posix_only
def test_batch_errors_each_stand_on_their_own_line_beside_the_bar(tmp_path: Path) -> None:
    path, bad = batch_file(tmp_path)
    results = tmp_path / "out.jsonl"
    code, written = run_on_terminal(
        "recommend", "--batch", "--format", "json", str(path), stdout_file=results
    )
    assert code == 1
    assert "Recommending [" in written  # the bar was drawn on the terminal
    shown = screen_lines(written)
    starts = [line for line in shown if line.startswith("line ")]
    assert starts == [f"line {n}: invalid answer:" for n in bad]
    assert not any("Recommending" in line for line in shown)  # wiped, never left mid-line
    assert all(len(line) <= 59 for line in shown[:-1])  # wrapped to the 60-column terminal
    details = " ".join(" ".join(shown).split())
    assert details.count("age: 300 is not allowed; allowed: a whole number from 0 to 120") == 4
    assert details.count("answers: not valid JSON") == 4
    assert shown[-1].startswith("Error: 8 line(s)")
    lines = results.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 40
    assert [n for n, line in enumerate(lines, 1) if '"error"' in line] == bad


@posix_only
def test_batch_results_on_the_same_terminal_are_whole_lines_too(tmp_path: Path) -> None:
    path, bad = batch_file(tmp_path)
    code, written = run_on_terminal("recommend", "--batch", str(path), stdout_file=None)
    assert code == 1
    shown = [line for line in screen_lines(written) if line.startswith("line ")]
    results = [line for line in shown if ": invalid answer:" not in line]
    assert [int(line.split(":")[0].split()[1]) for line in results] == list(range(1, 41))
    assert not any("Recommending" in line for line in screen_lines(written))
    for number in bad:
        assert f"line {number}: no recommendation (invalid answers" in " ".join(results)
