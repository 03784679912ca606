"""`facesym verify`: prove a rule base over its whole input space, with counterexamples.

The walk (`verify_walk`) enumerates every class of complete questionnaires, and separately
every partial questionnaire the safety gate can stop, stage by stage. It reports:

- gap: a reachable stage input on which a required value (an enum without default) is undecided;
- overlap: rules of equal priority that fire together and set different `first` values
  (only where they decide the value);
- dead rule: a rule never applicable (fallback semantics as in `pipeline.applicable`);
- invariant: a contract invariant broken (`invariants.violations`, on every end class);
- raises: composing the recommendation raised;
- engine mismatch: the real engine disagreed with the oracle the walk used;
- skip: a question the rule base skips (`ask_when`) whose answer could change whether a rule
  fires where it is skipped, or that something other than the rules reads (`verify_skips`);
- client text: something a client could see that it must not (a medicine or product name,
  a promise, a category code, a rule id, an internal value spelled as code), in any part
  a client view can be built from, or in the client view of a replayed end class
  (`verify_client` explains why that covers every end class).

Nothing rests on the oracle alone: one questionnaire of every distinct stage outcome (what a
stage hands on) and of every distinct recommendation class is replayed through the real
durable-rules engine and compared, and every invariant counterexample is confirmed by
`Recommender.recommend`. The walk is split between processes (one Recommender each).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import click

from ..api import Recommender
from ..contract.errors import FacesymError, UnsafeRecommendationError
from ..contract.recommendation import Card, Recommendation, RuleBaseInfo
from ..engine.adapter import RuleEngine
from ..intake.questions import is_asked, is_enabled
from ..pipeline.stages import run_pipeline
from ..rulebase.loader import CRISIS_CARD
from ..safety.invariants import STOPPING_URGENCIES, violations
from ..views.render import render_client
from .client_check import KIND as CLIENT_TEXT
from .client_check import ClientProof
from .oracle import OracleEngine
from .progress import CHUNKS, Progress, ReportingWalk, run_shards, tick
from .skips import KIND as SKIP
from .skips import unprovable
from .space import ABSENT, Space, answers_from, skips_of
from .walk import OFFER, Finding, Terminal, Track, TrackState, Walk

SAMPLE_EVERY = 50
"""Besides one per distinct outcome, every 50th end class is replayed through the engine."""
KINDS = (
    "invariant",
    CLIENT_TEXT,
    SKIP,
    "gap",
    "overlap",
    "dead_rule",
    "raises",
    "engine_mismatch",
)


@dataclass
class StageStats:
    stage: str
    classes: int
    evaluations: int
    outcomes: int


@dataclass
class Report:
    rulebase: str
    fingerprint: str
    findings: list[Finding]
    stages: list[StageStats]
    end_classes: int
    partial_classes: int
    questionnaires: int
    replays: int
    seconds: float = 0.0
    workers: int = 1
    client_parts: int = 0
    """Catalogue and questionnaire texts the client-view proof scanned."""
    pathways: dict[str, int] = field(default_factory=dict)
    """Complete questionnaires per pathway: where the rule base sends everyone."""
    asked: dict[tuple[int, int], int] = field(default_factory=dict)
    """(questions asked, and how many without skipping) -> end classes with that count."""
    skips: list[str] = field(default_factory=list)
    """Each skipped question and the test that asks it (`ask_when`), proven unless a skip
    finding names it."""

    @property
    def ok(self) -> bool:
        return not self.findings

    def by_kind(self, kind: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind == kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rulebase": self.rulebase,
            "fingerprint": self.fingerprint,
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "workers": self.workers,
            "questionnaires": self.questionnaires,
            "end_classes": self.end_classes,
            "partial_classes": self.partial_classes,
            "engine_replays": self.replays,
            "client_parts_scanned": self.client_parts,
            "pathways": dict(sorted(self.pathways.items())),
            "skipped_questions": self.skips,
            "questions_asked": {
                "median_over_end_classes": _median(self.asked, 0),
                "median_without_skips": _median(self.asked, 1),
            },
            "stages": [vars(stage) for stage in self.stages],
            "findings": [
                {
                    "kind": f.kind,
                    "stage": f.stage,
                    "rule": f.rule,
                    "message": f.message,
                    "classes": f.count,
                    "counterexample": answers_from(f.assignment),
                }
                for f in self.findings
            ],
        }


# --- one process's share ------------------------------------------------------------------


@dataclass
class _Share:
    findings: list[Finding] = field(default_factory=list)
    stages: list[tuple[str, int, int, set[Any], set[int]]] = field(default_factory=list)
    end_classes: int = 0
    partial_classes: int = 0
    questionnaires: int = 0
    replays: int = 0
    pathways: Counter[str] = field(default_factory=Counter)
    asked: Counter[tuple[int, int]] = field(default_factory=Counter)


def abstract_recommendation(recommender: Recommender, track: TrackState) -> Recommendation:
    """A stand-in recommendation carrying exactly what the invariants read."""
    rulebase = recommender.rulebase
    derived = dict(track.derived)
    stops = rulebase.stages[track.stopped_at].stops if track.stopped_at is not None else ()
    stop = next((s for s in stops if derived.get(s.field) in s.one_of), None)
    cards: list[Card] = []
    if track.card is not None and track.card[5]:
        entry = rulebase.cards[track.card[5]]
        cards.append(_card(track.card[5], entry.booking))
    cards += [_card(f"booking:{code}", code) for code in sorted(track.bookings)]
    urgency = derived.get("urgency", "none")
    programme: Any = object() if derived.get("exercise_programme") == OFFER else None
    pathway: Any = stop.pathway if stop is not None else derived.get("pathway")
    return Recommendation.model_construct(
        pathway=pathway,
        urgency=None if urgency == "none" else urgency,
        category=derived.get("category", "unclear"),
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


class _Checker:
    """Checks end classes and replays representatives through the real engine."""

    def __init__(self, recommender: Recommender, walk: Walk) -> None:
        self.recommender = recommender
        self.walk = walk
        self.classes = 0
        self.questionnaires = 0
        self.pathways: Counter[str] = Counter()
        self.replays = 0
        self._seen: set[Any] = set()
        self.client = ClientProof(recommender.rulebase)
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

    def terminal(self, terminal: Terminal) -> None:
        self.classes += 1
        self.questionnaires += terminal.weight
        track = terminal.tracks[0]
        answers = answers_from(terminal.assignment)
        abstract = abstract_recommendation(self.recommender, track)
        self.pathways[abstract.pathway] += terminal.weight
        self.asked[self._questions_asked(answers)] += 1
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

    def _questions_asked(self, answers: Mapping[str, Any]) -> tuple[int, int]:
        """How many questions these answers are asked, and how many without skipping."""
        key = tuple(
            tuple(value) if isinstance(value, list) else value
            for value in (answers.get(name, ABSENT) for name in self._deciding)
        )
        counts = self._counts.get(key)
        if counts is None:
            asked = sum(1 for q in self._askable if is_asked(q, answers))
            enabled = sum(1 for q in self._askable if is_enabled(q, answers))
            counts = self._counts[key] = (asked, enabled)
        return counts

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
        stages = self.recommender.compiled_stages[: k + 1]
        filler = self.walk.space.filler(
            [name for name in self.walk.space.fields if name not in assignment]
        )
        answers = answers_from({**filler, **assignment})
        self.replays += 1
        real = run_pipeline(self.recommender.engine, stages, answers)
        oracle = run_pipeline(cast(RuleEngine, OracleEngine(stages)), stages, answers)
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


def _median(counts: Mapping[tuple[int, int], int], which: int) -> float | None:
    """The median of one of the two question counts over end classes (each class once)."""
    values = sorted(value for key, times in counts.items() for value in [key[which]] * times)
    if not values:
        return None
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _general(problem: str) -> str:
    """An invariant message without the details that vary by questionnaire."""
    words = problem.split()
    if words and words[0] == "age" and len(words) > 1:
        words[1] = "<18"
    return " ".join(words)


def _run_share(path: str, shard: tuple[int, int]) -> _Share:
    recommender = Recommender.from_path(path)
    share = _Share()
    try:
        track = Track(recommender.rulebase, recommender.compiled_stages)
        walk = ReportingWalk(Space([recommender.rulebase]), [track])
        checker = _Checker(recommender, walk)
        walk.run(checker.terminal, shard)
        tick()
        share.end_classes = checker.classes
        share.questionnaires = checker.questionnaires
        share.pathways = checker.pathways
        share.asked = checker.asked
        if shard[0] == 0:
            _partial(recommender, walk, share)
            tick()
        for index, record in enumerate(walk.records):
            distinct: dict[Any, Any] = {}
            handed = walk.handed_on(index)
            for decision, example in record.outcomes.items():
                passed = tuple((n, v) for n, v in decision.derived if n in handed)
                distinct.setdefault((passed, decision.gap), (example, decision))
            for example, decision in distinct.values():
                if decision.gap is None:
                    checker.replay_stage(index, example, decision.derived)
            share.stages.append(
                (
                    record.stage,
                    record.classes,
                    record.evaluations,
                    {d.derived for d in record.outcomes},
                    set(record.applicable),
                )
            )
        for finding in walk.findings:
            if finding.assignment and not finding.message.startswith("partial"):
                missing = [n for n in walk.space.fields if n not in finding.assignment]
                finding.assignment = {**walk.space.filler(missing), **finding.assignment}
        share.findings = walk.findings
        share.replays = checker.replays
        tick()
    finally:
        recommender.close()
    return share


def _partial(recommender: Recommender, walk: Walk, share: _Share) -> None:
    """Partial questionnaires: every subset of the gate's answers the gate stops on."""
    gate = Track(recommender.rulebase, recommender.compiled_stages[:1])
    partial = Walk(Space([recommender.rulebase], partial=True), [gate])
    checker = _Checker(recommender, partial)
    partial.run(checker.terminal)
    share.partial_classes = checker.classes
    for finding in partial.findings:
        finding.message = f"partial questionnaire: {finding.message}"
        walk.note(finding)
    applicable = partial.records[0].applicable
    walk.records[0].applicable |= applicable


