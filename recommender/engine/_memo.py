"""A bounded memo of an engine's decisions: (rule set, a fact's exact text) -> the actions fired.

Why it is exact: the key is the fact as the adapter hands it to durable-rules (the same
orjson bytes, before the session id is added), and each evaluation runs in a fresh session
of its own that is deleted afterwards, so the engine's answer is a function of those bytes
and the rule set alone. The fact holds only the fields the stage's rules read
(`compiler.encode_fact`), and the compiler checks at load that each compiled pattern tests
nothing else (`compiler._check_tested_fields`), so the key is exactly what the rules behind
the decision read. Every entry was decided by durable-rules; a hit replays that decision.

Why it is bounded: a clinic's server runs for months. The memo holds at most `budget` bytes,
each entry charged its key's length plus `ENTRY_OVERHEAD`, dropping the least recently used
entries first, so its memory has a ceiling however many distinct questionnaires it sees
(`benchmarks.throughput` prints what it holds and its hit rates). One memo serves all of an
engine's rule sets, so a stage whose facts seldom repeat cannot keep room another would use.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

ENTRY_OVERHEAD = 224
"""Bytes an entry takes besides its fact text, measured with tracemalloc on CPython 3.11 (the
key tuple and bytes headers, the actions tuple, the ordered map's slot and link)."""


@dataclass(frozen=True)
class MemoStats:
    """What the memo has done for one rule set since it was made (or last cleared)."""

    hits: int
    misses: int
    entries: int
    charged: int
    """The bytes its entries are charged now (fact text plus `ENTRY_OVERHEAD` each)."""

    @property
    def hit_rate(self) -> float:
        looked_up = self.hits + self.misses
        return self.hits / looked_up if looked_up else 0.0


Key = tuple[str, bytes]
"""(rule set name, the fact's orjson text)."""


@dataclass
class _Counts:
    hits: int = 0
    misses: int = 0
    entries: int = 0
    charged: int = 0


class DecisionMemo:
    """Least-recently-used map from fact text to fired actions, safe to share between threads."""

    def __init__(self, budget: int) -> None:
        if budget < 1:
            raise ValueError("a memo's budget must be at least one byte")
        self.budget = budget
        self._entries: OrderedDict[Key, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self._charged = 0
        self._counts: dict[str, _Counts] = {}

    def get(self, key: Key) -> tuple[str, ...] | None:
        """The actions fired on this exact fact before, or None (counted as a miss)."""
        with self._lock:
            found = self._entries.get(key)
            counts = self._counts_of(key[0])
            if found is None:
                counts.misses += 1
                return None
            self._entries.move_to_end(key)
            counts.hits += 1
            return found

    def put(self, key: Key, actions: tuple[str, ...]) -> None:
        """Remember a decision durable-rules made, dropping the oldest entries to stay in budget."""
        cost = len(key[1]) + ENTRY_OVERHEAD
        if cost > self.budget:
            return
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return
            self._entries[key] = actions
            self._charge(key[0], cost, 1)
            while self._charged > self.budget:
                dropped, _ = self._entries.popitem(last=False)
                self._charge(dropped[0], -(len(dropped[1]) + ENTRY_OVERHEAD), -1)

    def _counts_of(self, ruleset: str) -> _Counts:
        counts = self._counts.get(ruleset)
        if counts is None:  # not setdefault: that would build a _Counts on every call
            counts = self._counts[ruleset] = _Counts()
        return counts

    def _charge(self, ruleset: str, cost: int, entries: int) -> None:
        counts = self._counts_of(ruleset)
        counts.charged += cost
        counts.entries += entries
        self._charged += cost

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()
            self._charged = 0

    def stats(self) -> dict[str, MemoStats]:
        """Per rule set looked up, its hits, misses and what it holds now."""
        with self._lock:
            return {
                name: MemoStats(c.hits, c.misses, c.entries, c.charged)
                for name, c in self._counts.items()
            }
