"""The loaded, cross-checked rule base: plain immutable data the compiler and composer read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..contract.fields import FieldSpec
from ._illustrations import Drawing
from .schema import (
    CardEntry,
    CautionDef,
    DerivedField,
    ExerciseCatalogue,
    QuestionFile,
    Rule,
    ServiceEntry,
    StopWhen,
)

if TYPE_CHECKING:  # a type only: a rule base from the cache imports no sign-off reader
    from .signoff_record import SignOff


@dataclass(frozen=True)
class LoadedRule:
    """A rule with where it came from and which fields its condition reads."""

    rule: Rule
    stage: str
    file: str
    order: int
    reads: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True)
class Stage:
    id: str
    files: tuple[str, ...]
    derives: Mapping[str, DerivedField]
    rules: tuple[LoadedRule, ...]
    stop_when: StopWhen | None
    inputs: Mapping[str, FieldSpec] = field(default_factory=dict)
    """Every field the stage's rules read, with its domain (answers and earlier stages)."""
    raises: Mapping[str, DerivedField] = field(default_factory=dict)
    """Values of earlier stages this stage may raise (combined by max with the earlier value)."""
    stops: tuple[StopWhen, ...] = ()
    """What ends the pipeline after this stage: its own `stop_when`, and the stop of every
    earlier stage whose value this stage raises (a red flag found late still stops)."""


@dataclass(frozen=True)
class RuleBase:
    name: str
    version: str
    description: str
    path: Path
    fingerprint: str
    stages: tuple[Stage, ...]
    cards: Mapping[str, CardEntry]
    services: Mapping[str, ServiceEntry]
    cautions: Mapping[str, CautionDef]
    exercises: ExerciseCatalogue
    questions: QuestionFile
    derived: Mapping[str, FieldSpec]
    """Every derived field's domain, by name."""
    drawings: Mapping[str, Drawing]
    """Each exercise's checked drawing, by exercise id."""
    signoffs: tuple[SignOff, ...] = ()
    """The prescriber's sign-offs, oldest first (`signoff.yaml`; not in the fingerprint)."""
    files: tuple[str, ...] = ()
    """Every file the fingerprint covers (`fingerprint.manifest_files`), as loaded."""
    tied_ranks: frozenset[int] = field(init=False, default=frozenset())
    """Card ranks shared by more than one card: only there does the order of the rules that
    showed them decide which card comes first (the proof tools keep it only there)."""

    def __post_init__(self) -> None:
        ranks = [card.rank for card in self.cards.values()]
        tied = frozenset(rank for rank in ranks if ranks.count(rank) > 1)
        object.__setattr__(self, "tied_ranks", tied)

    def stage(self, stage_id: str) -> Stage:
        return next(stage for stage in self.stages if stage.id == stage_id)

    def all_rules(self) -> tuple[LoadedRule, ...]:
        return tuple(rule for stage in self.stages for rule in stage.rules)

    def rules_for_review(self) -> tuple[LoadedRule, ...]:
        """Rules the prescriber has still to sign off (marked `review`)."""
        return tuple(rule for rule in self.all_rules() if rule.rule.review)
