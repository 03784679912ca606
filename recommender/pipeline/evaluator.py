"""What the pipeline needs from a rule engine, as a protocol both engines meet structurally.

Production evaluates with the durable-rules adapter (`engine.adapter.RuleEngine`); the proof
tools enumerate with a pure-Python oracle (`proof._oracle.OracleEngine`). Typing the pipeline
against this protocol instead of either class lets it run over both without a `cast`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class Evaluator(Protocol):
    """Evaluates one stage's fact: the rules of a compiled stage that fire on it."""

    def evaluate(self, ruleset: str, fact: Mapping[str, Any]) -> Sequence[str]:
        """The actions fired by the stage `ruleset` (its `ruleset_name`) on `fact` (as
        `engine.compiler.encode_fact` builds it), each once, in firing order."""
        ...
