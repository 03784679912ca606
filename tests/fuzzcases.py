"""Malformed questionnaires and mutated rule bases, made from a seeded `random.Random`.

Shared by the bounded fuzz tests (tests/test_fuzz_*.py, which draw the seeds through
hypothesis) and by scripts/fuzz_figures.py, which runs the big versions and prints counts.
Each generator returns what it built and what a correct rejection must keep.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recommender import AnswersError, FacesymError, Recommendation, Recommender, RuleBaseError
from recommender.contract.fields import field_specs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RULES = ROOT / "rules"
FIELDS = list(field_specs())

BENIGN = json.loads((EXAMPLES / "m1-weak-side-subtle.json").read_text(encoding="utf-8"))
STROKE = {"age": 40, "stroke_signs": "yes"}  # a partial questionnaire that must stop: emergency
"""Mutations never touch `stroke_signs` of this one, so every outcome must keep its red flag."""


def nested(depth: int, leaf: object, kind: str) -> object:
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value} if kind == "dict" else (value,)
    return value


def bad_value(rng: random.Random) -> object:
    """A value no field allows, or one that used to break validation or its error message."""
    spec = field_specs()[rng.choice(FIELDS)]
    some_value = rng.choice(spec.values) if spec.values else 40
    makers: list[Callable[[], object]] = [
        lambda: nested(rng.randint(50, 3_000), some_value, rng.choice(["list", "dict", "tuple"])),
        lambda: (-1) ** rng.randint(0, 1) * 10 ** rng.randint(4_000, 6_000),
        lambda: 2 ** rng.randint(63, 200),
        lambda: rng.choice([math.nan, math.inf, -math.inf, 40.0, -0.0, 1e308]),
        lambda: "".join(chr(rng.randint(0xD800, 0xDFFF)) for _ in range(rng.randint(1, 4))),
        lambda: rng.choice(["", " ", "yes\n", "YES", "Yes", "left ", "brows,eyes", "\x00", "é😀"]),
        lambda: "x" * rng.choice([41, 1_000, 100_000, 1_000_000]),
        lambda: rng.choice([b"yes", bytearray(b"left"), b"\xff" * 100]),
        lambda: [some_value] * rng.choice([2, 9, 1_000, 100_000]),
        lambda: [rng.choice([1, None, [], {}, "nope", True])] * rng.randint(1, 8),
        lambda: list(range(rng.randint(0, 20))),
        lambda: {some_value: some_value},
        lambda: {some_value},
        lambda: rng.choice([True, False, None, 0, -1, 121, 10**6]),
        lambda: object(),
    ]
    return rng.choice(makers)()


def bad_key(rng: random.Random) -> object:
    makers: list[Callable[[], object]] = [
        lambda: rng.choice(FIELDS) + rng.choice(["s", "_", " ", "\n", "\ud800"]),
        lambda: rng.choice(FIELDS).upper(),
        lambda: "x" * rng.choice([1, 41, 10_000, 1_000_000]),
        lambda: chr(rng.randint(0xD800, 0xDFFF)),
        lambda: rng.choice(["", " ", "\t", "$lt", "kind", "id", "sid", "answers"]),
        lambda: rng.choice([1, 10**5000, None, True, 1.5, math.nan, b"age", (1, 2)]),
        lambda: nested(rng.randint(50, 3_000), "age", "tuple"),
    ]
    return rng.choice(makers)()


@dataclass(frozen=True)
class AnswersCase:
    answers: dict[Any, Any]
    red_flag: bool
    """True when the answers keep a valid emergency red flag, which must survive."""


def answers_case(rng: random.Random) -> AnswersCase:
    """A benign complete questionnaire or a stroke-stopped partial one, with a few fields
    given bad values, a few dropped and a few unknown keys added."""
    stroke = rng.random() < 0.5
    answers: dict[Any, Any] = dict(STROKE if stroke else BENIGN)
    changeable = [name for name in FIELDS if not (stroke and name == "stroke_signs")]
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.6:
            answers[rng.choice(changeable)] = bad_value(rng)
        elif roll < 0.8:
            answers[bad_key(rng)] = bad_value(rng) if rng.random() < 0.5 else 1
        elif not stroke:
            answers.pop(rng.choice(FIELDS), None)
    if rng.random() < 0.05:  # many unknown keys at once
        answers.update({f"k{i}": i for i in range(rng.choice([100, 100_000]))})
    return AnswersCase(answers, stroke)


def as_json_text(rng: random.Random, case: AnswersCase) -> tuple[str | bytes, bool]:
    """The case as JSON text (where JSON can carry it), or broken JSON; and whether the red
    flag must survive (only if the text is valid JSON that keeps the stroke answer)."""
    try:
        text = json.dumps(case.answers, allow_nan=rng.random() < 0.5)
    except (TypeError, ValueError, RecursionError):
        text = json.dumps(STROKE if case.red_flag else BENIGN)
    keeps = case.red_flag and len(text) < 200_000 and _readable(text)
    roll = rng.random()
    if roll < 0.1:
        return text[: rng.randint(0, len(text))], False
    if roll < 0.2:
        depth = rng.choice([100, 999, 1_001, 100_000])
        return text[:-1] + ', "side": ' + "[" * depth + "]" * depth + "}", False
    if roll < 0.25:
        return text[:-1] + ', "age": 1' + "0" * rng.choice([10, 4_400]) + "}", False
    if roll < 0.3:
        return text.encode() + b"\xff", False
    if roll < 0.35:
        return text + " " * rng.choice([10, 300_000]), False
    return (text.encode() if rng.random() < 0.3 else text), keeps


def _not_json(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _readable(text: str) -> bool:
    """Whether `text` is JSON that Python's parser surely reads. NaN and Infinity are not
    JSON, and nested about 1,000 deep (the exact depth depends on the caller's stack) the
    parser gives up: the library refuses such a text as a whole, like any other text that
    is not JSON, so no red flag can be read from it."""
    try:
        data = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return False
    return _depth(data) < 800


def _depth(value: object) -> int:
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        deepest = max(deepest, depth)
        if isinstance(item, list | dict):
            level.extend(
                (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def check_answers(recommender: Recommender, answers: object, red_flag: bool) -> str:
    """'accepted', 'rejected' or a description of what went wrong."""
    try:
        result = recommender.recommend(answers)
    except AnswersError as error:
        if not error.problems or not all(problem.field for problem in error.problems):
            return "AnswersError without a named field"
        try:
            str(error).encode("utf-8")
        except UnicodeEncodeError:
            return f"AnswersError not encodable: {error.fields}"
        if red_flag and (error.red_flag is None or error.red_flag.urgency != "emergency"):
            return f"red flag lost: {error.fields}"
        return "rejected"
    except Exception as error:  # the very thing the fuzzing looks for
        return f"{type(error).__name__}: {str(error)[:120]}"
    if not isinstance(result, Recommendation):
        return f"returned {type(result).__name__}"
    if red_flag and result.urgency != "emergency":
        return "accepted without its red flag"
    return "accepted"


# -- rule bases ------------------------------------------------------------------------------

JUNK_VALUES = [
    "[a, b]",
    "{x: 1}",
    "9" * 5_000,
    "0x" + "f" * 3_000,
    "100000000000000000000",
    "-1",
    "2024-13-45",
    "1e999",
    "null",
    "''",
    "yes",
    "*nowhere",
    "!!binary zz",
    "!!python/object/apply:os.system [x]",
    "{all: [" * 200 + "x" + "]}" * 200,
    "[" * 1_200 + "]" * 1_200,
    "{field: age, lt: 100000000000000000000}",
    "{field: age, gte: -5}",
    "{field: stroke_signs, equals: maybe}",
    "{field: regions, contains_any: [nose]}",
    "{not: {not: {not: {field: age, lt: 18}}}}",
    "/etc/hostname",
    "../gate.yaml",
    '"\\ud800"',
    "'\u00e9\U0001f600'",
]

JUNK_LINES = [
    "? [a, b]\n: 1",
    "{x: 1}: 2",
    "<<: *nowhere",
    "x: &a [*a]",
    "%YAML 1.1",
    "---",
    "\t- tab",
    "extra: 1",
    "priority: " + "9" * 5_000,
]


def _bomb(levels: int) -> str:
    parts = ["&c0 {field: stroke_signs, equals: yes}"]
    for level in range(1, levels + 1):
        parts.append(f"&c{level} {{any: [{', '.join([f'*c{level - 1}'] * 9)}]}}")
    return "{all: [" + ", ".join(parts) + "]}"


def _nested_groups(groups: int) -> str:
    condition = "{field: stroke_signs, equals: yes}"
    for level in range(groups):
        kind, other = (
            ("all", "{field: age, gte: 0}") if level % 2 else ("any", "{field: age, gt: 1}")
        )
        condition = f"{{{kind}: [{other}, {condition}]}}"
    return condition


def mutate_text(rng: random.Random, text: str) -> str:
    """One file's text with one mutation: a line dropped, doubled, swapped or replaced, a
    value swapped for junk, a condition for a bomb, or the text cut short."""
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    roll = rng.random()
    if roll < 0.12:
        del lines[at]
    elif roll < 0.22:
        lines.insert(at, lines[at])
    elif roll < 0.32:
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif roll < 0.42:
        lines.insert(at, rng.choice(JUNK_LINES))
    elif roll < 0.52:
        return text[: rng.randrange(len(text) + 1)]
    elif roll < 0.65:
        conditions = [i for i, line in enumerate(lines) if line.lstrip().startswith("when:")]
        if conditions:
            at = rng.choice(conditions)
            indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
            condition = rng.choice(
                [_bomb(rng.randint(2, 8)), _nested_groups(rng.randint(10, 20)), *JUNK_VALUES]
            )
            lines[at] = f"{indent}when: {condition}"
    else:
        valued = [
            i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")
        ]
        if valued:
            at = rng.choice(valued)
            key = lines[at].split(": ", 1)[0]
            lines[at] = f"{key}: {rng.choice(JUNK_VALUES)}"
    return "\n".join(lines)


def mutated_rulebase(rng: random.Random, target: Path) -> Path:
    """A copy of rules/ in `target` with one to three mutations in its files."""
    shutil.copytree(RULES, target)
    files = sorted(target.rglob("*.yaml"))  # the manifest, the stages and the catalogue
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(files)
        path.write_text(mutate_text(rng, path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def check_rulebase(directory: Path) -> str:
    """'loaded', 'refused' or a description of what went wrong."""
    try:
        recommender = Recommender.from_path(directory)
    except RuleBaseError as error:
        if not error.file:
            return "RuleBaseError naming no file"
        try:
            str(error).encode("utf-8")
        except UnicodeEncodeError:
            return "RuleBaseError not encodable"
        return "refused"
    except Exception as error:  # the very thing the fuzzing looks for
        return f"{type(error).__name__}: {str(error)[:120]}"
    with recommender:
        for answers in (BENIGN, STROKE, {**BENIGN, "age": 16}):
            try:
                recommender.recommend(answers)
            except FacesymError:  # a loaded but wrongly changed rule base may gap or withhold
                pass
            except Exception as error:
                return f"loaded, then {type(error).__name__}: {str(error)[:100]}"
    return "loaded"
