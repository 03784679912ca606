"""`facesym diff`: what changing a rule base would change, over the whole input space.

Old and new are walked together over one space cut by both rule bases' tests (so every class
is a class for both), and each end class compares what the two recommend: pathway, urgency,
category, injectable options and whether an exercise programme is offered. Changes are grouped
by kind; groups touching a red flag (an urgency, or the red-flag pathway, on either side) or an
under-18 questionnaire come first. Counts are of complete questionnaires (class weights).
Each group keeps one example person, a complete questionnaire `facesym recommend -` accepts,
aged as a real client within the same age class (`client_age`). `render` says it all in
words for the prescriber; `DiffReport.as_dict` keeps the codes for tools.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import Recommender
from ..contract.constants import ADULT_AGE
from ..contract.errors import FacesymError
from ..contract.recommendation import Recommendation
from ..engine.compiler import compile_rulebase
from ..rulebase.loader import load_rulebase
from ..rulebase.model import RuleBase
from ..views.client import NEXT_STEP_WORDS
from ..views.clinician import CATEGORY_WORDS
from ..views.render import WIDTH, wrap
from ._end_check import abstract_recommendation
from ._partition import coarse_cuts
from ._space import FieldClasses, Space, answers_from
from ._walk import Terminal, Track, stage_key
from .progress import CHUNKS, Progress, ReportingWalk, run_shards, tick


class CoarseSpaceError(FacesymError):
    """The two rule bases' space is cut coarser than an invariant's declared test: nothing was
    walked, since a walk of it could miss a questionnaire the two treat differently."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("the proof's space cannot be walked:\n  " + "\n  ".join(problems))


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
        """The group as JSON-ready data, every part a copy: a caller may change it freely."""
        return {
            "changes": [
                {"aspect": aspect, "old": _json(old), "new": _json(new)}
                for aspect, old, new in self.changes
            ],
            "red_flag": self.red_flag,
            "under_18": self.under_18,
            "questionnaires": self.questionnaires,
            "classes": self.classes,
            "example": copy.deepcopy(self.example),
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
        """The report as JSON-ready data, every part a copy: a caller may change it freely."""
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
    def __init__(self, old: Recommender, new: Recommender, space: Space) -> None:
        self.recommenders = (old, new)
        self.ages = space.fields["age"]
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
            example = answers_from(terminal.assignment)
            example["age"] = client_age(self.ages, example["age"])
            group = self.groups[key] = ChangeGroup(changes, red_flag, under_18, example=example)
        group.questionnaires += terminal.weight
        group.classes += 1


TYPICAL_AGE = 40
"""The age an adult example person is given where their age class allows it."""
TYPICAL_UNDER_18_AGE = 16
"""The same for an example about under-18s: an age at which people do ask about their face."""


def client_age(ages: FieldClasses, age: int) -> int:
    """An age a real client could have, in the same class of the proof's partition as `age`.

    The walk's representative of a class is its lowest age (often 0). Every age in a class
    passes every test any rule or check makes on age, so the example keeps exactly the
    result it stands for; only the number reads as a person's.
    """
    spec = ages.spec
    assert spec.minimum is not None and spec.maximum is not None
    same = [
        v for v in range(spec.minimum, spec.maximum + 1) if ages.signature(v) == ages.signature(age)
    ]
    target = TYPICAL_UNDER_18_AGE if age < ADULT_AGE else TYPICAL_AGE
    return min(same, key=lambda value: (abs(value - target), value))


@dataclass
class DiffShare:
    """What one process found of the changes: its change groups and what it walked."""

    groups: dict[tuple[tuple[Change, ...], bool, bool], ChangeGroup]
    questionnaires: int
    classes: int


def run_share(old_dir: str, new_dir: str, shard: tuple[int, int]) -> DiffShare:
    """One process's share of the joint walk of the two rule bases (`verify.run_share`'s
    counterpart), with the changes it found."""
    old, new = Recommender.from_path(old_dir), Recommender.from_path(new_dir)
    try:
        space = Space([old.rulebase, new.rulebase])
        tracks = [Track(r.rulebase, compile_rulebase(r.rulebase)) for r in (old, new)]
        collector = _Collector(old, new, space)
        ReportingWalk(space, tracks).run(collector.terminal, shard)
        tick()
        return DiffShare(collector.groups, collector.questionnaires, collector.classes)
    finally:
        old.close()
        new.close()


def diff(
    old_dir: str | Path,
    new_dir: str | Path,
    workers: int | None = None,
    progress: Progress | None = None,
) -> DiffReport:
    """Compare two rule bases over the whole enumerated input space.

    `progress(done, total)` hears each finished stage step of every shard. Raises
    `CoarseSpaceError`, walking nothing, if the two rule bases' space is cut coarser than an
    invariant declares (as `verify` fails on it).
    """
    count = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))
    paths = (str(Path(old_dir).resolve()), str(Path(new_dir).resolve()))
    old, new = load_rulebase(paths[0]), load_rulebase(paths[1])  # loaded, not compiled
    same, stages = _same_decisions(old, new)
    if same is not None:
        return DiffReport(paths[0], paths[1], [], same, 0, same_decisions=True)
    coarse = coarse_cuts(Space([old, new]))
    if coarse:
        raise CoarseSpaceError(coarse)
    shards = [(*paths, (n, count)) for n in range(count)]
    shares = run_shards(run_share, shards, count * (CHUNKS * stages + 1), progress)
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


