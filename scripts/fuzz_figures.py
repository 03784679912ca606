"""The big fuzz runs of issue 12, as counts: malformed questionnaires through the library
(as dicts and as JSON text) and mutated copies of rules/ through `Recommender.from_path`.

Not a test: it prints what it tried and how each case ended. "anything else" must be 0:
every bad questionnaire is an AnswersError naming a field (keeping a valid red flag), every
broken rule base a RuleBaseError naming a file. The bounded versions run in the test suite
(tests/test_fuzz_answers.py, tests/test_fuzz_rulebase.py) with the same generators.

    python scripts/fuzz_figures.py                      # 100,000 answers, 1,000 rule bases
    python scripts/fuzz_figures.py --answers 2000 --rulebases 50 --seed 7
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests/

from recommender import Recommender
from tests.fuzzcases import (
    answers_case,
    as_json_text,
    check_answers,
    check_rulebase,
    mutated_rulebase,
)

CLEAN = ("accepted", "rejected", "loaded", "refused")


def report(title: str, outcomes: Counter[str], seconds: float, examples: dict[str, int]) -> int:
    """Print one block of counts; return how many cases ended in anything else."""
    tried = sum(outcomes.values())
    other = sum(count for outcome, count in outcomes.items() if outcome not in CLEAN)
    print(f"{title}: {tried:,} tried in {seconds:.1f} s")
    for outcome in CLEAN:
        if outcome in outcomes:
            print(f"  {outcome:<14}{outcomes[outcome]:>9,}")
    print(f"  {'anything else':<14}{other:>9,}")
    for outcome, seed in list(examples.items())[:10]:
        print(f"    {outcomes[outcome]:,} x {outcome}  (first seed {seed})")
    return other


def run_cases(
    count: int, seed: int, one: Callable[[int], str]
) -> tuple[Counter[str], float, dict[str, int]]:
    outcomes: Counter[str] = Counter()
    examples: dict[str, int] = {}
    started = time.perf_counter()
    for number in range(count):
        case_seed = seed * 1_000_003 + number
        outcome = one(case_seed)
        outcomes[outcome] += 1
        if outcome not in CLEAN:
            examples.setdefault(outcome, case_seed)
    return outcomes, time.perf_counter() - started, examples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000, help="questionnaires of each kind")
    parser.add_argument("--rulebases", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    recommender = Recommender.default()

    def as_dict(case_seed: int) -> str:
        case = answers_case(random.Random(case_seed))
        return check_answers(recommender, case.answers, case.red_flag)

    def as_text(case_seed: int) -> str:
        rng = random.Random(case_seed)
        text, keeps = as_json_text(rng, answers_case(rng))
        return check_answers(recommender, text, keeps)

    def rulebase(case_seed: int) -> str:
        with tempfile.TemporaryDirectory() as scratch:
            rules = mutated_rulebase(random.Random(case_seed), Path(scratch) / "rules")
            return check_rulebase(rules)

    other = report("answers as dicts", *run_cases(args.answers, args.seed, as_dict))
    other += report("answers as JSON text", *run_cases(args.answers, args.seed, as_text))
    other += report("mutated rule bases", *run_cases(args.rulebases, args.seed, rulebase))
    print("all clean" if other == 0 else f"{other:,} cases ended in anything else")
    return 0 if other == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
