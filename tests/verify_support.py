"""Random valid questionnaires and stage contexts, for differential tests of verify's oracle."""

from __future__ import annotations

import random
from typing import Any

from recommender.contract.constants import EVENT_PAIRING
from recommender.contract.fields import FieldSpec, field_specs
from recommender.engine.compiler import CompiledStage


def random_value(spec: FieldSpec, rng: random.Random) -> Any:
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
    """A complete, valid questionnaire drawn uniformly field by field."""
    answers: dict[str, Any] = {}
    for name, spec in field_specs().items():
        if name in (EVENT_PAIRING.follow_up, "assessed_cause"):
            continue
        answers[name] = random_value(spec, rng)
    if not answers["regions"]:
        answers["regions"] = [rng.choice(field_specs()["regions"].values)]
    if answers[EVENT_PAIRING.asked_after] == EVENT_PAIRING.asked_when:
        answers[EVENT_PAIRING.follow_up] = random_value(field_specs()[EVENT_PAIRING.follow_up], rng)
    if rng.random() < 0.3:
        answers["assessed_cause"] = random_value(field_specs()["assessed_cause"], rng)
    return answers


def random_context(compiled: CompiledStage, rng: random.Random) -> dict[str, Any]:
    """Any value of every field the stage reads, each absent one time in ten."""
    return {
        name: random_value(spec, rng)
        for name, spec in compiled.stage.inputs.items()
        if rng.random() >= 0.1
    }
