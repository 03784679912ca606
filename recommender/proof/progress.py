"""How far a `verify` or `diff` walk has got, reported from its worker processes.

A walk takes minutes, split into shards that run in a pool of processes. Each shard ticks
`CHUNKS` times per stage step (`ReportingWalk`) and once per later phase; the ticks travel
to the parent over a queue, which calls `progress(done, total)` as they arrive, so a
terminal can show a bar. Without a `progress` callback nothing is reported and nothing
changes in the walk.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from ._walk import StateData, StateKey, Walk

Progress = Callable[[int, int], None]
"""Called with (ticks done, ticks in all) as a walk goes on."""
T = TypeVar("T")

_ticks: Any = None
"""In a worker: the queue the parent reads; in a one-process run: a plain callable."""


def tick() -> None:
    """One more piece of a shard done (a no-op when nobody asked for progress)."""
    if _ticks is None:
        return
    if callable(_ticks):
        _ticks()
    else:
        _ticks.put(1)


def _use_queue(ticks: Any) -> None:
    """Pool initializer: the queue is inherited by each worker as it starts."""
    global _ticks
    _ticks = ticks


CHUNKS = 20
"""Ticks per stage step: one stage can take most of a walk, so it reports as it goes."""


class ReportingWalk(Walk):
    """A walk that takes each stage step in `CHUNKS` slices of its states, ticking after each.

    A step handles each state on its own and merges what it reaches keeping the first
    example, so stepping the slices in order and merging them the same way gives the very
    states one step over all of them gives.
    """

    def _step(self, index: int, states: dict[StateKey, StateData]) -> dict[StateKey, StateData]:
        items = list(states.items())
        merged: dict[StateKey, StateData] = {}
        for chunk in range(CHUNKS):
            part = items[chunk * len(items) // CHUNKS : (chunk + 1) * len(items) // CHUNKS]
            if part:
                for key, data in super()._step(index, dict(part)).items():
                    self._merge(merged, key, data.weight, data.example)
            tick()
        return merged


def run_shards(
    function: Callable[..., T],
    arguments: Sequence[tuple[Any, ...]],
    total: int,
    progress: Progress | None,
) -> list[T]:
    """`function(*args)` for each shard: in this process for one shard, else in a pool of
    one process per shard; `progress` hears every tick of every shard."""
    global _ticks
    done = 0

    def heard(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(min(done, total), total)

    if progress is not None:
        progress(0, total)
    if len(arguments) == 1:
        _ticks = heard if progress is not None else None
        try:
            return [function(*arguments[0])]
        finally:
            _ticks = None
    context = multiprocessing.get_context("spawn")
    # A SimpleQueue writes each tick to the pipe in `put` itself (a Queue hands it to a
    # feeder thread), so once a shard's result is back every tick it made can be read:
    # none is still on its way when the last drain runs.
    ticks = context.SimpleQueue() if progress is not None else None
    with (
        one_hash_seed(),
        context.Pool(len(arguments), initializer=_use_queue, initargs=(ticks,)) as pool,
    ):
        pending = pool.starmap_async(function, arguments)
        while ticks is not None:
            finished = pending.ready()  # before draining: then the drain gets every tick
            _drain(ticks, heard)
            if finished:
                break
            pending.wait(0.2)
        results = pending.get()
    if ticks is not None:
        ticks.close()
    return results


@contextmanager
def one_hash_seed() -> Iterator[None]:
    """Start every worker with the same string-hash seed.

    Each worker walks the first stages itself and keeps its share of the states, grouped
    and ordered by a digest of their `repr` (`sharding`); a set's repr follows string
    hashing, which a spawned interpreter seeds at random. With one seed, every worker orders
    the states alike, so the shards split them exactly (no state walked twice or missed)
    whatever sets they hold.
    """
    before = os.environ.get("PYTHONHASHSEED")
    if before is None or before == "random":
        os.environ["PYTHONHASHSEED"] = "0"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = before


def _drain(ticks: Any, heard: Callable[[int], None]) -> None:
    """Hand on every tick waiting in the queue."""
    count = 0
    while not ticks.empty():
        ticks.get()
        count += 1
    if count:
        heard(count)
