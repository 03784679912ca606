"""The durable-rules adapter: the only module that imports `durable`.

It follows ../shared/notes/durable-rules.md: a quiet host (no background dispatcher that could
steal a firing), a fresh session id per evaluation deleted in `finally`, a sentinel rule that
proves the whole evaluation ran in the calling thread, action errors re-raised instead of
swallowed, live sessions kept below the engine's cap of 1024 per rule set (callers wait), and
session ids whose hashes never clash with a live one. Safe to share between threads: the C
extension holds the GIL for every call and each evaluation keeps its scratch in a
thread-local.
"""

from __future__ import annotations

import contextlib
import copy
import math
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import durable_rules_engine
import orjson
from durable import engine as durable_engine

from .compiler import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE, fnv1a32
from .errors import EvaluationError

# engine._unix_now builds two datetimes per action and is only ever used for differences;
# time.time is equivalent, cheaper, and avoids a DeprecationWarning per action on 3.12.
durable_engine._unix_now = time.time


class _OrjsonCodec:
    """`json` as durable-rules' engine module uses it (dumps with ensure_ascii, loads), via
    orjson: the engine re-serialises the state and every matched fact around each action, and
    this halves that cost (notes section 6). Facts reach the engine validated (no NaN, no
    infinity, integers in range), so orjson's stricter output changes nothing they contain.
    """

    @staticmethod
    def dumps(value: Any, ensure_ascii: bool = False) -> str:
        return orjson.dumps(value).decode()

    loads = staticmethod(orjson.loads)


durable_engine.json = _OrjsonCodec

