"""The durable-rules adapter: the only module that imports durable-rules.

It drives durable-rules' C engine directly (the "lean driver" of
docs/durable-rules-notes.md section 6) instead of through the package's Python `Host`:
assert the fact, then take the fired rules one by one from the fact's own session with
`start_action_for_state` / `complete_and_start_action`. Our actions only record the rule's
name, so running them through the host bought nothing but cost: the host re-serialises the
session state and re-parses every matched fact around each action, which was most of an
evaluation's time. Going direct also removes the host's hazards by construction: no background
dispatcher exists to steal a firing, and no action error can be swallowed, because the loop
that takes the firings is ours and runs in the calling thread.

Kept from the notes: a session of its own per evaluation, deleted in `finally`; a sentinel rule
at the lowest priority that proves the whole agenda was taken (and that the session ran an
action, without which deleting it can crash the process); live sessions kept below the engine's
cap of 1024 per rule set (callers wait); session ids whose hashes never clash. Session ids are
drawn from a pool per rule set and reused once their session is deleted: drawing a fresh id
and checking its hash cost a quarter of an evaluation. Safe to share between threads: every C
call holds the GIL, and each evaluation only ever touches its own session.

Optionally (`memo_bytes`), the engine keeps a bounded memo of the decisions durable-rules
made, keyed on the rule set and the fact's exact text (`_memo.py` says why that is exact): the
same fact again is answered without a session, after the same checks.

This relies on durable-rules' private C API and its message format, so the version is pinned
(pyproject.toml) and tests/test_engine.py exercises every path.
"""

from __future__ import annotations

import copy
import math
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from ..contract.errors import EvaluationError
from ._fact_format import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE, fnv1a32
from ._memo import DecisionMemo
from ._memo import MemoStats as MemoStats  # public here: the facade reports it
from .native import load_engine

c_engine = load_engine()

SESSION_CAP = 1024
DEFAULT_MAX_LIVE = 1000
SENTINEL_PRIORITY = 65000
_SENTINEL = "__done__"

# assert_fact's status codes (durable-rules rules.h): handled, no rule matched, fact already
# seen, and handed to an asynchronous store.
_HANDLED, _NOT_HANDLED, _OBSERVED = 0, 1, 2
_REFUSALS = {
    _NOT_HANDLED: "no rule handled the fact",
    _OBSERVED: "the fact was already observed",
}


def _check_fact(fact: Mapping[str, Any]) -> None:
    """Refuse what the engine must never see: a fact without our discriminator (no rule, not
    even the sentinel, would handle it, and its session could not be deleted safely), and
    non-finite numbers (JSON has no spelling for them; orjson would quietly write null)."""
    if fact.get(DISCRIMINATOR_KEY) != DISCRIMINATOR_VALUE:
        raise EvaluationError(
            f"the engine refused the fact: {DISCRIMINATOR_KEY} must be {DISCRIMINATOR_VALUE!r}"
        )
    _check_numbers(fact)


_PLAIN = frozenset({str, bool, int})
"""Value types that need no look: most of a fact, so they are passed over first."""


def _check_numbers(fact: Mapping[str, Any]) -> None:
    for value in fact.values():
        kind = type(value)
        if kind in _PLAIN:
            continue
        if kind is float and not math.isfinite(value):
            raise EvaluationError(f"the engine refused the fact: {value!r} is not a finite number")
        if isinstance(value, dict):
            _check_numbers(value)


def _fired_rule(message: str) -> str:
    """The rule named by a firing message, `{"<rule name>": {...matched facts...}}`.

    Rule names are ours (compiler ids, no quotes or escapes), so the name is the text up to
    the first closing quote; the caller checks it is one of the rule set's rules.
    """
    end = message.find('"', 2)
    if not message.startswith('{"') or end < 0:
        raise EvaluationError(f"unexpected message from the engine: {message[:80]!r}")
    return message[2:end]


