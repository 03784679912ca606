"""The one whole-space walk of the shipped rule base per test run, made beside the other tests.

The walk is minutes of CPU in worker processes, while most tests need one core for a second
each; walked first and waited for, it left a core idle for most of the run. So when the tests
collected include one that reads it (`default_report`), the walk starts in its own process as
collection ends, the tests that read it run last, and the fixture waits for it and reads the
report it wrote. It is the same walk (`verify(..., workers=RECORDED_WORKERS)`), made once.

    python -m tests.shipped_walk OUT    # the walk's process: writes the report to OUT
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from recommender import default_rules_path
from recommender.proof.verify import Report, verify

from .proof_output import RECORDED_WORKERS


class BackgroundWalk:
    """The shipped walk running in a child process, and the report it leaves."""

    def __init__(self, rootdir: Path) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="facesym-shipped-walk-"))
        self._out = self._folder / "report.pickle"
        self._errors = (self._folder / "stderr").open("w+b")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.shipped_walk", str(self._out)],
            cwd=rootdir,
            stdin=subprocess.DEVNULL,
            stdout=self._errors,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the walk and its pool workers
        )
        self._report: Report | None = None

    def report(self) -> Report:
        """Wait for the walk and return its report (a failed walk fails with its output)."""
        if self._report is None:
            code = self._process.wait()
            self._errors.seek(0)
            output = self._errors.read().decode(errors="replace")
            if code != 0:
                raise RuntimeError(f"the shipped walk's process exited with {code}:\n{output}")
            with self._out.open("rb") as file:
                self._report = pickle.load(file)
        return self._report

    def close(self) -> None:
        """Stop the walk if no test waited for it (an interrupted run), its pool workers too,
        and clean up."""
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._errors.close()
        for path in self._folder.iterdir():
            path.unlink()
        self._folder.rmdir()


def main(out: str) -> None:
    report = verify(default_rules_path(), workers=RECORDED_WORKERS)
    with Path(out).open("wb") as file:
        pickle.dump(report, file)


if __name__ == "__main__":
    main(sys.argv[1])
