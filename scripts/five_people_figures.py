"""Figures for the engine core: recommendations per second and RSS over many evaluations.

Runs the five reference people of issue 2 (examples/*.json) round-robin through one
`Recommender`, single-threaded. Not a test: it prints figures for a human to read.

    python scripts/five_people_figures.py                 # 1,000,000 evaluations
    python scripts/five_people_figures.py --count 20000   # a quick look
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from recommender import Recommender

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PEOPLE = [
    "stroke-signs-stopped-at-gate",
    "m1-weak-side-subtle",
    "m2-overactive-within-weeks",
    "s1-skeletal-bite",
    "n0-photos-reassurance",
]


def rss_mib() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description="Engine core figures for the five people.")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--report-every", type=int, default=100_000)
    args = parser.parse_args()
    answers = [json.loads((EXAMPLES / f"{name}.json").read_text()) for name in PEOPLE]
    started = time.perf_counter()
    recommender = Recommender.default()
    print(f"load + compile: {(time.perf_counter() - started) * 1000:.0f} ms")
    for person in answers:  # warm-up, and a check that each still gets an answer
        print(f"  {recommender.recommend(person).pathway}")
    baseline = rss_mib()
    print(f"RSS after warm-up: {baseline:.1f} MiB")
    started = time.perf_counter()
    for done in range(1, args.count + 1):
        recommender.recommend(answers[done % len(answers)])
        if done % args.report_every == 0 or done == args.count:
            elapsed = time.perf_counter() - started
            print(
                f"{done:>9} evaluations  {done / elapsed:8.0f}/s  RSS {rss_mib():.1f} MiB"
                f"  (+{rss_mib() - baseline:.1f})",
                flush=True,
            )


if __name__ == "__main__":
    main()
