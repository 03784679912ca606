"""The proof's speed: `verify` and `diff` on one worker and on two, and how the walk splits.

    python -m benchmarks.proof                  # the shipped rule base, verify and diff
    python -m benchmarks.proof --only verify    # or --only diff
    python -m benchmarks.proof --rules DIR      # another rule base directory

For each tool it times, each in a fresh process of its own started as `verify` and `diff` start
their workers (spawned, with the workers' string-hash seed), what one worker does: load and
compile, walk its share, check and replay its end classes. First each of the two shards of a
two-worker run (CPU seconds each: the split), then the whole walk as one shard (one worker;
`workers=1` itself runs in the caller's process, which this leaves out); and then it runs the
tool with `workers=2` for real (wall seconds). `diff` compares the rule base with a copy of it
in which one plan rule sets another pathway (the change `tests/test_diff.py` makes). Prints the
figures and issue 17's targets for each: under 15 s, and two workers at least 1.7x one. The
shards' own figures say how much of a two-worker run is the work split and how much is
imbalance: the real run cannot beat the larger shard. Figures only: nothing here asserts a
speed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from recommender import default_rules_path
from recommender.proof import diff as diff_tool
from recommender.proof import verify as verify_tool
from recommender.proof.progress import one_hash_seed
from tests.verify_fixtures import change_plan_pathway

TARGET_SECONDS = 15.0
TARGET_SPEEDUP = 1.7
TOOLS = ("verify", "diff")


SHARES: dict[str, Callable[..., object]] = {
    "verify": verify_tool.run_share,
    "diff": diff_tool.run_share,
}
"""What one worker of each tool runs: its share of the walk, by the rule base paths and shard."""


def share_seconds(tool: str, paths: tuple[str, ...], shard: tuple[int, int]) -> float:
    """CPU seconds of one shard of `tool`'s walk, in a fresh process started as the tool
    starts its workers, so that no earlier walk's memory or hash seed changes the figure."""
    with one_hash_seed(), multiprocessing.get_context("spawn").Pool(1) as pool:
        seconds: float = pool.apply(_timed_share, (tool, paths, shard))
    return seconds


def _timed_share(tool: str, paths: tuple[str, ...], shard: tuple[int, int]) -> float:
    started = time.process_time()
    SHARES[tool](*paths, shard)
    return time.process_time() - started


def measure(name: str, paths: tuple[str, ...], run: Callable[[], str]) -> None:
    """Time the two shards, one worker and the real two-worker run of one tool; print them."""
    first, second = share_seconds(name, paths, (0, 2)), share_seconds(name, paths, (1, 2))
    alone = share_seconds(name, paths, (0, 1))
    started = time.perf_counter()
    status = run()
    wall = time.perf_counter() - started
    width = 36
    print(f"{name + ', one worker, the whole walk:':{width}}{alone:8.1f} s CPU")
    print(f"{name + ', two workers, shard 1 of 2:':{width}}{first:8.1f} s CPU")
    print(f"{name + ', two workers, shard 2 of 2:':{width}}{second:8.1f} s CPU")
    print(f"  split: {first / (first + second):.0%} / {second / (first + second):.0%}")
    print(
        f"{'  best a two-worker run can do:':{width}}{alone / max(first, second):8.2f}x one worker"
    )
    print(f"{name + ', two workers (wall):':{width}}{wall:8.1f} s   ({status})")
    ratio = alone / wall
    speed_up = "  speed-up over one worker's CPU:"
    print(f"{speed_up:{width}}{ratio:8.2f}x")
    met = "met" if wall < TARGET_SECONDS else "not met"
    print(f"target: {name} under {TARGET_SECONDS:.0f} s: {met} ({wall:.1f} s)")
    met = "met" if ratio >= TARGET_SPEEDUP else "not met"
    print(f"target: {name}, two workers at least {TARGET_SPEEDUP}x one: {met} ({ratio:.2f}x)")


def measure_verify(path: Path) -> None:
    """`verify` of the rule base at `path`."""
    measure(
        "verify",
        (str(path),),
        lambda: "ok" if verify_tool.verify(path, workers=2).ok else "FAIL",
    )


def measure_diff(path: Path) -> None:
    """`diff` of the rule base at `path` against a copy with one plan rule changed."""
    scratch = Path(tempfile.mkdtemp(prefix="facesym-bench-diff-"))
    try:
        changed = scratch / "rules"
        shutil.copytree(path, changed)
        rule_id, old, new = change_plan_pathway(changed)
        print(f"diff: {rule_id} sets pathway {new} instead of {old}")
        measure(
            "diff",
            (str(path), str(changed)),
            lambda: f"{diff_tool.diff(path, changed, workers=2).changed:,} questionnaires change",
        )
    finally:
        shutil.rmtree(scratch)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.proof",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rules", type=Path, default=None, help="rule base directory")
    parser.add_argument("--only", choices=TOOLS, default=None, help="time one tool only")
    options = parser.parse_args(argv)
    path = (options.rules or default_rules_path()).resolve()
    print(f"rule base: {path}")
    if options.only in (None, "verify"):
        measure_verify(path)
    if options.only in (None, "diff"):
        measure_diff(path)


if __name__ == "__main__":
    main()
