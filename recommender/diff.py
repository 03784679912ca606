"""`facesym diff`: what changing a rule base would change, over the whole input space.

Old and new are walked together over one space cut by both rule bases' tests (so every class
is a class for both), and each end class compares what the two recommend: pathway, urgency,
category, injectable options and whether an exercise programme is offered. Changes are grouped
by kind; groups touching a red flag (an urgency, or the red-flag pathway, on either side) or an
under-18 questionnaire come first. Counts are of complete questionnaires (class weights).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .api import Recommender
from .invariants import ADULT_AGE
from .loader import load_rulebase
from .recommendation import Recommendation
from .verify import abstract_recommendation
from .verify_space import Space, answers_from
from .verify_walk import Terminal, Track, Walk, stage_key

ASPECTS = ("pathway", "urgency", "category", "injectable_options", "exercise_programme")
Change = tuple[str, Any, Any]


def outcome(rec: Recommendation) -> dict[str, Any]:
    """The compared aspects of a recommendation."""
    return {
        "pathway": rec.pathway,
        "urgency": rec.urgency,
        "category": rec.category,
        "injectable_options": list(rec.injectable_options),
        "exercise_programme": rec.exercise_programme is not None,
    }


def changes_between(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[Change, ...]:
    return tuple(
        (aspect, _plain(old[aspect]), _plain(new[aspect]))
        for aspect in ASPECTS
        if old[aspect] != new[aspect]
    )


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass
class ChangeGroup:
    changes: tuple[Change, ...]
    red_flag: bool
    under_18: bool
    questionnaires: int = 0
    classes: int = 0
    example: dict[str, Any] = field(default_factory=dict)

    @property
    def urgent(self) -> bool:
        return self.red_flag or self.under_18

    def describe(self) -> str:
        return "; ".join(f"{aspect} {old} -> {new}" for aspect, old, new in self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [
                {"aspect": aspect, "old": _json(old), "new": _json(new)}
                for aspect, old, new in self.changes
            ],
            "red_flag": self.red_flag,
            "under_18": self.under_18,
            "questionnaires": self.questionnaires,
            "classes": self.classes,
            "example": self.example,
        }


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass
class DiffReport:
    old: str
    new: str
    groups: list[ChangeGroup]
    questionnaires: int
    classes: int
    same_decisions: bool = False
    """Every stage of the two reads and decides alike (they differ at most in wording), so
    no questionnaire can change and nothing was walked."""

    @property
    def changed(self) -> int:
        return sum(group.questionnaires for group in self.groups)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "questionnaires": self.questionnaires,
            "changed_questionnaires": self.changed,
            "classes": self.classes,
            "same_decisions": self.same_decisions,
            "groups": [group.as_dict() for group in self.groups],
        }


class _Collector:
    def __init__(self, old: Recommender, new: Recommender) -> None:
        self.recommenders = (old, new)
        self.groups: dict[tuple[tuple[Change, ...], bool, bool], ChangeGroup] = {}
        self.questionnaires = 0
        self.classes = 0

    def terminal(self, terminal: Terminal) -> None:
        self.classes += 1
        self.questionnaires += terminal.weight
        recs = [
            abstract_recommendation(rec, track)
            for rec, track in zip(self.recommenders, terminal.tracks, strict=True)
        ]
        old, new = outcome(recs[0]), outcome(recs[1])
        changes = changes_between(old, new)
        if not changes:
            return
        red_flag = any(o["urgency"] is not None or o["pathway"] == "red_flag" for o in (old, new))
        age = terminal.assignment.get("age")
        under_18 = isinstance(age, int) and age < ADULT_AGE
        key = (changes, red_flag, under_18)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = ChangeGroup(
                changes, red_flag, under_18, example=answers_from(terminal.assignment)
            )
        group.questionnaires += terminal.weight
        group.classes += 1


@dataclass
class _Share:
    groups: dict[tuple[tuple[Change, ...], bool, bool], ChangeGroup]
    questionnaires: int
    classes: int


def _run_share(old_dir: str, new_dir: str, shard: tuple[int, int]) -> _Share:
    old, new = Recommender.from_path(old_dir), Recommender.from_path(new_dir)
    try:
        space = Space([old.rulebase, new.rulebase])
        tracks = [Track(r.rulebase, r.compiled_stages) for r in (old, new)]
        collector = _Collector(old, new)
        Walk(space, tracks).run(collector.terminal, shard)
        return _Share(collector.groups, collector.questionnaires, collector.classes)
    finally:
        old.close()
        new.close()


def diff(old_dir: str | Path, new_dir: str | Path, workers: int | None = None) -> DiffReport:
    """Compare two rule bases over the whole enumerated input space."""
    count = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))
    paths = (str(Path(old_dir).resolve()), str(Path(new_dir).resolve()))
    same = _same_decisions(*paths)
    if same is not None:
        return DiffReport(paths[0], paths[1], [], same, 0, same_decisions=True)
    if count == 1:
        shares = [_run_share(*paths, (0, 1))]
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(count) as pool:
            shares = pool.starmap(_run_share, [(*paths, (n, count)) for n in range(count)])
    groups: dict[Any, ChangeGroup] = {}
    for share in shares:
        for key, group in share.groups.items():
            found = groups.setdefault(key, group)
            if found is not group:
                found.questionnaires += group.questionnaires
                found.classes += group.classes
    ordered = sorted(groups.values(), key=lambda g: (not g.urgent, -g.questionnaires))
    return DiffReport(
        paths[0],
        paths[1],
        ordered,
        sum(share.questionnaires for share in shares),
        sum(share.classes for share in shares),
    )


def _same_decisions(old_dir: str, new_dir: str) -> int | None:
    """The number of complete questionnaires if the two rule bases decide alike everywhere.

    `stage_key` holds everything about a stage that a decision reads (conditions, effects,
    priorities, card ranks and bookings, stops), so equal keys for every stage mean equal
    pipelines on every questionnaire: a wording-only change is answered without a walk.
    """
    old, new = load_rulebase(old_dir), load_rulebase(new_dir)  # loaded, not compiled
    stages = len(old.stages)
    if stages != len(new.stages) or any(
        stage_key(old, k) != stage_key(new, k) for k in range(stages)
    ):
        return None
    return Space([old, new]).total()


def render(report: DiffReport) -> str:
    lines = [
        f"old {report.old}",
        f"new {report.new}",
        f"{report.changed:.4g} of {report.questionnaires:.4g} complete questionnaires change"
        f" ({sum(g.classes for g in report.groups)} of {report.classes} classes),"
        f" in {len(report.groups)} kinds of change",
    ]
    if report.same_decisions:
        lines.append(
            "every stage reads and decides exactly as before (they differ at most in wording),"
            " so no questionnaire can change; nothing was walked"
        )
    for group in report.groups:
        flags = [
            name for name, on in (("RED FLAG", group.red_flag), ("UNDER 18", group.under_18)) if on
        ]
        mark = f"[{', '.join(flags)}] " if flags else ""
        lines.append(f"- {mark}{group.describe()}: {group.questionnaires:.4g} questionnaires")
        lines.append(f"    example: {group.example}")
    return "\n".join(lines)


def groups_for(report: DiffReport) -> Sequence[ChangeGroup]:
    return report.groups