def _same_decisions(old: RuleBase, new: RuleBase) -> tuple[int | None, int]:
    """The number of complete questionnaires if the two rule bases decide alike everywhere
    (else None), and the stage steps a walk of the two takes.

    `stage_key` holds everything about a stage that a decision reads (conditions, effects,
    priorities, card ranks and bookings, stops), so equal keys for every stage mean equal
    pipelines on every questionnaire: a wording-only change is answered without a walk.
    """
    stages = len(old.stages)
    steps = stages + len(new.stages)
    if stages != len(new.stages) or any(
        stage_key(old, k) != stage_key(new, k) for k in range(stages)
    ):
        return None, steps
    return Space([old, new]).total(), steps


ASPECT_WORDS = {
    "pathway": "next step",
    "urgency": "urgency",
    "category": "likely category",
    "injectable_options": "injectable options",
    "exercise_programme": "exercise programme",
}
URGENCY_WORDS = {
    None: "no red flag",
    "emergency": "emergency (999 now)",
    "urgent": "urgent (same day)",
    "soon": "soon (within two weeks)",
    "routine": "routine (GP or dentist first)",
}


def value_words(aspect: str, value: Any) -> str:
    """A compared value as the prescriber says it (the JSON report keeps the codes)."""
    if aspect == "pathway":
        return f'"{NEXT_STEP_WORDS.get(value, value)}"'
    if aspect == "urgency":
        return URGENCY_WORDS.get(value, str(value))
    if aspect == "category":
        return f"{value} ({CATEGORY_WORDS[value]})" if value in CATEGORY_WORDS else str(value)
    if aspect == "injectable_options":
        return " and ".join(value) if value else "none"
    return "offered" if value else "not offered"


def change_words(change: Change) -> str:
    aspect, old, new = change
    before, after = value_words(aspect, old), value_words(aspect, new)
    return f"{ASPECT_WORDS[aspect]} changes from {before} to {after}"


_LARGE = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def one_in_words(part: int, whole: int) -> str:
    """`about 1 in 610`, `about 1 in 6.1 billion`: a small share as people say it."""
    ratio = float(f"{whole / part:.2g}")
    for size, name in _LARGE:
        if ratio >= size:
            return f"about 1 in {ratio / size:g} {name}"
    return f"about 1 in {ratio:,.0f}"


def share_words(part: int, whole: int) -> str:
    """A count as a share: `12%`, `0.16% (about 1 in 610)`, `about 1 in 6.1 billion`."""
    if part <= 0 or whole <= 0:
        return "none"
    percent = 100 * part / whole
    if percent >= 10:
        return f"{percent:.0f}%"
    if percent >= 0.01:
        return f"{percent:.2g}% ({one_in_words(part, whole)})"
    return one_in_words(part, whole)


def render(report: DiffReport, width: int = WIDTH) -> str:
    """The report for the prescriber: how many questionnaires change and how, in words,
    wrapped to `width`; each group's example person is one line of JSON, kept whole so it can
    be piped to `facesym recommend -`."""
    lines = [f"old rule base: {report.old}", f"new rule base: {report.new}"]
    if report.same_decisions:
        lines += wrap(
            "No questionnaire gets a different result: every stage reads and decides exactly"
            " as before (the two differ at most in wording), so nothing was walked.",
            "",
            width=width,
        )
        return "\n".join(lines)
    if not report.groups:
        lines += wrap(
            f"No questionnaire gets a different result ({report.classes} classes of answers"
            " compared, covering every possible complete questionnaire).",
            "",
            width=width,
        )
        return "\n".join(lines)
    summary = (
        "Of all possible complete questionnaires (every combination of answers, not real"
        f" clients), {share_words(report.changed, report.questionnaires)} get a different"
        f" result, in {len(report.groups)} group{'' if len(report.groups) == 1 else 's'} of"
        " change. Groups that touch a red flag or an under-18 come first. Each group has an"
        " example person: pipe its line of JSON to `facesym recommend -` to see their result"
        " (add `--rules DIR` for the new rule base)."
    )
    lines += ["", *wrap(summary, "", width=width)]
    for number, group in enumerate(report.groups, start=1):
        flags = [
            name
            for name, on in (("touches a red flag", group.red_flag), ("under 18", group.under_18))
            if on
        ]
        mark = f" [{', '.join(flags)}]" if flags else ""
        of_changes = share_words(group.questionnaires, report.changed)
        of_all = share_words(group.questionnaires, report.questionnaires)
        head = f"{number}.{mark} {of_changes} of the changes, {of_all} of all questionnaires:"
        lines += ["", *wrap(head, "   ", "", width)]
        for change in group.changes:
            lines += wrap(change_words(change), "     ", "   - ", width)
        lines.append("   Example person, as JSON for `facesym recommend -`:")
        lines.append(json.dumps(group.example))
    return "\n".join(lines)
