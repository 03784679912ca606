"""Start-up: `facesym` commands against the bare import of what facesym is built on.

    python -m benchmarks.startup               # 15 runs of each, interleaved
    python -m benchmarks.startup --runs 30

Each command runs in a fresh subprocess, round-robin (so a busy moment slows every command
alike), and the wall-clock median of each is printed with its ratio to the bare import
`python -c "import pydantic, click, durable"` measured in the same run. Issue 17's target:
`facesym recommend FILE` at most 2x the bare import, with the rule base cache warm (the
untimed first run fills a cache of this run's own); `FACESYM_RULES_CACHE=off` shows it
without. Figures only: nothing here asserts a speed.

Two floors are timed with them, so the target can be read against what it leaves room for:
the bare import plus one pydantic model with one field (the bare import does not load
pydantic's model machinery: `import pydantic` defers it to the first model class, which also
imports `importlib.metadata` for pydantic's plugin look-up), the least any command that
validates with pydantic can take; and the bare import plus facesym's contract models, the
questionnaire and the recommendation that every `recommend` validates against.

Every command runs with its modules' bytecode, as an installed wheel has it (pip compiles it
at install): the untimed run writes the bytecode of every module any command imports into a
folder of this run's own (`PYTHONPYCACHEPREFIX`), whatever `PYTHONDONTWRITEBYTECODE` says, so
a checkout installed in editable mode is not timed recompiling its sources on every run while
the bare import reads site-packages' bytecode.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "m1-weak-side-subtle.json"
BARE = "bare import"
TARGET = "recommend FILE"
UNCACHED = "recommend FILE, no cache"
CACHE_ENV = "FACESYM_RULES_CACHE"
ONE_MODEL = "floor: one pydantic model"
CONTRACT = "floor: the contract's models"
TARGET_RATIO = 2.0

_BARE_IMPORT = "import pydantic, click, durable"
_ONE_MODEL_CODE = f"{_BARE_IMPORT}\nclass Probe(pydantic.BaseModel):\n    value: int\n"
_CONTRACT_CODE = f"{_BARE_IMPORT}\nimport recommender.contract.questionnaire\n"
"""`contract.questionnaire` imports `contract.recommendation`: both of recommend's models."""


def facesym() -> list[str]:
    """The installed console script beside this interpreter, or `python -m recommender`."""
    script = Path(sys.executable).with_name("facesym")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "recommender"]


def commands(cache: Path, bytecode: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Label -> (argv, environment), the bare import first; `cache` is the rule base cache,
    `bytecode` the folder every command's compiled modules are written to and read from."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env |= {CACHE_ENV: str(cache), "PYTHONPYCACHEPREFIX": str(bytecode)}
    recommend = [*facesym(), "recommend", str(EXAMPLE)]
    return {
        BARE: ([sys.executable, "-c", _BARE_IMPORT], env),
        ONE_MODEL: ([sys.executable, "-c", _ONE_MODEL_CODE], env),
        CONTRACT: ([sys.executable, "-c", _CONTRACT_CODE], env),
        "facesym --help": ([*facesym(), "--help"], env),
        "facesym --version": ([*facesym(), "--version"], env),
        "facesym recommend --help": ([*facesym(), "recommend", "--help"], env),
        TARGET: (recommend, env),
        UNCACHED: (recommend, {**env, CACHE_ENV: "off"}),
    }


def _once(argv: Sequence[str], env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - started


def measure(runs: int) -> dict[str, list[float]]:
    """Seconds per run for each command, the commands taking turns."""
    with tempfile.TemporaryDirectory(prefix="facesym-startup-") as scratch:
        table = commands(Path(scratch) / "cache", Path(scratch) / "bytecode")
        for argv, env in table.values():  # one untimed run each: file cache, .pyc, rule cache
            _once(argv, env)
        timings: dict[str, list[float]] = {label: [] for label in table}
        for _ in range(runs):
            for label, (argv, env) in table.items():
                timings[label].append(_once(argv, env))
    return timings


def render(timings: dict[str, list[float]]) -> str:
    bare = statistics.median(timings[BARE])
    runs = len(timings[BARE])
    lines = [f"benchmarks.startup: median of {runs} runs each, interleaved, wall clock"]
    for label, seconds in timings.items():
        median = statistics.median(seconds)
        lines.append(
            f"  {label:<28} {median * 1000:7.0f} ms  (min {min(seconds) * 1000:5.0f} ms)"
            f"  {median / bare:5.2f} x bare import"
        )
    ratio = statistics.median(timings[TARGET]) / bare
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    lines.append(
        f"  target: facesym recommend FILE at most {TARGET_RATIO:.0f}x the bare import:"
        f" {ratio:.2f}x (cache warm), {verdict}"
    )
    floor = statistics.median(timings[ONE_MODEL]) / bare
    contract = statistics.median(timings[CONTRACT]) / bare
    lines.append(
        f"  floors: one pydantic model {floor:.2f}x, the contract's models {contract:.2f}x"
        f" the bare import: no command that validates with pydantic starts under {floor:.2f}x"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m benchmarks.startup`: print the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args(argv)
    print(render(measure(args.runs)))


if __name__ == "__main__":
    main()
