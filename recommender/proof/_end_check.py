"""The checks `verify` makes of every end class, and the replays through the real engine.

Each end class gets a stand-in recommendation built from what the walk decided
(`abstract_recommendation`) and is checked against the contract invariants. Nothing rests on
the walk's oracle alone: one class of every distinct outcome, and every 50th class, is
replayed through `Recommender.recommend` and compared, its client view scanned too; every
invariant counterexample is confirmed the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import click

from ..api import Recommender
from ..contract.constants import CRISIS_CARD, NO_URGENCY, NOT_CLASSIFIED, STOPPING_URGENCIES
from ..contract.errors import FacesymError, UnsafeRecommendationError
from ..contract.recommendation import Card, Recommendation, RuleBaseInfo
from ..engine.compiler import CompiledRuleBase
from ..intake.questions import is_asked, is_enabled
from ..pipeline.stages import run_pipeline
from ..safety.invariants import violations
from ..views.render import render_client
from ._oracle import OracleEngine
from ._space import ABSENT, answers_from
from ._walk import OFFER, Finding, Terminal, TrackState, Walk
from .client_check import KIND as CLIENT_TEXT
from .client_check import ClientProof

SAMPLE_EVERY = 50
"""Besides one per distinct outcome, every 50th end class is replayed through the engine."""


def abstract_recommendation(recommender: Recommender, track: TrackState) -> Recommendation:
    """A stand-in recommendation carrying exactly what the invariants read."""
    rulebase = recommender.rulebase
    derived = dict(track.derived)
    stops = rulebase.stages[track.stopped_at].stops if track.stopped_at is not None else ()
    stop = next((s for s in stops if derived.get(s.field) in s.one_of), None)
    cards: list[Card] = []
    if track.card is not None and track.card.card_id:
        entry = rulebase.cards[track.card.card_id]
        cards.append(_card(track.card.card_id, entry.booking))
    cards += [_card(f"booking:{code}", code) for code in sorted(track.bookings)]
    urgency = derived.get("urgency", NO_URGENCY)
    programme: Any = object() if derived.get("exercise_programme") == OFFER else None
    pathway: Any = stop.pathway if stop is not None else derived.get("pathway")
    return Recommendation.model_construct(
        pathway=pathway,
        urgency=None if urgency == NO_URGENCY else urgency,
        category=derived.get("category", NOT_CLASSIFIED),
        cards=cards,
        exercise_programme=programme,
        injectable_options=list(derived.get("injectable_options", ())),
        cautions=[],
        explanation=[],
        rulebase=RuleBaseInfo(name=rulebase.name, version=rulebase.version, fingerprint=""),
        # Given, not defaulted: pydantic inspects a default factory's signature on each call.
        red_flags=[],
        stopped_early=stop is not None,
        not_asked=[],
    )


def _card(card_id: str, booking: str | None) -> Card:
    return Card(
        id=card_id, summary="-", detail="-", indicator="info", source=["-"], booking=booking
    )


class QuestionCounts:
    """How many questions each end class is asked, and would be were nothing skipped."""

    def __init__(self, recommender: Recommender) -> None:
        self._askable = [q for q in recommender.rulebase.questions.questions if q.ask]
        self._deciding = sorted(
            {q.enable_when.field for q in self._askable if q.enable_when}
            | {q.ask_when.field for q in self._askable if q.ask_when}
        )
        """The answers that decide which questions are asked: end classes alike in them
        are asked alike, so each count is worked out once."""
        self._counts: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.asked: Counter[tuple[int, int]] = Counter()
        """(questions asked, and asked if nothing were skipped) -> end classes."""

    def count(self, answers: Mapping[str, Any]) -> None:
        """Count one end class with these answers."""
        key = tuple(
            tuple(value) if isinstance(value, list) else value
            for value in (answers.get(name, ABSENT) for name in self._deciding)
        )
        counts = self._counts.get(key)
        if counts is None:
            asked = sum(1 for q in self._askable if is_asked(q, answers))
            enabled = sum(1 for q in self._askable if is_enabled(q, answers))
            counts = self._counts[key] = (asked, enabled)
        self.asked[counts] += 1


class EndChecker:
    """Checks end classes and replays representatives through the real engine."""

    def __init__(self, recommender: Recommender, compiled: CompiledRuleBase, walk: Walk) -> None:
        self.recommender = recommender
        self.compiled = compiled
        self.walk = walk
        self.classes = 0
        self.questionnaires = 0
        self.pathways: Counter[str] = Counter()
        self.replays = 0
        self._seen: set[Any] = set()
        self.client = ClientProof(recommender.rulebase)
        self.questions = QuestionCounts(recommender)
        self._oracle = OracleEngine(compiled.stages)
        """Built once: compiling every rule's predicate per replay was 4% of a walk."""

    def terminal(self, terminal: Terminal) -> None:
        self.classes += 1
        self.questionnaires += terminal.weight
        track = terminal.tracks[0]
        answers = answers_from(terminal.assignment)
        abstract = abstract_recommendation(self.recommender, track)
        self.pathways[abstract.pathway] += terminal.weight
        self.questions.count(answers)
        problems = violations(self.recommender.rulebase, answers, dict(track.derived), abstract)
        if track.alarm and track.stopped_at is None:
            problems.append(
                f"a red-flag card (critical) is shown but the questionnaire goes on to"
                f" {abstract.pathway} with urgency {abstract.urgency}"
            )
        for problem in problems:
            key = ("invariant", _general(problem))
            if key in self._seen:
                self.walk.note(Finding("invariant", _general(problem), assignment={}))
                continue
            self._seen.add(key)
            self._confirm(terminal, problem)
        outcome = (
            abstract.pathway,
            abstract.urgency,
            abstract.category,
            tuple(abstract.injectable_options),
            abstract.exercise_programme is not None,
            track.card,
            track.bookings,
        )
        sampled = self.classes % SAMPLE_EVERY == 0
        if (sampled or outcome not in self._seen) and not problems:
            self._seen.add(outcome)
            self._replay_end(terminal, abstract)

    def _confirm(self, terminal: Terminal, problem: str) -> None:
        answers = answers_from(terminal.assignment)
        self.replays += 1
        try:
            real = self.recommender.recommend(answers)
        except UnsafeRecommendationError as error:
            message = _general(problem)
            self.walk.note(Finding("invariant", message, None, None, dict(terminal.assignment)))
            del error
            return
        except FacesymError as error:
            self.walk.note(
                Finding(
                    "raises",
                    f"{type(error).__name__}: {error}",
                    None,
                    None,
                    dict(terminal.assignment),
                )
            )
            return
        if (
            problem.startswith("a red-flag card")
            and real.urgency not in STOPPING_URGENCIES
            and any(c.indicator == "critical" and c.id != CRISIS_CARD for c in real.cards)
        ):
            self.walk.note(Finding("invariant", problem, None, None, dict(terminal.assignment)))
            return
        self.walk.note(
            Finding(
                "engine_mismatch",
                f"the walk predicts '{problem}' but the engine's recommendation is safe",
                assignment=dict(terminal.assignment),
            )
        )

    def _replay_end(self, terminal: Terminal, abstract: Recommendation) -> None:
        answers = answers_from(terminal.assignment)
        self.replays += 1
        try:
            real = self.recommender.recommend(answers)
        except FacesymError as error:
            self.walk.note(
                Finding(
                    "raises",
                    f"{type(error).__name__}: {error}",
                    assignment=dict(terminal.assignment),
                )
            )
            return
        expected = (
            abstract.pathway,
            abstract.urgency,
            abstract.category,
            abstract.injectable_options,
            abstract.exercise_programme is not None,
        )
        got = (
            real.pathway,
            real.urgency,
            real.category,
            real.injectable_options,
            real.exercise_programme is not None,
        )
        if expected != got:
            self.walk.note(
                Finding(
                    "engine_mismatch",
                    f"walk predicted {expected}, engine recommended {got}",
                    assignment=dict(terminal.assignment),
                )
            )
        self._check_client_view(terminal, real)

    def _check_client_view(self, terminal: Terminal, real: Recommendation) -> None:
        """The client view this end class really gets, and its CLI text, are clean."""
        try:
            view = real.for_client(self.recommender.rulebase)
        except FacesymError as error:
            problems = [f"the client view could not be built: {error}"]
        else:
            problems = self.client.view_problems(view, click.unstyle(render_client(view)))
        for problem in problems:
            self.walk.note(Finding(CLIENT_TEXT, problem, assignment=dict(terminal.assignment)))

    def replay_stage(self, index: int, assignment: Mapping[str, Any], derived: Any) -> None:
        """Run the stages up to this one with the real engine and the oracle; compare."""
        _, k = self.walk.steps[index]
        stages = self.compiled.stages[: k + 1]
        filler = self.walk.space.filler(
            [name for name in self.walk.space.fields if name not in assignment]
        )
        answers = answers_from({**filler, **assignment})
        self.replays += 1
        real = run_pipeline(self.compiled.engine, stages, answers)
        oracle = run_pipeline(self._oracle, stages, answers)
        real_fired = [f.rule.id for f in real.firings]
        oracle_fired = [f.rule.id for f in oracle.firings]
        stage = stages[k].stage
        expected = {name: _listed(value) for name, value in derived}
        got = {name: real.context.get(name) for name in expected}
        if real_fired != oracle_fired or expected != got:
            self.walk.note(
                Finding(
                    "engine_mismatch",
                    f"stage {stage.id}: engine fired {real_fired} and derived {got}; the oracle"
                    f" fired {oracle_fired} and the walk derived {expected}",
                    stage.id,
                    assignment=dict(assignment),
                )
            )


def _listed(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _general(problem: str) -> str:
    """An invariant message without the details that vary by questionnaire."""
    words = problem.split()
    if words and words[0] == "age" and len(words) > 1:
        words[1] = "<18"
    return " ".join(words)
