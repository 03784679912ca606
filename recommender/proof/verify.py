"""`facesym verify`: prove a rule base over its whole input space, with counterexamples.

The walk (`_walk`) enumerates every class of complete questionnaires, and separately
every partial questionnaire the safety gate can stop, stage by stage. It reports:

- gap: a reachable stage input on which a required value (an enum without default) is undecided;
- overlap: rules of equal priority that fire together and set different `first` values
  (only where they decide the value);
- dead rule: a rule never applicable (fallback semantics as in `pipeline.applicable`);
- invariant: a contract invariant broken (`invariants.violations`, on every end class);
- raises: composing the recommendation raised;
- partition: a field cut coarser than a test an invariant declares (`partition`); checked
  first, and then nothing is walked, since such a walk could print OK on a case it never saw;
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
from pathlib import Path
from typing import Any

from ..api import Recommender
from ..engine.compiler import CompiledRuleBase
from ..rulebase.model import RuleBase
from ._end_check import EndChecker, abstract_recommendation
from ._partition import KIND as PARTITION
from ._partition import coarse_cuts
from ._report import KINDS, Report, Share, StageRow, merge_shares, render
from ._skips import KIND as SKIP
from ._skips import unprovable
from ._space import ABSENT, Space, skips_of
from ._walk import Finding, Track, Walk
from .client_check import KIND as CLIENT_TEXT
from .client_check import ClientProof
from .progress import CHUNKS, Progress, ReportingWalk, run_shards, tick


def run_share(path: str, shard: tuple[int, int]) -> Share:
    """One process's share of the walk (its share of the states from `Walk.shard_step` on), with
    its replays; shard 0 also walks the partial questionnaires."""
    recommender = Recommender.from_path(path)
    compiled = CompiledRuleBase.of(recommender.rulebase)  # the proof's own engine
    share = Share()
    try:
        track = Track(recommender.rulebase, compiled.stages)
        walk = ReportingWalk(Space([recommender.rulebase]), [track])
        checker = EndChecker(recommender, compiled, walk)
        walk.run(checker.terminal, shard)
        tick()
        share.end_classes = checker.classes
        share.questionnaires = checker.questionnaires
        share.pathways = checker.pathways
        share.asked = checker.questions.asked
        share.shard_step = walk.shard_step
        if shard[0] == 0:
            _partial(recommender, compiled, walk, share)
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
                StageRow(
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
        compiled.close()
        recommender.close()
    return share


def _partial(
    recommender: Recommender, compiled: CompiledRuleBase, walk: Walk, share: Share
) -> None:
    """Partial questionnaires: every subset of the gate's answers the gate stops on."""
    gate = Track(recommender.rulebase, compiled.stages[:1])
    partial = Walk(Space([recommender.rulebase], partial=True), [gate])
    checker = EndChecker(recommender, compiled, partial)
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
    coarse = coarse_cuts(Space([rulebase]))
    if coarse:
        return _unwalked(rulebase, [Finding(PARTITION, problem) for problem in coarse], started)
    proof = ClientProof(rulebase)
    catalogue = [Finding(CLIENT_TEXT, problem) for problem in proof.catalogue_problems()]
    catalogue += [Finding(SKIP, problem) for problem in unprovable(rulebase)]
    count = max(1, workers if workers is not None else min(2, os.cpu_count() or 1))
    path = str(Path(directory).resolve())
    ticks = count * (CHUNKS * len(rulebase.stages) + 2) + 1  # steps, ends, replays; partial
    shards = [(path, (n, count)) for n in range(count)]
    shares = run_shards(run_share, shards, ticks, progress)
    report = merge_shares(rulebase.name, rulebase.fingerprint, shares, rulebase, catalogue)
    report.seconds = time.perf_counter() - started
    report.workers = count
    report.client_parts = proof.part_count
    report.skips = [
        f"{s.question} ({s.field}) asked when {s.describe()}" for s in skips_of(rulebase)
    ]
    return report


def _unwalked(rulebase: RuleBase, findings: list[Finding], started: float) -> Report:
    """A failed report, nothing walked: the space could not prove anything."""
    report = Report(rulebase.name, rulebase.fingerprint, findings, [], 0, 0, 0, 0)
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["ABSENT", "KINDS", "Report", "abstract_recommendation", "render", "verify"]
