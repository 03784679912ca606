"""How processes share one walk: every process walks the cheap first stages whole, then keeps
its share of the states, and walks those to the end.

States are shared out in groups that agree on every kept answer the next stage does not read
(and on what is assigned, and on how far each rule base has got and what it has derived). Such
answers pass through the stage unchanged, so states that differ in one stay apart after it and
could merge only where a later step stops keeping that answer: walking the groups in different
processes loses little of the merging one process would do. (Grouping instead by what the next
stage reads kept its memoised folds in one process, but its outcomes, which no longer carry
those answers, merged across processes no more: on the shipped rule base the two shares then
held 232,482 end classes against one walk's 158,164, and took 453 s of CPU against its 345 s;
grouped as here, 177,078 and 382 s, on one machine on 2026-12-03.) Groups go, largest first, to
the process with the fewest states so far. Any split of the states is exact (each state is
walked by exactly one process); the grouping only saves repeated work. Every process must
compute the same split: the groups are ordered by their repr, which for a set of strings
follows string hashing, so the pool starts every process with one hash seed (`progress`).
"""

from __future__ import annotations

from typing import Any

from ._plan import StepPlan
from ._space import NET_FIELDS
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
    plan: StepPlan, index: int, states: dict[StateKey, StateData], shard: tuple[int, int]
) -> dict[StateKey, StateData]:
    """Process `shard[0]`'s share of `states`, the states before step `index` (`shard_step`),
    out of `shard[1]` processes."""
    number, count = shard
    read = _read_by_stage(plan, index)
    groups: dict[Any, list[StateKey]] = {}
    for key in states:
        groups.setdefault(_group_of(key, read), []).append(key)
    loads = [0] * count
    mine: set[StateKey] = set()
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), repr(item[0])))
    for _, members in ordered:
        least = loads.index(min(loads))
        loads[least] += len(members)
        if least == number:
            mine.update(members)
    return {key: data for key, data in states.items() if key in mine}


def _read_by_stage(plan: StepPlan, index: int) -> frozenset[str]:
    """Every answer and derived value the steps of step `index`'s stage read, and the safety
    tables' answers (the stage's verdict reads them)."""
    stage = plan.steps[index][1]
    names = {
        n for step, (_, k) in enumerate(plan.steps) if k == stage for n in plan.input_names[step]
    }
    return frozenset(names | set(NET_FIELDS))


def _group_of(key: StateKey, read: frozenset[str]) -> tuple[Any, ...]:
    """What of a state the next stage hands on untouched (the module docstring)."""
    kept = tuple((n, v) for n, v in key.kept if n not in read)
    tracks = tuple((track.derived, track.stopped_at, track.done) for track in key.tracks)
    return (kept, tuple(sorted(key.assigned)), tracks)