SESSION_CAP = 1024
DEFAULT_MAX_LIVE = 1000
SENTINEL_PRIORITY = 65000
_SENTINEL = "__done__"


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """`durable.engine.Host` without its timer threads; actions bound from a dict."""

    def __init__(self, actions: Mapping[str, Callable[[Any], None]]) -> None:
        self._actions = actions
        super().__init__()

    def _run(self) -> None:
        """Do not start the background dispatcher (it can run actions in another thread)."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._actions[action_name]


def _check_numbers(fact: Mapping[str, Any]) -> None:
    """Refuse non-finite numbers, which the stdlib codec sent on for the engine to refuse but
    orjson would quietly write as null."""
    for value in fact.values():
        if isinstance(value, float) and not math.isfinite(value):
            raise EvaluationError(f"the engine refused the fact: {value!r} is not a finite number")
        if isinstance(value, Mapping):
            _check_numbers(value)


class _Scratch(threading.local):
    """Per-thread record of the evaluation running in that thread."""

    fired: list[str]
    errors: list[tuple[str, BaseException]]
    done: bool
    active: bool = False


class RuleEngine:
    """Evaluates one fact at a time against registered rule sets; returns the rules fired."""

    def __init__(
        self,
        rulesets: Mapping[str, Mapping[str, Any]],
        max_live: int = DEFAULT_MAX_LIVE,
        on_fire: Callable[[str], None] | None = None,
    ) -> None:
        """Register `rulesets` on a private quiet host.

        `on_fire(action)` is called inside every rule action, in the evaluating thread: an
        instrumentation hook (and how tests inject a failing or slow action).
        """
        if not 0 < max_live < SESSION_CAP:
            raise ValueError(f"max_live must be between 1 and {SESSION_CAP - 1}")
        self._scratch = _Scratch()
        self._on_fire = on_fire
        # registration pops "run" from each rule, so register a private copy
        definitions: dict[str, dict[str, Any]] = {
            name: copy.deepcopy(dict(rules)) for name, rules in rulesets.items()
        }
        actions: dict[str, Callable[[Any], None]] = {}
        for name, rules in definitions.items():
            if "$state" in name or "$flow" in name:
                raise ValueError(f"rule set name {name!r} is reserved by durable-rules")
            for rule in rules.values():
                actions[rule["run"]] = self._action(rule["run"])
            sentinel = f"{name}:{_SENTINEL}"
            rules[_SENTINEL] = {
                "pri": SENTINEL_PRIORITY,
                "all": [{"m": {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}}],
                "run": sentinel,
            }
            actions[sentinel] = self._finish
        self._host = _QuietHost(actions)
        try:
            self._host.register_rulesets(definitions)
        except Exception as error:  # the C parser reports only a numeric code
            raise EvaluationError(f"durable-rules refused a rule set: {error}") from error
        self._max_live = max_live
        self._slots = {name: threading.BoundedSemaphore(max_live) for name in definitions}
        self._live_hashes: set[int] = set()
        self._live_lock = threading.Lock()
        self._closed = False

    # --- actions (run inside assert_fact, in the calling thread) -----------------------------

    def _action(self, name: str) -> Callable[[Any], None]:
        def action(context: Any) -> None:  # exactly one parameter: a synchronous action
            scratch = self._scratch
            try:
                self._record(name)
            except BaseException as error:  # the engine would keep only str(error)
                if scratch.active:
                    scratch.errors.append((name, error))
                raise

        return action

    def _record(self, name: str) -> None:
        scratch = self._scratch
        if not scratch.active:
            raise EvaluationError(f"rule {name} fired outside its evaluation")
        scratch.fired.append(name)
        if self._on_fire is not None:
            self._on_fire(name)

    def _finish(self, context: Any) -> None:
        if self._scratch.active:
            self._scratch.done = True

    # --- sessions ----------------------------------------------------------------------------

    def _claim_sid(self) -> tuple[str, int]:
        with self._live_lock:
            while True:
                sid = uuid.uuid4().hex
                digest = fnv1a32(sid)
                if digest not in self._live_hashes:
                    self._live_hashes.add(digest)
                    return sid, digest

    def _release_sid(self, digest: int) -> None:
        with self._live_lock:
            self._live_hashes.discard(digest)

    def evaluate(self, ruleset: str, fact: Mapping[str, Any]) -> list[str]:
        """Assert `fact` in a fresh session; return the actions fired, each once, in order."""
        if self._closed:
            raise EvaluationError("the engine is closed")
        _check_numbers(fact)
        scratch = self._scratch
        if scratch.active:
            raise EvaluationError("evaluations cannot nest in one thread")
        with self._slots[ruleset]:
            sid, digest = self._claim_sid()
            scratch.fired, scratch.errors, scratch.done, scratch.active = [], [], False, True
            delete = True
            try:
                try:
                    state = self._host.assert_fact(ruleset, {**fact, "sid": sid})
                except MemoryError as error:  # the engine's session cap: never touch this sid
                    delete = False
                    raise EvaluationError("the engine ran out of sessions") from error
                except (durable_rules_engine.error, orjson.JSONEncodeError) as error:
                    raise EvaluationError(f"the engine refused the fact: {error}") from error
                except (
                    durable_engine.MessageNotHandledException,
                    durable_engine.MessageObservedException,
                ) as error:
                    raise EvaluationError(
                        f"the engine did not handle the fact: {error.message}"
                    ) from None
                if scratch.errors:
                    name, first = scratch.errors[0]
                    raise EvaluationError(f"action {name} failed: {first!r}") from first
                if not isinstance(state, dict) or "exception" in state or not scratch.done:
                    raise EvaluationError(f"evaluation of {ruleset} did not complete")
                return list(dict.fromkeys(scratch.fired))
            finally:
                scratch.active = False
                if delete:
                    # error 309 means no state was created: the fact was refused before matching
                    with contextlib.suppress(durable_rules_engine.error):
                        self._host.delete_state(ruleset, sid)
                self._release_sid(digest)

    @property
    def live_sessions(self) -> int:
        """Sessions open right now, across rule sets (for monitoring and tests)."""
        with self._live_lock:
            return len(self._live_hashes)

    def close(self) -> None:
        """Wait for evaluations in flight, then free the rule sets; no evaluation after this."""
        if self._closed:
            return
        self._closed = True
        for name, slots in self._slots.items():
            for _ in range(self._max_live):
                slots.acquire()
            durable_rules_engine.delete_ruleset(self._host.get_ruleset(name)._handle)
