"""A pure-Python evaluator of the engine-neutral rule conditions, for `verify` to enumerate with.

It mirrors `compiler.compile_condition` exactly (negation pushed to the leaves, and a test on
an absent field never matches except `present: false`), so it can stand in for durable-rules
when millions of stage inputs are enumerated. It is never trusted alone: `verify` replays one
input of every distinct stage outcome through the real engine, and the test suite compares the
two on every rule example and on a large sample of enumerated inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..engine.compiler import CompiledStage
from ..rulebase.conditions import Context, Predicate, predicate
from ..rulebase.model import LoadedRule


class StageOracle:
    """Which rules of one compiled stage fire on a context, in the engine's firing order."""

    def __init__(self, compiled: CompiledStage) -> None:
        self.compiled = compiled
        ordered = sorted(compiled.stage.rules, key=lambda rule: (rule.rule.priority, rule.order))
        action_of = {rule.id: action for action, rule in compiled.action_rules.items()}
        self._rules: list[tuple[str, Predicate]] = [
            (action_of[rule.id], predicate(rule.rule.when)) for rule in ordered
        ]

    def fired(self, context: Context) -> list[str]:
        """The actions of the rules whose condition holds, lowest priority number first."""
        return [action for action, holds in self._rules if holds(context)]

    def fired_rules(self, context: Context) -> list[LoadedRule]:
        return [self.compiled.action_rules[action] for action in self.fired(context)]


def decode_fact(compiled: CompiledStage, fact: Mapping[str, Any]) -> dict[str, Any]:
    """The context an encoded fact came from (list fields back from value -> bool maps)."""
    context: dict[str, Any] = {}
    for name, spec in compiled.stage.inputs.items():
        if name not in fact:
            continue
        value = fact[name]
        if spec.kind == "multi":
            value = tuple(option for option, chosen in value.items() if chosen)
        context[name] = value
    return context


class OracleEngine:
    """Duck-types `RuleEngine.evaluate` with the oracle, so `run_pipeline` runs unchanged."""

    def __init__(self, stages: Sequence[CompiledStage]) -> None:
        self._oracles = {stage.ruleset_name: StageOracle(stage) for stage in stages}

    def evaluate(self, ruleset: str, fact: Mapping[str, Any]) -> list[str]:
        oracle = self._oracles[ruleset]
        return oracle.fired(decode_fact(oracle.compiled, fact))
