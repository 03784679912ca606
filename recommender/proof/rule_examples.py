"""Run every rule's own examples through the compiled engine, semgrep-style.

Each rule lists inputs on which it must fire and inputs on which it must not. An example is
a partial stage input: fields it leaves out are unanswered, so no test on them matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..api import Recommender
from ..engine.compiler import CompiledRuleBase, CompiledStage, encode_fact


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    file: str
    expectation: str  # "fire" or "not_fire"
    example: dict[str, Any]
    fired: bool

    @property
    def passed(self) -> bool:
        return self.fired == (self.expectation == "fire")

    def describe(self) -> str:
        verb = "fired" if self.fired else "did not fire"
        return f"{self.file}: rule {self.rule} {verb} on {self.expectation} example {self.example}"


def run_examples(recommender: Recommender) -> list[ExampleResult]:
    """Evaluate every example of every rule; return one result per example."""
    results: list[ExampleResult] = []
    with CompiledRuleBase.of(recommender.rulebase) as target:
        for compiled in target.stages:
            results.extend(_stage_results(target, compiled))
    return results


def _stage_results(target: CompiledRuleBase, compiled: CompiledStage) -> list[ExampleResult]:
    """One result per example of every rule of one compiled stage."""
    results: list[ExampleResult] = []
    action_of = {rule.id: action for action, rule in compiled.action_rules.items()}
    for loaded in compiled.stage.rules:
        examples = loaded.rule.examples
        for expectation, cases in (("fire", examples.fire), ("not_fire", examples.not_fire)):
            for example in cases:
                fact = encode_fact(compiled, example)
                fired = target.engine.evaluate(compiled.ruleset_name, fact)
                results.append(
                    ExampleResult(
                        loaded.id,
                        loaded.file,
                        expectation,
                        dict(example),
                        action_of[loaded.id] in fired,
                    )
                )
    return results