# --- the whole run ---------------------------------------------------------------------------


def verify(
    directory: str | Path, workers: int | None = None, progress: Progress | None = None
) -> Report:
    """Verify the rule base in `directory` exhaustively; see the module docstring.

    `progress(done, total)` hears each finished stage step and phase of every shard.
    """
    started = time.perf_counter()
    recommender = Recommender.from_path(directory)
    rulebase = recommender.rulebase
    recommender.close()
    proof = ClientProof(rulebase)
    catalogue = [Finding(CLIENT_TEXT, problem) for problem in proof.catalogue_problems()]
    catalogue += [Finding(SKIP, problem) for problem in unprovable(rulebase)]
    count = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))
    path = str(Path(directory).resolve())
    ticks = count * (CHUNKS * len(rulebase.stages) + 2) + 1  # steps, ends, replays; partial
    shards = [(path, (n, count)) for n in range(count)]
    shares = run_shards(_run_share, shards, ticks, progress)
    report = _merge(rulebase.name, rulebase.fingerprint, shares, rulebase, catalogue)
    report.seconds = time.perf_counter() - started
    report.workers = count
    report.client_parts = proof.part_count
    report.skips = [
        f"{s.question} ({s.field}) asked when {s.describe()}" for s in skips_of(rulebase)
    ]
    return report


