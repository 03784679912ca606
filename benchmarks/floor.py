"""The floors the adapter is measured against, on the rule sets the compiler wrote.

`RawEngine` is bare calls into durable-rules' C engine (assert, take each firing and do
nothing, delete the session); `HostEngine` is durable-rules' own Python host with no-op actions
and no background threads. Both need a catch-all rule like the adapter's sentinel: without an
action a session cannot be deleted safely (docs/durable-rules-notes.md 3.4). This is the one
benchmark module that speaks durable-rules: a floor under the engine adapter has to.
"""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import durable_rules_engine as c_engine
import orjson
from durable import engine as durable_engine

from recommender.engine.compiler import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE, CompiledStage

CATCH_ALL_PRIORITY = 65000
"""The lowest priority, as the adapter gives its sentinel."""


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    def __init__(self, names: Sequence[str]) -> None:
        self._names = set(names)
        super().__init__()

    def _run(self) -> None:
        """No background dispatcher."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return _noop


def _noop(context: Any) -> None:
    """A no-op action (exactly one parameter: synchronous)."""


def _with_catch_all(stages: Sequence[CompiledStage], prefix: str) -> dict[str, Any]:
    """The stages' rule sets under new names, each with a no-op catch-all at the lowest
    priority, as the adapter adds its sentinel."""
    definitions = {
        f"{prefix}-{stage.ruleset_name}": copy.deepcopy(dict(stage.definition)) for stage in stages
    }
    for rules in definitions.values():
        rules["catch_all"] = {
            "pri": CATCH_ALL_PRIORITY,
            "all": [{"m": {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}}],
            "run": "catch_all",
        }
    return definitions


class RawEngine:
    """The floor: bare C engine calls on the same rule sets. Assert, take every firing without
    looking at it, delete the session. No checks of any kind; sids from a counter."""

    def __init__(self, stages: Sequence[CompiledStage]) -> None:
        self._handles: dict[str, int] = {}
        for stage, (name, rules) in zip(
            stages, _with_catch_all(stages, "bare").items(), strict=True
        ):
            for rule in rules.values():
                del rule["run"]
            self._handles[stage.ruleset_name] = c_engine.create_ruleset(
                name, orjson.dumps(rules).decode()
            )
        self._sids = itertools.count()

    def evaluate(self, ruleset: str, fact: dict[str, Any]) -> None:
        handle = self._handles[ruleset]
        sid = str(next(self._sids))
        _, state = c_engine.assert_fact(handle, orjson.dumps({**fact, "sid": sid}).decode())
        message = c_engine.start_action_for_state(handle, state)
        while message is not None:
            message = c_engine.complete_and_start_action(handle, state)
        c_engine.delete_state(handle, sid)

    def close(self) -> None:
        for handle in self._handles.values():
            c_engine.delete_ruleset(handle)


class HostEngine:
    """durable-rules' own Python host (quiet: no background threads) on the same rule sets:
    no-op actions, a fresh uuid sid per fact, `delete_state`. No other checks."""

    def __init__(self, stages: Sequence[CompiledStage]) -> None:
        definitions = _with_catch_all(stages, "host")
        self._names = {stage.ruleset_name: f"host-{stage.ruleset_name}" for stage in stages}
        actions = {rule["run"] for rules in definitions.values() for rule in rules.values()}
        self.host = _QuietHost(sorted(actions))
        self.host.register_rulesets(definitions)

    def evaluate(self, ruleset: str, fact: dict[str, Any]) -> None:
        name = self._names[ruleset]
        sid = uuid.uuid4().hex
        try:
            self.host.assert_fact(name, {**fact, "sid": sid})
        finally:
            self.host.delete_state(name, sid)
