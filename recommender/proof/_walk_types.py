"""The named types the walk passes around: rule bases walked, states, records, findings.

A state is what the rest of the pipeline can still see of a class of questionnaires; its
key is what two classes must share to merge, its data what merging adds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contract.constants import OFFER_PROGRAMME
from ..engine.compiler import CompiledStage
from ..rulebase.model import RuleBase
from ..safety.safety_net import NO_VERDICT, Verdict
from ._summary import CardKey, Decision, Summary

OFFER = OFFER_PROGRAMME


@dataclass(frozen=True)
class Track:
    """One rule base being walked: its compiled stages."""

    rulebase: RuleBase
    stages: tuple[CompiledStage, ...]


@dataclass(frozen=True)
class TrackState:
    derived: tuple[tuple[str, Any], ...] = ()
    card: CardKey | None = None
    bookings: frozenset[str] = frozenset()
    alarm: bool = False
    stopped_at: int | None = None
    done: int = 0
    """How many stages have been applied (a stage shared with another rule base counts)."""
    _hash: int = field(default=0, init=False, compare=False, repr=False)
    """Hashed once: every state key holds one per rule base, and the walk looks keys up
    millions of times."""

    def __post_init__(self) -> None:
        fields = (self.derived, self.card, self.bookings, self.alarm, self.stopped_at, self.done)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True)
class StateKey:
    kept: tuple[tuple[str, Any], ...]
    assigned: frozenset[str]
    tracks: tuple[TrackState, ...]
    net: Verdict = NO_VERDICT
    """What the independent safety tables require of this state's questionnaires, decided
    as soon as each table line's answers are known, so those answers need not be kept."""
    _hash: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        state = (self.kept, self.assigned, self.tracks, self.net)
        object.__setattr__(self, "_hash", hash(state))

    def __hash__(self) -> int:
        return self._hash


@dataclass(slots=True)
class StateData:
    weight: int
    example: dict[str, Any]
    """Every answer assigned on the first path that reached this state."""


@dataclass
class Finding:
    """A problem found, with a questionnaire (class representative) that shows it."""

    kind: str
    message: str
    stage: str | None = None
    rule: str | None = None
    assignment: dict[str, Any] = field(default_factory=dict)
    count: int = 1


@dataclass
class FindingLog:
    """The findings of one walk, each (kind, message) once with how often it was met.

    An object of its own, not a method of the walk, so that the parts of a walk that note
    findings hold no reference back to it: a walk that is dropped is then freed at once by
    reference counting, also while the cyclic collector is paused (`collector`)."""

    findings: list[Finding] = field(default_factory=list)
    noted: int = 0
    """Findings noted so far, repeats included (a step that notes one is not memoised)."""
    _index: dict[tuple[str, str], Finding] = field(default_factory=dict, repr=False)

    def note(self, finding: Finding) -> None:
        """Record a finding once per (kind, message); later occurrences only count."""
        self.noted += 1
        key = (finding.kind, finding.message)
        found = self._index.get(key)
        if found is None:
            self._index[key] = finding
            self.findings.append(finding)
        else:
            found.count += finding.count


@dataclass
class StepRecord:
    """What one stage of one rule base saw over the whole walk."""

    track: int
    stage: str
    classes: int = 0
    """Stage input classes covered (reachable contexts x the product of the fresh fields)."""
    evaluations: int = 0
    """Rule-group evaluations actually made (after memoisation)."""
    outcomes: dict[Decision, dict[str, Any]] = field(default_factory=dict)
    """Each distinct decision, with the first questionnaire assignment that reached it."""
    applicable: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Terminal:
    """One class of questionnaires at the end of the walk, and what each rule base decided."""

    assignment: Mapping[str, Any]
    weight: int
    tracks: tuple[TrackState, ...]


Kept = tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Successor:
    """A state one stage step reaches from a state, less what that state adds to it (its own
    kept answers, its safety verdict and its weight and example)."""

    tracks: tuple[TrackState, ...]
    net: Verdict
    """The verdict of the safety-table lines the fresh answers decided."""
    kept: Kept
    """The fresh answers kept, projected."""
    needed: frozenset[str]
    later: frozenset[str]
    """What to keep of the state's own answers, as `StepQueries.project` takes it."""
    weight: int
    """The questionnaires over the fresh answers reaching it."""
    example: dict[str, Any]
    """The fresh answers of the first of them."""


Outcome = tuple[tuple[Summary, ...], Verdict]
"""What a stage's firings amount to: a summary per unit, and the safety tables' verdict."""
Kepts = dict[Kept, "StateData"]
"""The answers kept -> their weight and first example: the questionnaires of one outcome, by
what the rest of the walk still reads of their answers."""
Outcomes = dict[Outcome, Kepts]
Fired = tuple[set[int], ...]
ComponentOutcomes = dict[Outcome, tuple[Kepts, Fired]]
"""Per outcome of one rule group, also the rules that fired (per unit) on the way."""
Unit = list[tuple[int, int]]
"""(track, step index) pairs running one identical stage from one identical state."""
