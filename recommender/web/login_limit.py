"""Login attempts, rate-limited: a few failures per account name (more per address), then
a pause.

A small in-process counter rather than Flask-Limiter: the limit is about failed sign-ins
only (not every request), must count per account name as well as per address, and needs no
storage service. Each worker process counts on its own, so with N workers an attacker gets
at most N times the allowance, still a handful of guesses per quarter hour.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
"""Failures allowed per account name in the window."""
ADDRESS_FACTOR = 5
"""An address may fail five times as often: behind a reverse proxy every clinician may
share one address, and a few mistyped passwords must not lock them all out."""
WINDOW_SECONDS = 15 * 60


class LoginLimiter:
    """Failed attempts in the last window, by key ("name:..." and "address:...")."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_failures
        self._window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        kept = self._failures.setdefault(key, deque())
        while kept and kept[0] <= now - self._window:
            kept.popleft()
        return kept

    def _limit(self, key: str) -> int:
        return self._max * ADDRESS_FACTOR if key.startswith("address:") else self._max

    def blocked(self, keys: list[str]) -> bool:
        """Whether any of these keys has used up its failures for now."""
        with self._lock:
            now = self._clock()
            return any(len(self._recent(key, now)) >= self._limit(key) for key in keys)

    def failed(self, keys: list[str]) -> None:
        with self._lock:
            now = self._clock()
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    @property
    def minutes(self) -> int:
        return int(self._window // 60)
