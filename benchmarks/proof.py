"""The proof's speed: `verify` on one worker and on two, and how the walk splits between them.

    python -m benchmarks.proof                  # the shipped rule base
    python -m benchmarks.proof --rules DIR      # another rule base directory

Runs, in this order: each of the two shards of a two-worker walk alone in this process (CPU
seconds each: the split), the whole walk as one shard (what one worker does), and then
`verify(DIR, workers=2)` for real (wall seconds). Prints the figures and issue 17's targets:
verify under 15 s, and two workers at least 1.7x one. The shards' own figures say how much of
a two-worker run is the work split and how much is imbalance: the real run cannot beat the
larger shard. Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from recommender import default_rules_path
from recommender.proof.verify import run_share, verify

TARGET_SECONDS = 15.0
TARGET_SPEEDUP = 1.7


def shard_seconds(path: Path, shard: tuple[int, int]) -> float:
    """CPU seconds of one shard's share of the walk, in this process."""
    started = time.process_time()
    run_share(str(path), shard)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.proof", description=__doc__)
    parser.add_argument("--rules", type=Path, default=None, help="rule base directory")
    options = parser.parse_args(argv)
    path = (options.rules or default_rules_path()).resolve()
    first, second = shard_seconds(path, (0, 2)), shard_seconds(path, (1, 2))
    alone = shard_seconds(path, (0, 1))
    started = time.perf_counter()
    report = verify(path, workers=2)
    wall = time.perf_counter() - started
    print(f"rule base: {report.rulebase} ({path})")
    print(f"one worker, the whole walk:         {alone:8.1f} s CPU")
    print(f"two workers, shard 1 of 2:          {first:8.1f} s CPU")
    print(f"two workers, shard 2 of 2:          {second:8.1f} s CPU")
    print(f"  split: {first / (first + second):.0%} / {second / (first + second):.0%}")
    print(f"  best a two-worker run can do:     {alone / max(first, second):8.2f}x one worker")
    print(f"verify, two workers (wall):         {wall:8.1f} s   ({'ok' if report.ok else 'FAIL'})")
    print(f"  speed-up over one worker's CPU:   {alone / wall:8.2f}x")
    met = "met" if wall < TARGET_SECONDS else "not met"
    print(f"target: verify under {TARGET_SECONDS:.0f} s: {met} ({wall:.1f} s)")
    ratio = alone / wall
    met = "met" if ratio >= TARGET_SPEEDUP else "not met"
    print(f"target: two workers at least {TARGET_SPEEDUP}x one: {met} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
