"""What `facesym verify` found, merged from its processes' shares, as JSON or text.

The JSON (`Report.as_dict`) is the stable form other tools read; `render` is for people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from ..rulebase.model import RuleBase
from ._partition import KIND as PARTITION
from ._skips import KIND as SKIP
from ._space import answers_from
from ._walk_types import Finding
from .client_check import KIND as CLIENT_TEXT

KINDS = (
    PARTITION,
    "invariant",
    CLIENT_TEXT,
    SKIP,
    "gap",
    "overlap",
    "dead_rule",
    "raises",
    "engine_mismatch",
)
"""Finding kinds in the order a report lists them: a partition finding first, since with it
nothing else the walk says can be trusted."""


class StageRow(NamedTuple):
    """What one process saw of one stage step (the raw form of `StageStats`)."""

    stage: str
    classes: int
    evaluations: int
    outcomes: set[Any]
    """The distinct derived values the stage handed on."""
    applicable: set[int]
    """The rules (by order) that applied somewhere."""


@dataclass
class Share:
    """One process's share of the walk (`verify.run_share`)."""

    findings: list[Finding] = field(default_factory=list)
    stages: list[StageRow] = field(default_factory=list)
    end_classes: int = 0
    partial_classes: int = 0
    questionnaires: int = 0
    replays: int = 0
    pathways: Counter[str] = field(default_factory=Counter)
    asked: Counter[tuple[int, int]] = field(default_factory=Counter)
    shard_step: int = 1
    """The first step walked in shares (`Walk.shard_step`): the steps before it are whole
    in every share."""


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
        """The report as JSON-ready data, every part a copy: a caller may change it freely."""
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
            "skipped_questions": list(self.skips),
            "questions_asked": {
                "median_over_end_classes": _median(self.asked, 0),
                "median_without_skips": _median(self.asked, 1),
            },
            "stages": [asdict(stage) for stage in self.stages],
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


def merge_shares(
    name: str,
    fingerprint: str,
    shares: Sequence[Share],
    rulebase: RuleBase,
    catalogue: Sequence[Finding] = (),
) -> Report:
    """One report from every process's share, with the catalogue's own findings."""
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
    for index, first in enumerate(shares[0].stages):
        rows = [share.stages[index] for share in shares]
        outcomes = set().union(*(row.outcomes for row in rows))
        # Every process walks the steps before the shared ones whole.
        first_only = index < shares[0].shard_step
        stages.append(
            StageStats(
                first.stage,
                first.classes if first_only else sum(row.classes for row in rows),
                first.evaluations if first_only else sum(row.evaluations for row in rows),
                len(outcomes),
            )
        )
        applicable[first.stage] = set().union(*(row.applicable for row in rows))
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


def _median(counts: Mapping[tuple[int, int], int], which: int) -> float | None:
    """The median of one of the two question counts over end classes (each class once)."""
    values = sorted(value for key, times in counts.items() for value in [key[which]] * times)
    if not values:
        return None
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