def _merge(
    name: str,
    fingerprint: str,
    shares: Sequence[_Share],
    rulebase: Any,
    catalogue: Sequence[Finding] = (),
) -> Report:
    findings: dict[tuple[str, str], Finding] = {}
    for finding in catalogue:
        findings.setdefault((finding.kind, finding.message), finding)
    for share in shares:
        for finding in share.findings:
            found = findings.setdefault((finding.kind, finding.message), finding)
            if found is not finding:
                found.count += finding.count
    stages: list[StageStats] = []
    applicable: dict[str, set[int]] = {}
    for index, (stage, classes, evaluations, _, _) in enumerate(shares[0].stages):
        rows = [share.stages[index] for share in shares]
        outcomes = set().union(*(row[3] for row in rows))
        first_only = index == 0
        stages.append(
            StageStats(
                stage,
                classes if first_only else sum(row[1] for row in rows),
                evaluations if first_only else sum(row[2] for row in rows),
                len(outcomes),
            )
        )
        applicable[stage] = set().union(*(row[4] for row in rows))
    dead: list[Finding] = []
    for stage in rulebase.stages:
        for rule in stage.rules:
            if rule.order not in applicable.get(stage.id, set()):
                dead.append(
                    Finding(
                        "dead_rule",
                        f"rule {rule.id} never applies on any reachable input",
                        stage.id,
                        rule.id,
                    )
                )
    ordered = sorted(findings.values(), key=lambda f: KINDS.index(f.kind)) + dead
    ordered.sort(key=lambda f: KINDS.index(f.kind))
    return Report(
        name,
        fingerprint,
        ordered,
        stages,
        sum(share.end_classes for share in shares),
        sum(share.partial_classes for share in shares),
        sum(share.questionnaires for share in shares),
        sum(share.replays for share in shares),
        pathways=dict(sum((share.pathways for share in shares), Counter())),
        asked=dict(sum((share.asked for share in shares), Counter())),
    )


