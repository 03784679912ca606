"""The default rule base's benchmark inputs, and the facts the pipeline asserts for them."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from recommender import Recommender
from recommender.engine.compiler import CompiledStage
from recommender.pipeline.evaluator import Evaluator
from recommender.pipeline.stages import run_pipeline
from recommender.proof.random_answers import random_questionnaire

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
"""The checkout's example questionnaires (the gate answers of `past_the_gate`)."""

Facts = list[list[tuple[str, dict[str, Any]]]]
"""Per input, the (rule set, fact) pairs the pipeline asserted."""


def random_questionnaires(count: int, seed: int) -> list[dict[str, Any]]:
    """Valid questionnaires from the one random generator the proof's samples use too."""
    rng = random.Random(seed)
    return [random_questionnaire(rng) for _ in range(count)]


def past_the_gate(count: int, seed: int) -> list[dict[str, Any]]:
    """Random questionnaires that run every stage: uniformly random answers nearly always
    include a red flag, so these keep the gate's answers of an example questionnaire the gate
    lets through and draw every other answer at random."""
    with Recommender.default() as recommender:
        gate_fields = set(recommender.rulebase.stages[0].inputs)
        bases = []
        for path in sorted(EXAMPLES_DIR.glob("*.json")):
            example = orjson.loads(path.read_bytes())
            if not recommender.recommend(example).stopped_early:
                bases.append({k: v for k, v in example.items() if k in gate_fields})
        rng = random.Random(seed)
        # Later answers can show a red flag too (a weakness that is new or worsening, a lump
        # with numbness): draw more than needed and keep the ones that reach the plan.
        drawn = random_questionnaires(count * 4, seed)
        inputs = []
        for answers in drawn:
            beyond_gate = {k: v for k, v in answers.items() if k not in gate_fields}
            candidate = {**beyond_gate, **rng.choice(bases)}
            if not recommender.recommend(candidate).stopped_early:
                inputs.append(candidate)
            if len(inputs) == count:
                return inputs
    raise RuntimeError(f"only {len(inputs)} of {count * 4} drawn questionnaires reach the plan")


class _Spy:
    """An Evaluator that records each fact on its way to the real one."""

    def __init__(self, engine: Evaluator) -> None:
        self.engine = engine
        self.facts: list[tuple[str, dict[str, Any]]] = []

    def evaluate(self, ruleset: str, fact: Mapping[str, Any]) -> Sequence[str]:
        self.facts.append((ruleset, dict(fact)))
        return self.engine.evaluate(ruleset, fact)


def pipeline_facts(
    engine: Evaluator, stages: Sequence[CompiledStage], inputs: Sequence[Any]
) -> Facts:
    """The facts the pipeline asserts for each input (recorded through a spy engine)."""
    recorded: Facts = []
    for item in inputs:
        spy = _Spy(engine)
        run_pipeline(spy, stages, item)
        recorded.append(spy.facts)
    return recorded
