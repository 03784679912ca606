"""`facesym programme`: files for a programme that is offered, nothing for one that is not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from pypdf import PdfReader

from recommender.cli import cli

from .conftest import EXAMPLES, ROOT

M1 = EXAMPLES / "m1-weak-side-subtle.json"
SCENARIOS = ROOT / "tests" / "scenarios"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def answers_file(tmp_path: Path, scenario: str) -> Path:
    data = json.loads((SCENARIOS / f"{scenario}.json").read_text(encoding="utf-8"))
    path = tmp_path / f"{scenario}.json"
    path.write_text(json.dumps(data["answers"]), encoding="utf-8")
    return path


def test_writes_the_pdf_and_the_calendar(tmp_path: Path) -> None:
    pdf, ics = tmp_path / "programme.pdf", tmp_path / "programme.ics"
    code, out, err = run(
        "programme", str(M1), "--pdf", str(pdf), "--ics", str(ics), "--start", "2027-01-04"
    )
    assert code == 0, err
    assert f"Wrote {pdf}." in out and f"Wrote {ics}." in out
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "1. Happy cheeks sculpting" in text and "5. Lip press" in text
    calendar = Calendar.from_ical(ics.read_bytes())
    starts = sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))
    assert str(starts[1]) == "2027-01-04"


@pytest.mark.parametrize(
    "answers",
    [
        EXAMPLES / "stroke-signs-stopped-at-gate.json",
        EXAMPLES / "s1-skeletal-bite.json",
        "under-18-n0-reassurance",
        "under-18-m2-no-injectables",
    ],
    ids=str,
)
def test_no_programme_no_files(tmp_path: Path, answers: Path | str) -> None:
    path = answers if isinstance(answers, Path) else answers_file(tmp_path, answers)
    pdf, ics = tmp_path / "p.pdf", tmp_path / "p.ics"
    code, out, err = run(
        "programme", str(path), "--pdf", str(pdf), "--ics", str(ics), "--start", "2027-01-04"
    )
    assert code == 1
    assert "no exercise programme is offered for these answers, so nothing was written" in err
    assert "Your next step:" in out  # the person still sees what to do instead
    assert "Your exercise programme" not in out
    assert not pdf.exists() and not ics.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--ics", "x.ics", "--start", "2027-13-04"],
            "'2027-13-04' is not a date: expected YYYY-MM-DD",
        ),
        (["--ics", "x.ics", "--start", "next monday"], "--start"),
        (["--ics", "x.ics"], "--ics needs --start DATE"),
        (["--pdf", "x.pdf", "--start", "2027-01-04"], "use it with --ics FILE"),
        ([], "--pdf FILE, --ics FILE, or both"),
        (["--pdf", "no/such/folder/x.pdf"], "the folder no/such/folder does not exist"),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)  # relative output names land here, if anything were written
    code, _, err = run("programme", str(M1), *args)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"age": 200}, "age: 200 is not allowed; allowed: a whole number from 0 to 120"),
        (
            {"side": "up"},
            "side: 'up' is not an allowed value; allowed: left, right, both, not_sure",
        ),
    ],
)
def test_invalid_answers_name_the_field(
    tmp_path: Path, answers: dict[str, object], expected: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    code, _, err = run("programme", str(path), "--pdf", str(tmp_path / "x.pdf"))
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_unreadable_answers_are_clean_failures(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"age": ', encoding="utf-8")
    code, _, err = run("programme", str(broken), "--pdf", str(tmp_path / "x.pdf"))
    assert code == 1
    assert "broken.json is not valid JSON" in err
    code, _, err = run(
        "programme", str(tmp_path / "missing.json"), "--pdf", str(tmp_path / "x.pdf")
    )
    assert code == 1 and "could not read" in err


def test_runs_from_outside_the_checkout(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(M1.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "recommender",
            "programme",
            "answers.json",
            "--pdf",
            "programme.pdf",
            "--ics",
            "programme.ics",
            "--start",
            "2027-01-04",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "programme.pdf").read_bytes().startswith(b"%PDF-")
    assert b"BEGIN:VCALENDAR" in (tmp_path / "programme.ics").read_bytes()
