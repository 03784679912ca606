"""How processes share one walk: every process walks the cheap first stages whole, then keeps
its share of the states, and walks those to the end.

States are shared out in groups that agree on what is assigned and, for each rule base, on how
far it has got, where it stopped and what it has derived; a group's states differ only in their
kept answers, their cards, bookings and alarm so far, and the safety tables' verdict. That
keeps together the two kinds of work one process does once for many states. The next stage's
folds are memoised on the track's derived values and the answers the stage reads, so states of
one group share them.
And states that differ only in an answer the stage reads, and stops carrying, merge after it
into one state.

On the shipped rule base (2026-12-03, one machine, CPU seconds, a timer around each step) the
two shares took 202 s and 197 s against one walk's 345 s (untimed), and held 175,888 end
classes against its 158,164. Grouped by the answers the stage reads, they held 232,482 end
classes and took 453 s in all. Grouped by the kept answers it does not read, 177,078, but in
218 s and 200 s: in repr order, groups of one size went to the processes by turns, so each got
every other track, and a track's derived values decide how many end classes its states give
(115,588 against 61,490).

Groups go, largest first, to the process with the fewest states so far; groups of one size in
the order of a digest of their repr, so that neighbours in that order are unrelated and no
kind of group goes to one process. Any split of the states is exact (each state is walked by
exactly one process); the grouping only saves repeated work. Every process must compute the
same split: the repr of a set of strings follows string hashing, so the pool starts every
process with one hash seed (`progress`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ._plan import StepPlan
from ._walk_types import StateData, StateKey

SHARED_STAGE = 2
"""The stage (its index in a rule base) before which the walk is shared out: the gate and
classify are a few seconds of the shipped walk, screen and plan almost all of it."""


def shard_step(plan: StepPlan) -> int:
    """The step before which the states are shared: the first step of `SHARED_STAGE` (or of
    the last stage, for a shorter rule base), never before the first step's states exist."""
    depth = max(k for _, k in plan.steps) + 1
    stage = min(SHARED_STAGE, depth - 1)
    return max(1, next(index for index, (_, k) in enumerate(plan.steps) if k == stage))


def share_of(
    states: dict[StateKey, StateData], shard: tuple[int, int]
) -> dict[StateKey, StateData]:
    """Process `shard[0]`'s share of `states` (those before `shard_step`) out of `shard[1]`."""
    number, count = shard
    groups: dict[Any, list[StateKey]] = {}
    for key in states:
        groups.setdefault(_group_of(key), []).append(key)
    loads = [0] * count
    mine: set[StateKey] = set()
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), _scattered(item[0])))
    for _, members in ordered:
        least = loads.index(min(loads))
        loads[least] += len(members)
        if least == number:
            mine.update(members)
    return {key: data for key, data in states.items() if key in mine}


def _group_of(key: StateKey) -> tuple[Any, ...]:
    """What the states of one group share (the module docstring)."""
    tracks = tuple((track.derived, track.stopped_at, track.done) for track in key.tracks)
    return (tuple(sorted(key.assigned)), tracks)


def _scattered(group: tuple[Any, ...]) -> bytes:
    """A group's place among the groups of its size, unrelated to what the group holds."""
    return hashlib.blake2b(repr(group).encode(), digest_size=8).digest()