def render(report: Report) -> str:
    """The report as readable text."""
    lines = [
        f"rule base {report.rulebase} ({report.fingerprint[:12]})",
        f"enumerated {report.questionnaires:.3e} complete questionnaires as"
        f" {report.end_classes} end classes, plus {report.partial_classes} partial"
        f" questionnaire classes the gate stops; {report.replays} replays through the real"
        f" engine; {report.seconds:.1f} s on {report.workers} processes",
    ]
    for stage in report.stages:
        lines.append(
            f"  stage {stage.stage}: {stage.classes} input classes, {stage.evaluations}"
            f" rule-group evaluations, {stage.outcomes} distinct outcomes"
        )
    if report.questionnaires:
        shares = sorted(report.pathways.items(), key=lambda item: -item[1])
        lines.append(
            "  pathways: "
            + ", ".join(f"{name} {count / report.questionnaires:.1%}" for name, count in shares)
        )
    lines.append(
        f"  client view: {report.client_parts} texts a client can see scanned, and the client"
        " view of every replayed class"
    )
    if report.asked:
        lines.append(
            f"  questions asked: median {_median(report.asked, 0):g} over the end classes"
            f" ({_median(report.asked, 1):g} if nothing were skipped)"
        )
    if report.skips:
        lines.append(
            "  skipped questions (no rule reading the answer fires differently where it is"
            " skipped, whatever the answer, unless a finding says so): " + "; ".join(report.skips)
        )
    if report.ok:
        lines.append("OK: no findings")
        return "\n".join(lines)
    lines.append(f"FAILED: {len(report.findings)} findings")
    for finding in report.findings:
        where = f" [{finding.stage}]" if finding.stage else ""
        lines.append(f"- {finding.kind}{where}: {finding.message}")
        if finding.assignment:
            example = answers_from(finding.assignment)
            lines.append(f"    counterexample ({finding.count} classes): {example}")
    return "\n".join(lines)


__all__ = ["ABSENT", "Report", "render", "verify"]
