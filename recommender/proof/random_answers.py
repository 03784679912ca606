"""Random valid questionnaires and stage contexts, drawn from a seeded `random.Random`.

The proof is exhaustive; these are for what samples instead: the differential tests of the
walk's oracle against the engine, the tests' hypothesis strategy (`tests/strategies.py`), and
the benchmarks. One generator, so every sample means the same distribution.
"""

from __future__ import annotations

import random
from typing import Any

from ..contract.constants import EVENT_PAIRING
from ..contract.fields import FieldSpec, field_specs
from ..engine.compiler import CompiledStage


def random_value(spec: FieldSpec, rng: random.Random) -> Any:
    """Any valid answer of one field, each option as likely (a list: each value in 3 of 10)."""
    if spec.kind == "choice":
        return rng.choice(spec.values)
    if spec.kind == "boolean":
        return rng.random() < 0.5
    if spec.kind == "integer":
        assert spec.minimum is not None and spec.maximum is not None
        return rng.randint(spec.minimum, spec.maximum)
    chosen = [value for value in spec.values if rng.random() < 0.3]
    # A list that must name at least one value (regions, the v1.1 injection problems) does.
    return chosen or ([rng.choice(spec.values)] if spec.min_items else [])


def random_questionnaire(rng: random.Random) -> dict[str, Any]:
    """A complete, valid questionnaire drawn field by field (`event` only after an event,
    the clinician's assessed cause three times in ten)."""
    specs = field_specs()
    answers: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in (EVENT_PAIRING.follow_up, "assessed_cause"):
            continue
        answers[name] = random_value(spec, rng)
    if not answers["regions"]:
        answers["regions"] = [rng.choice(specs["regions"].values)]
    if answers[EVENT_PAIRING.asked_after] == EVENT_PAIRING.asked_when:
        answers[EVENT_PAIRING.follow_up] = random_value(specs[EVENT_PAIRING.follow_up], rng)
    if rng.random() < 0.3:
        answers["assessed_cause"] = random_value(specs["assessed_cause"], rng)
    return answers


def random_context(compiled: CompiledStage, rng: random.Random) -> dict[str, Any]:
    """Any value of every field the stage reads, each absent one time in ten."""
    return {
        name: random_value(spec, rng)
        for name, spec in compiled.stage.inputs.items()
        if rng.random() >= 0.1
    }
