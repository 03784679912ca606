"""How long the library takes to reject single bad questionnaires of up to 10 MB.

Target (issue 12): every one is rejected with an AnswersError in under 0.1 s. Each case is
built first, then timed alone through `recommend()` and `next_question()`; the figures are
wall-clock seconds on this machine, so a busy machine shows larger ones. Not a test.

    python scripts/bad_input_timing.py
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from recommender import AnswersError, Recommender
from recommender.intake.answers import MAX_ANSWERS_TEXT

TARGET_SECONDS = 0.1
MB = 1_000_000
STROKE = {"age": 40, "stroke_signs": "yes"}


def deep(depth: int) -> object:
    value: object = "no"
    for _ in range(depth):
        value = [value]
    return value


def cases() -> list[tuple[str, Callable[[], object]]]:
    """(description, builder); each builder makes one bad questionnaire of about 10 MB."""
    ten_mb_list = ",".join(['"lidocaine"'] * (10 * MB // 12))
    return [
        ("dict: side nested 100,000 deep", lambda: {**STROKE, "side": deep(100_000)}),
        ("dict: age of 10 million digits", lambda: {**STROKE, "age": 1 << 33_000_000}),
        (
            "dict: 1.4 million repeated allergies",
            lambda: {**STROKE, "allergies": ["lidocaine"] * 1_400_000},
        ),
        ("dict: 3 million junk list items", lambda: {**STROKE, "jaw_problems": [[]] * 3_000_000}),
        ("dict: a 10 MB unknown key", lambda: {**STROKE, "goal" + "x" * 10 * MB: 1}),
        ("dict: 1 million unknown keys", lambda: {**STROKE, **{f"k{i}": i for i in range(MB)}}),
        ("dict: a 10 MB text answer", lambda: {**STROKE, "side": "x" * 10 * MB}),
        ("dict: 10 MB of bytes", lambda: {**STROKE, "side": b"x" * 10 * MB}),
        (
            "dict: a mapping of 1 million entries",
            lambda: {**STROKE, "side": {i: i for i in range(MB)}},
        ),
        (
            "json: 10 MB list of repeats",
            lambda: '{"age": 40, "stroke_signs": "yes", "allergies": [' + ten_mb_list + "]}",
        ),
        (
            "json: 10 MB of unknown keys",
            lambda: "{" + ",".join(f'"k{i}": 1' for i in range(780_000)) + "}",
        ),
        ("json: 10 MB of brackets", lambda: '{"side": ' + "[" * (5 * MB) + "]" * (5 * MB) + "}"),
        ("json: 10 MB of spaces", lambda: json.dumps(STROKE) + " " * 10 * MB),
        ("json bytes: 10 MB string", lambda: ('{"side": "' + "x" * 10 * MB + '"}').encode()),
        (
            f"json: {MAX_ANSWERS_TEXT:,} chars of empty lists (just under the limit)",
            lambda: (
                '{"age": 40, "stroke_signs": "yes", "jaw_problems": ['
                + ",".join(["[]"] * ((MAX_ANSWERS_TEXT - 80) // 3))
                + "]}"
            ),
        ),
        (
            f"json: {MAX_ANSWERS_TEXT:,} chars of unknown keys (just under the limit)",
            lambda: (
                '{"age": 40, "stroke_signs": "yes", '
                + ",".join(f'"k{i}":1' for i in range((MAX_ANSWERS_TEXT - 80) // 12))
                + "}"
            ),
        ),
    ]


def size_mb(value: object) -> str:
    return f"{len(value) / MB:5.1f} MB" if isinstance(value, str | bytes) else "   dict "


def rejection_seconds(call: Callable[[object], object], answers: object) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        call(answers)
    except AnswersError as error:
        return time.perf_counter() - started, error.red_flag is not None
    raise SystemExit(f"accepted a bad questionnaire: {call.__name__}")


def main() -> int:
    recommender = Recommender.default()
    recommender.recommend(STROKE)  # warm up: first use of each validator
    slowest = 0.0
    print(f"{'case':<62}{'size':>9}{'recommend':>11}{'next_q':>9}  red flag kept")
    for name, build in cases():
        answers = build()
        timings = [
            rejection_seconds(call, answers)
            for call in (recommender.recommend, recommender.next_question)
        ]
        slowest = max(slowest, *(seconds for seconds, _ in timings))
        kept = "yes" if all(flag for _, flag in timings) else "no"
        library, next_question = (f"{seconds * 1000:.1f}ms" for seconds, _ in timings)
        print(f"{name:<62}{size_mb(answers):>9}{library:>11}{next_question:>9}  {kept}")
    verdict = "met" if slowest < TARGET_SECONDS else "NOT met"
    target = f"target under {TARGET_SECONDS * 1000:.0f} ms"
    print(f"slowest rejection {slowest * 1000:.1f} ms; {target}: {verdict}")
    return 0 if slowest < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