class _SessionIds:
    """The session ids of one rule set: at most `limit` in use at once, reused when released.

    Every id ever made (across the engine's rule sets) has its own 32-bit FNV-1a hash, the
    only thing the C engine tells sessions apart by. A caller finding all `limit` ids in use
    waits for one.
    """

    def __init__(self, limit: int, hashes: set[int], hashes_lock: threading.Lock) -> None:
        self._limit = limit
        self._free: list[str] = []
        self._made = 0
        self._closed = False
        # Held directly (a C-level context manager) on the fast paths; the condition shares it.
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._waiting = 0
        self._hashes = hashes
        self._hashes_lock = hashes_lock

    def claim(self) -> str:
        with self._lock:
            while not self._free and self._made >= self._limit and not self._closed:
                self._waiting += 1
                try:
                    self._ready.wait()
                finally:
                    self._waiting -= 1
            if self._closed:
                raise EvaluationError("the engine is closed")
            if self._free:
                return self._free.pop()
            self._made += 1
        return self._new_id()

    def _new_id(self) -> str:
        with self._hashes_lock:
            while True:
                sid = uuid.uuid4().hex
                digest = fnv1a32(sid)
                if digest not in self._hashes:
                    self._hashes.add(digest)
                    return sid

    def release(self, sid: str) -> None:
        with self._lock:
            self._free.append(sid)
            if self._waiting:
                self._ready.notify()

    def retire(self, sid: str) -> None:
        """Never use `sid` again (its hash stays taken); a new id may replace it."""
        with self._lock:
            self._made -= 1
            if self._waiting:
                self._ready.notify()

    @property
    def in_use(self) -> int:
        with self._lock:
            return self._made - len(self._free)

    def drain(self) -> None:
        """Wait until no id is in use; then refuse every claim, waiting callers included."""
        with self._lock:
            while self._made != len(self._free):
                self._waiting += 1
                try:
                    self._ready.wait()
                finally:
                    self._waiting -= 1
            self._closed = True
            self._free.clear()
            self._made = 0
            self._ready.notify_all()


@dataclass(frozen=True)
class _RuleSet:
    """One rule set created in the C engine: its handle and each rule's action name."""

    handle: int
    actions: Mapping[str, str]
    """Rule name (as the engine reports a firing) -> our action name (`run`)."""
    sids: _SessionIds


class _Active(threading.local):
    """Whether the current thread is inside an evaluation (they cannot nest)."""

    evaluating: bool = False


