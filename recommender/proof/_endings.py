"""The end of the walk: each state's remaining answers enumerated into end classes.

After the last stage only the invariants and the programme builder still read answers, so
the answers no stage read are enumerated only as finely as those two tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._space import ABSENT, PROGRAMME_FIELDS, Space, expansions
from ._walk_types import OFFER, StateData, StateKey, Terminal


def end_classes(space: Space, key: StateKey, data: StateData) -> Iterator[Terminal]:
    """The end classes of one state after the last stage: the answers no stage read but the
    invariants do enumerated, the programme's answers cut finer where one is offered."""
    if space.partial and any(track.stopped_at is None for track in key.tracks):
        return  # a partial questionnaire the gate does not stop is rejected as incomplete
    fresh = [
        g for g in space.groups_for(space.invariant_fields) if not set(g.fields) <= key.assigned
    ]
    assigned = key.assigned | {name for g in fresh for name in g.fields}
    unassigned = [name for name in space.fields if name not in assigned]
    filler = {} if space.partial else space.filler(unassigned)
    offers = any(dict(track.derived).get("exercise_programme") == OFFER for track in key.tracks)
    for values, weight in expansions(fresh):
        assignment = {**filler, **data.example, **values}
        for variant, numerator, denominator in _variants(space, assignment, assigned, offers):
            total = data.weight * weight * numerator // denominator
            yield Terminal(variant, total, key.tracks)


def _variants(
    space: Space, assignment: Mapping[str, Any], assigned: frozenset[str], offers: bool
) -> list[tuple[dict[str, Any], int, int]]:
    """The assignment, with each programme field cut finer where a programme is offered.

    Returns (assignment, weight numerator, denominator): a field already enumerated in a
    coarse class shares that class's weight; one not yet enumerated brings its own.
    """
    variants: list[tuple[dict[str, Any], int, int]] = [(dict(assignment), 1, 1)]
    cut: set[str] = set()
    if offers and not space.partial:
        cut = set(PROGRAMME_FIELDS)
        for name in PROGRAMME_FIELDS:
            options: list[tuple[Any, int, int]]
            if name in assigned:
                options = space.refine(name, assignment[name])
            else:
                options = [(v, w, 1) for v, w in space.fine[name].members if v is not ABSENT]
            variants = [
                ({**values, name: value}, numerator * weight, denominator * total)
                for values, numerator, denominator in variants
                for value, weight, total in options
            ]
    rest = 1
    if not space.partial:
        for group in space.groups_for(space.fields):
            if not set(group.fields) & (assigned | cut):
                rest *= space.weight_unread(group, assignment)
    return [(values, numerator * rest, denominator) for values, numerator, denominator in variants]