class RuleEngine:
    """Evaluates one fact at a time against registered rule sets; returns the rules fired."""

    def __init__(
        self,
        rulesets: Mapping[str, Mapping[str, Any]],
        max_live: int = DEFAULT_MAX_LIVE,
        on_fire: Callable[[str], None] | None = None,
        memo_bytes: int = 0,
    ) -> None:
        """Create `rulesets` in the C engine, each with a sentinel rule.

        `on_fire(action)` is called for every firing, in the evaluating thread, as the
        firing is taken: an instrumentation hook (and how tests inject a failing action).
        `memo_bytes` > 0 keeps a memo of decisions within that many bytes; a remembered
        decision takes no firing, so it cannot be combined with `on_fire`.
        """
        if not 0 < max_live < SESSION_CAP:
            raise ValueError(f"max_live must be between 1 and {SESSION_CAP - 1}")
        if memo_bytes < 0:
            raise ValueError("memo_bytes must be 0 (no memo) or more")
        if memo_bytes and on_fire is not None:
            raise ValueError("a memo answers without firings, so on_fire would miss them")
        self._memo = DecisionMemo(memo_bytes) if memo_bytes else None
        self._active = _Active()
        self._on_fire = on_fire
        self._hashes: set[int] = set()
        self._hashes_lock = threading.Lock()
        self._rulesets: dict[str, _RuleSet] = {}
        try:
            for name, rules in rulesets.items():
                self._rulesets[name] = self._create(name, rules, max_live)
        except BaseException:
            self._delete_all()
            raise
        self._closed = False

    def _create(self, name: str, rules: Mapping[str, Any], max_live: int) -> _RuleSet:
        if "$state" in name or "$flow" in name:
            raise ValueError(f"rule set name {name!r} is reserved by durable-rules")
        if _SENTINEL in rules:
            raise ValueError(f"rule name {_SENTINEL!r} is reserved for the sentinel")
        for rule in rules:
            if '"' in rule or "\\" in rule:  # a firing names its rule in JSON (_fired_rule)
                raise ValueError(f"rule name {rule!r} must not contain a quote or backslash")
        definition = {rule: copy.deepcopy(dict(body)) for rule, body in rules.items()}
        actions = {rule: body.pop("run") for rule, body in definition.items()}
        definition[_SENTINEL] = {
            "pri": SENTINEL_PRIORITY,
            "all": [{"m": {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}}],
        }
        try:
            handle = c_engine.create_ruleset(name, orjson.dumps(definition).decode())
        except Exception as error:  # the C parser reports only a numeric code
            raise EvaluationError(f"durable-rules refused rule set {name}: {error}") from error
        return _RuleSet(handle, actions, _SessionIds(max_live, self._hashes, self._hashes_lock))

    def evaluate(self, ruleset: str, fact: Mapping[str, Any]) -> list[str]:
        """Assert `fact` in a session of its own; return the actions fired, each once, in order.

        With a memo, a fact whose exact text this rule set evaluated before gets the actions
        durable-rules fired then, after the same checks, without a session.
        """
        if self._closed:
            raise EvaluationError("the engine is closed")
        if self._active.evaluating:
            raise EvaluationError("evaluations cannot nest in one thread")
        _check_fact(fact)
        target = self._rulesets[ruleset]
        if self._memo is None:
            return self._assert(ruleset, target, fact)
        try:
            key = (ruleset, orjson.dumps(fact))
        except (orjson.JSONEncodeError, TypeError) as error:
            raise EvaluationError(f"the engine refused the fact: {error}") from error
        known = self._memo.get(key)
        if known is not None:
            return list(known)
        fired = self._assert(ruleset, target, fact)
        self._memo.put(key, tuple(fired))
        return fired

    def _assert(self, ruleset: str, target: _RuleSet, fact: Mapping[str, Any]) -> list[str]:
        """Evaluate `fact` in a fresh session of `target`, deleted (or retired) afterwards."""
        sid = target.sids.claim()
        self._active.evaluating = True
        started = False
        reusable = True
        try:
            try:
                text = orjson.dumps({**fact, "sid": sid}).decode()
                status, state = c_engine.assert_fact(target.handle, text)
            except MemoryError as error:  # the engine's session cap: never touch this sid
                reusable = False
                raise EvaluationError("the engine ran out of sessions") from error
            except (c_engine.error, orjson.JSONEncodeError, TypeError) as error:
                raise EvaluationError(f"the engine refused the fact: {error}") from error
            if status != _HANDLED:
                reason = _REFUSALS.get(status, f"status {status}")
                raise EvaluationError(f"the engine did not handle the fact: {reason}")
            first = c_engine.start_action_for_state(target.handle, state)
            started = first is not None
            return self._take_firings(ruleset, target, state, first[1] if first else None)
        finally:
            self._active.evaluating = False
            if started:
                try:
                    c_engine.delete_state(target.handle, sid)
                except c_engine.error:
                    reusable = False
            else:
                # A session that ran no action cannot be deleted safely (notes 3.4), and one
                # refused before matching does not exist: either way, never reuse the id.
                reusable = False
            if reusable:
                target.sids.release(sid)
            else:
                target.sids.retire(sid)

    def _take_firings(
        self, ruleset: str, target: _RuleSet, state: int, message: str | None
    ) -> list[str]:
        """Take the session's agenda, highest priority first, up to and including the sentinel."""
        fired: list[str] = []
        while message is not None:
            rule = _fired_rule(message)
            if rule == _SENTINEL:
                if c_engine.complete_and_start_action(target.handle, state) is not None:
                    c_engine.abandon_action(target.handle, state)
                    raise EvaluationError(f"a rule of {ruleset} fired after the sentinel")
                return list(dict.fromkeys(fired))
            action = target.actions.get(rule)
            if action is None:
                c_engine.abandon_action(target.handle, state)
                raise EvaluationError(f"the engine fired an unknown rule {rule!r}")
            fired.append(action)
            if self._on_fire is not None:
                try:
                    self._on_fire(action)
                except Exception as error:
                    c_engine.abandon_action(target.handle, state)
                    raise EvaluationError(f"action {action} failed: {error!r}") from error
            message = c_engine.complete_and_start_action(target.handle, state)
        raise EvaluationError(f"evaluation of {ruleset} did not complete")

    @property
    def live_sessions(self) -> int:
        """Sessions open right now, across rule sets (for monitoring and tests)."""
        return sum(target.sids.in_use for target in self._rulesets.values())

    def memo_stats(self) -> dict[str, MemoStats]:
        """Per rule set, what the memo has done for it (empty when the engine keeps no memo)."""
        return self._memo.stats() if self._memo is not None else {}

    def clear_memo(self) -> None:
        """Forget every remembered decision and reset the counts (benchmarks start cold)."""
        if self._memo is not None:
            self._memo.clear()

    def close(self) -> None:
        """Wait for evaluations in flight, then free the rule sets; no evaluation after this."""
        if self._closed:
            return
        self._closed = True
        for target in self._rulesets.values():
            target.sids.drain()
        self.clear_memo()
        self._delete_all()

    def _delete_all(self) -> None:
        for target in self._rulesets.values():
            c_engine.delete_ruleset(target.handle)
        self._rulesets.clear()
