"""Walk the pipeline over the whole enumerated space, stage by stage, merging what cannot differ.

A state is what the rest of the pipeline can still see: the answers later stages (or the
invariants, or the programme builder) read, the derived values they read, and the cards so far
(as the card that would come first and the bookings). Within a stage, rules are split into
groups that share no newly enumerated answer field; each group's fields are enumerated on
their own and its firings summarised (`verify_summary`), and the group summaries are merged.
So a stage reading 25 fields costs the sum, not the product, of its groups' spaces, and the
result is still exact: groups over disjoint fields combine freely, every combination is a real
questionnaire. Weights count the questionnaires each state stands for.

Several rule bases can be walked together over one space (`diff` walks old and new); a rule
base whose gate stopped skips its remaining stages while the others go on. Every rule base
still to run a stage in a state runs it in the same step, over one expansion of the answers it
reads; rule bases with the same stage (`stage_key`) at the same point form one unit, decided
once. So walking two rule bases that differ in one rule costs about one walk, plus the
evaluation of the stages where they differ.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..engine.compiler import CompiledStage
from ..rulebase.conditions import predicate
from ..rulebase.loader import CRISIS_CARD, REQUIRED_DERIVED
from ..rulebase.model import LoadedRule, RuleBase
from ..safety.safety_net import NO_VERDICT, URGENCY_ORDER, Verdict, decide, join, pending_fields
from ..safety.safety_net import lines as net_lines
from .skips import KIND as SKIP
from .space import (
    ABSENT,
    INVARIANT_FIELDS,
    NET_FIELDS,
    PROGRAMME_FIELDS,
    Group,
    Skip,
    Space,
    skips_of,
)
from .summary import (
    EMPTY,
    CardKey,
    Decision,
    Summary,
    combine,
    fallback_sets,
    min_card,
    of_rule,
    resolve,
)

OFFER = "offer"


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


@dataclass(frozen=True)
class StateKey:
    kept: tuple[tuple[str, Any], ...]
    assigned: frozenset[str]
    tracks: tuple[TrackState, ...]
    net: Verdict = NO_VERDICT
    """What the independent safety tables require of this state's questionnaires, decided
    as soon as each table line's answers are known, so those answers need not be kept."""


@dataclass
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


_Group = tuple[tuple[str, ...], ...]
_Kept = tuple[tuple[str, Any], ...]
_Outcome = tuple[tuple[Summary, ...], Verdict]
"""What a stage's firings amount to: a summary per unit, and the safety tables' verdict."""
_Kepts = dict[_Kept, list[Any]]
"""The answers kept -> [weight, example]: the questionnaires of one outcome, by what the rest
of the walk still reads of their answers."""
_Outcomes = dict[_Outcome, _Kepts]
_Fired = tuple[set[int], ...]
_ComponentOutcomes = dict[_Outcome, tuple[_Kepts, _Fired]]
"""Per outcome of one rule group, also the rules that fired (per unit) on the way."""
_Unit = list[tuple[int, int]]
"""(track, step index) pairs running one identical stage from one identical state."""


def stage_key(rulebase: RuleBase, stage_index: int) -> str:
    """Everything about a stage the walk reads, as text: equal keys, equal decisions.

    Wording (descriptions, rationale, evidence, examples, card texts) is left out: it changes
    no decision, so a wording-only change still lets old and new share the stage.
    """
    stage = rulebase.stages[stage_index]

    def card(card_id: str) -> list[Any]:
        entry = rulebase.cards[card_id]
        return [card_id, entry.rank, entry.indicator, entry.booking]

    rules = [
        [
            rule.id,
            rule.order,
            rule.reads,
            rule.rule.priority,
            rule.rule.fallback,
            rule.rule.when.model_dump(mode="json", by_alias=True),
            rule.rule.then.set,
            rule.rule.then.add,
            [card(card_id) for card_id in rule.rule.then.cards],
        ]
        for rule in stage.rules
    ]
    return json.dumps(
        {
            "id": stage.id,
            "derives": {n: d.model_dump(exclude={"description"}) for n, d in stage.derives.items()},
            "raises": {n: d.model_dump(exclude={"description"}) for n, d in stage.raises.items()},
            "stop_when": stage.stop_when.model_dump() if stage.stop_when else None,
            "stops": [stop.model_dump() for stop in stage.stops],
            "inputs": sorted(stage.inputs),
            "rules": rules,
        },
        sort_keys=True,
    )


class Walk:
    """The enumeration of one space over one or more rule bases (see the module docstring)."""

    def __init__(self, space: Space, tracks: Sequence[Track]) -> None:
        self.space = space
        self.tracks = tuple(tracks)
        # Rule bases walked together take their stages in turn (old gate, new gate, old
        # classify...), so answers are expanded once for both and equal stages stay aligned.
        depth = max(len(track.stages) for track in tracks)
        self.steps = [
            (t, k) for k in range(depth) for t, track in enumerate(tracks) if k < len(track.stages)
        ]
        self.records = [StepRecord(t, self.tracks[t].stages[k].stage.id) for t, k in self.steps]
        self.findings: list[Finding] = []
        self._finding_index: dict[tuple[str, str], Finding] = {}
        self._skips = [skips_of(track.rulebase) for track in self.tracks]
        self._skip_checks = [self._skip_checks_for(t, k) for t, k in self.steps]
        # A rule that reads a skippable answer is checked, and the answer's absence kept
        # valid, only where the test that skips it can be evaluated: its field is read with
        # the rule (kept until then, in the same rule group, in every memo key).
        self._rule_reads = [
            {
                rule.order: rule.reads + self._skip_fields(t, rule.reads)
                for rule in self.tracks[t].stages[k].stage.rules
            }
            for t, k in self.steps
        ]
        self._stage_reads = [self._answer_inputs(t, k) for t, k in self.steps]
        self._reads = [
            tuple(dict.fromkeys((*reads, *self._skip_fields(t, reads))))
            for reads, (t, _) in zip(self._stage_reads, self.steps, strict=True)
        ]
        """What a step expands: its rules' answers, and the fields of the tests that skip
        any of them. Those are kept to the end like the invariants' answers, cut to the
        classes of the tests (`Space`), so the check adds no exact value to any state."""
        self._skip_kept = frozenset(skip.test.field for skip in space.skips)
        self._input_names = [
            tuple(dict.fromkeys((*self.tracks[t].stages[k].stage.inputs, *self._reads[index])))
            for index, (t, k) in enumerate(self.steps)
        ]
        self._example_now: Mapping[str, Any] = {}
        # Derived values no stage reads and no check needs (the audit list of red flags, the
        # exercise-group statuses only the programme's wording uses): deciding them would only
        # split states that nothing can tell apart. Only sets and max-combined values with a
        # default qualify, so no gap or equal-priority overlap can hide behind this.
        self._urgency_spec = [self._urgency_values(t, k) for t, k in self.steps]
        self._fallback_sets = [fallback_sets(self.tracks[t].stages[k].stage) for t, k in self.steps]
        read = {name for track in tracks for c in track.stages for name in c.stage.inputs}
        self._unread_sets = frozenset(
            name
            for track in tracks
            for c in track.stages
            for name, spec in c.stage.derives.items()
            if name not in read
            and name not in REQUIRED_DERIVED
            and (spec.type == "set" or (spec.combine == "max" and spec.default is not None))
        )
        self._derived_reads = [self._derived_inputs(t, k) for t, k in self.steps]
        self._predicates = [
            {rule.order: predicate(rule.rule.when) for rule in self.tracks[t].stages[k].stage.rules}
            for t, k in self.steps
        ]
        self._raises = [
            {
                name: tuple(spec.values)
                for name, spec in self.tracks[t].stages[k].stage.raises.items()
            }
            for t, k in self.steps
        ]
        self._rule_summaries = [
            {
                rule.order: of_rule(
                    self.tracks[t].rulebase,
                    self.tracks[t].stages[k].stage,
                    k,
                    rule,
                    self._unread_sets,
                    self._fallback_sets[index],
                )
                for rule in self.tracks[t].stages[k].stage.rules
            }
            for index, (t, k) in enumerate(self.steps)
        ]
        self._memo: dict[Any, _ComponentOutcomes] = {}
        self._pending_answers: dict[frozenset[str], frozenset[str]] = {}
        self._later_rank = [self._min_later_rank(index) for index in range(len(self.steps))]
        self._combined: dict[tuple[Summary, Summary], Summary] = {}
        self._decisions: dict[Any, Decision] = {}
        self._folds: dict[Any, tuple[_Outcomes, tuple[frozenset[int], ...]]] = {}
        self._split: dict[Any, list[tuple[_Group, list[tuple[int, LoadedRule]]]]] = {}
        self._keys = [stage_key(self.tracks[t].rulebase, k) for t, k in self.steps]
        self._same_stage = [
            tuple(
                (t2, later)
                for later, (t2, k2) in enumerate(self.steps)
                if later > index and k2 == k and t2 != t
            )
            for index, (t, k) in enumerate(self.steps)
        ]

    def _answer_inputs(self, track: int, stage: int) -> tuple[str, ...]:
        inputs = self.tracks[track].stages[stage].stage.inputs
        return tuple(name for name in inputs if name in self.space.fields)

    def _derived_inputs(self, track: int, stage: int) -> tuple[str, ...]:
        inputs = self.tracks[track].stages[stage].stage.inputs
        return tuple(name for name in inputs if name not in self.space.fields)

    def _skip_fields(self, track: int, reads: Sequence[str]) -> tuple[str, ...]:
        """The fields of the tests that skip any of `reads` (see `skips_of`)."""
        return tuple(
            skip.test.field
            for skip in self._skips[track]
            if skip.field in reads and skip.test.field not in reads
        )

    def _skip_checks_for(self, track: int, stage: int) -> tuple[tuple[Skip, frozenset[int]], ...]:
        """Each skippable answer this stage's rules read, with the rules (by order) reading it."""
        rules = self.tracks[track].stages[stage].stage.rules
        found = []
        for skip in self._skips[track]:
            readers = frozenset(rule.order for rule in rules if skip.field in rule.reads)
            if readers:
                found.append((skip, readers))
        return tuple(found)

    def handed_on(self, index: int) -> set[str]:
        """The derived values a stage hands to later stages and to the recommendation checks."""
        return self._keep_derived(index, self.steps[index][0])

    def _keep_derived(self, index: int, t: int) -> set[str]:
        keep = set(REQUIRED_DERIVED)
        for later, (track, _) in enumerate(self.steps):
            if later > index and track == t:
                keep.update(self._derived_reads[later])
        return keep

    def note(self, finding: Finding) -> None:
        """Record a finding once per (kind, message); later occurrences only count."""
        key = (finding.kind, finding.message)
        found = self._finding_index.get(key)
        if found is None:
            self._finding_index[key] = finding
            self.findings.append(finding)
        else:
            found.count += finding.count

    # --- the walk ------------------------------------------------------------------------

    def run(self, on_terminal: Callable[[Terminal], None], shard: tuple[int, int] = (0, 1)) -> None:
        """Walk every stage, then hand each end class to `on_terminal`.

        `shard` (number, count) keeps every count-th state after the first stage, so
        `count` processes can share one walk.
        """
        start = StateKey((), frozenset(), tuple(TrackState() for _ in self.tracks))
        states: dict[StateKey, StateData] = {start: StateData(1, {})}
        for index in range(len(self.steps)):
            states = self._step(index, states)
            if index == 0 and shard[1] > 1:
                ordered = sorted(states.items(), key=lambda item: repr(item[0]))
                states = dict(ordered[shard[0] :: shard[1]])
        for key, data in states.items():
            for terminal in self._finish(key, data):
                on_terminal(terminal)

    def _urgency_values(self, t: int, k: int) -> tuple[str, ...] | None:
        stage = self.tracks[t].stages[k].stage
        spec = stage.derives.get("urgency") or stage.raises.get("urgency")
        return tuple(spec.values) if spec is not None else None

    def _needed(
        self, index: int, tracks: Sequence[TrackState], assigned: frozenset[str]
    ) -> set[str]:
        """The answers to keep after a step: for later stages, for the invariants, and for
        safety-table lines still waiting for an answer enumerated later."""
        pending = self._pending_answers.get(assigned)
        if pending is None:
            pending = self._pending_answers[assigned] = pending_fields(assigned)
        return (
            set(INVARIANT_FIELDS)
            | self._skip_kept
            | self._needed_by_stages(index, tracks)
            | pending
        )

    def _pending(self, later: int, tracks: Sequence[TrackState]) -> bool:
        """Whether step `later` still has to run for the state holding `tracks`."""
        t, k = self.steps[later]
        return tracks[t].stopped_at is None and tracks[t].done <= k

    def _expansions(self, groups: Sequence[Group]) -> Iterator[tuple[dict[str, Any], int]]:
        for combo in itertools.product(*(group.members for group in groups)):
            values: dict[str, Any] = {}
            weight = 1
            for member in combo:
                values.update(member.values)
                weight *= member.weight
            yield values, weight

    def _components(
        self, leads: tuple[int, ...], fresh: Sequence[Group]
    ) -> list[tuple[_Group, list[tuple[int, LoadedRule]]]]:
        """The units' rules (tagged with their unit) split into groups sharing no fresh field."""
        memo_key = (leads, tuple(g.fields for g in fresh))
        found = self._split.get(memo_key)
        if found is not None:
            return found
        owner = {name: g.fields for g in fresh for name in g.fields}
        parent: dict[tuple[str, ...], tuple[str, ...]] = {g.fields: g.fields for g in fresh}

        def root(item: tuple[str, ...]) -> tuple[str, ...]:
            while parent[item] != item:
                item = parent[item]
            return item

        rules = [
            (unit, rule)
            for unit, step in enumerate(leads)
            for rule in self.tracks[self.steps[step][0]].stages[self.steps[step][1]].stage.rules
        ]
        # A safety-table line is decided where its last answers are enumerated, so its fresh
        # fields belong to one group, exactly as a rule's do.
        rule_reads = {
            (unit, rule.order): self._rule_reads[leads[unit]][rule.order] for unit, rule in rules
        }
        linked = [rule_reads[(unit, rule.order)] for unit, rule in rules]
        linked += [tuple(e.fields) for e in net_lines()]
        for reads in linked:
            roots = [root(g) for g in {owner[name] for name in reads if name in owner}]
            for other in roots[1:]:
                parent[root(other)] = root(roots[0])
        parts: dict[
            tuple[str, ...] | None, tuple[list[tuple[str, ...]], list[tuple[int, LoadedRule]]]
        ] = {}
        for g in fresh:
            parts.setdefault(root(g.fields), ([], []))[0].append(g.fields)
        for unit, rule in rules:
            touched = [owner[name] for name in rule_reads[(unit, rule.order)] if name in owner]
            key = root(touched[0]) if touched else None
            parts.setdefault(key, ([], []))[1].append((unit, rule))
        result = [(tuple(groups), members) for groups, members in parts.values()]
        self._split[memo_key] = result
        return result

    def _component(
        self,
        leads: tuple[int, ...],
        groups: _Group,
        rules: list[tuple[int, LoadedRule]],
        contexts: Sequence[Mapping[str, Any]],
        needed: set[str],
        later: frozenset[str],
    ) -> _ComponentOutcomes:
        """Every outcome of one rule group over its fresh fields: the summaries and the
        verdict of the safety-table lines whose last answers are among them, with the kept
        answers of the questionnaires reaching it.

        Kept are the fresh answers in `needed`: exact where a later stage reads them (`later`),
        else cut to what the invariants test.
        """
        seen = tuple(
            tuple(
                (n, contexts[u][n])
                for n in sorted(
                    {
                        n
                        for v, rule in rules
                        if v == u
                        for n in self._rule_reads[leads[v]][rule.order]
                    }
                )
                if n in contexts[u]
            )
            for u in range(len(leads))
        )
        names = {name for fields in groups for name in fields}
        known = names | {name for name in contexts[0] if name in self.space.fields}
        deciding = [e for e in net_lines() if e.fields & names and e.fields <= known]
        earlier = sorted({n for e in deciding for n in e.fields} - names)
        net_seen = tuple((n, contexts[0][n]) for n in earlier)
        memo_key = (
            leads,
            groups,
            seen,
            self._raised(leads, contexts),
            frozenset(needed),
            later,
            net_seen,
        )
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        ordered = [
            sorted(
                (rule for v, rule in rules if v == u),
                key=lambda rule: (rule.rule.priority, rule.order),
            )
            for u in range(len(leads))
        ]
        members = [self.space.group(fields[0]) for fields in groups]
        outcomes: _ComponentOutcomes = {}
        fresh_skips = [skip for skip in self._skips[0] if skip.field in names]
        for values, weight in self._expansions(members):
            if fresh_skips and self._left_out_when_asked(fresh_skips, contexts[0], values):
                continue  # an incomplete questionnaire, not one of the inputs
            summaries = []
            fired: list[set[int]] = []
            for u, step in enumerate(leads):
                predicates = self._predicates[step]
                full = {**contexts[u], **values}
                present = {n: v for n, v in full.items() if v is not ABSENT}
                summary = EMPTY
                fired_here = set()
                effects = self._rule_summaries[step]
                for rule in ordered[u]:
                    if predicates[rule.order](present):
                        fired_here.add(rule.order)
                        summary = self._combine(summary, effects[rule.order])
                if self._skip_checks[step]:
                    self._check_skips(step, ordered[u], present, values)
                summaries.append(self._below_floor(step, summary, contexts[u]))
                fired.append(fired_here)
            kept = tuple(
                sorted(
                    (n, v if n in later else self.space.invariant_class(n, v))
                    for n, v in values.items()
                    if n in needed
                )
            )
            answers = {**contexts[0], **values}
            present = {n: v for n, v in answers.items() if v is not ABSENT}
            net = decide(NO_VERDICT, deciding, present)
            outcome = (tuple(summaries), net)
            reached = outcomes.get(outcome)
            if reached is None:
                outcomes[outcome] = ({kept: [weight, values]}, tuple(fired))
                continue
            kepts, fired_before = reached
            for mine, more in zip(fired_before, fired, strict=True):
                mine |= more
            entry = kepts.get(kept)
            if entry is None:
                kepts[kept] = [weight, values]
            else:
                entry[0] += weight
        self.records[leads[0]].evaluations += sum(1 for _ in self._expansions(members))
        self._memo[memo_key] = outcomes
        return outcomes

    @staticmethod
    def _left_out_when_asked(
        skips: Sequence[Skip], context: Mapping[str, Any], values: Mapping[str, Any]
    ) -> bool:
        """Whether `values` leave out an answer whose question these answers ask (the space
        holds a skippable answer's absence only where its question is skipped); `skips` are
        those whose answer `values` enumerate."""
        for skip in skips:
            if values.get(skip.field, None) is ABSENT:
                known = {**context, **values}
                asking = known.get(skip.test.field, ABSENT)
                if asking is not ABSENT and skip.asked({skip.test.field: asking}):
                    return True
        return False

    def _check_skips(
        self,
        step: int,
        rules: Sequence[LoadedRule],
        present: Mapping[str, Any],
        values: Mapping[str, Any],
    ) -> None:
        """The skip proof at one rule group: where a question is skipped (its test fails on
        these answers), each rule reading its answer must fire alike with the answer given
        and with it left out. A rule that does not is a finding, with this questionnaire."""
        predicates = self._predicates[step]
        t, k = self.steps[step]
        for skip, readers in self._skip_checks[step]:
            if skip.field not in present or skip.test.field not in present:
                continue
            if skip.asked(present):
                continue
            without = {n: v for n, v in present.items() if n != skip.field}
            for rule in rules:
                if rule.order not in readers:
                    continue
                given, left_out = predicates[rule.order](present), predicates[rule.order](without)
                if given == left_out:
                    continue
                answer = present[skip.field]
                message = (
                    f"question {skip.question} ({skip.field}) is skipped unless"
                    f" {skip.describe()}, but rule {rule.id} "
                    + ("fires" if given else "does not fire")
                    + f" when it is answered {answer!r} and "
                    + ("does not" if given else "does")
                    + " when it is left out"
                )
                example = {**self._example_now, **values}
                stage = self.tracks[t].stages[k].stage.id
                self.note(Finding(SKIP, message, stage, rule.id, example))

    def _fold(
        self,
        leads: tuple[int, ...],
        fresh: Sequence[Group],
        contexts: Sequence[Mapping[str, Any]],
        needed: set[str],
        later: frozenset[str],
    ) -> tuple[_Outcomes, tuple[frozenset[int], ...]]:
        """All outcomes of the units' stage over its fresh fields, rule groups merged
        (memoised), and per unit the non-fallback rules that fired on the way."""
        fresh_fields = tuple(g.fields for g in fresh)
        names = {name for fields in fresh_fields for name in fields}
        seen = tuple(
            tuple((n, context[n]) for n in self._input_names[step] if n in context)
            for step, context in zip(leads, contexts, strict=True)
        )
        net_seen = tuple((n, contexts[0][n]) for n in NET_FIELDS if n in contexts[0])
        memo_key = (
            leads,
            fresh_fields,
            seen,
            self._raised(leads, contexts),
            frozenset(needed & names),
            later & names,
            net_seen,
        )
        found = self._folds.get(memo_key)
        if found is not None:
            return found
        fired: list[set[int]] = [set() for _ in leads]
        combined: _Outcomes = {((EMPTY,) * len(leads), NO_VERDICT): {(): [1, {}]}}
        components = [
            self._component(leads, groups, rules, contexts, needed, later)
            for groups, rules in self._components(leads, fresh)
        ]
        # Fewest outcomes first keeps the partial products small.
        components.sort(key=len)
        combine, single = self._combine, len(leads) == 1
        for outcomes in components:
            for (sums_b, _), (_, fired_b) in outcomes.items():
                for mine, more, summary in zip(fired, fired_b, sums_b, strict=True):
                    mine |= more - summary.fallbacks
            folded: _Outcomes = {}
            # Summaries combine once per pair of outcomes; the kept answers, which no
            # decision reads, only multiply out beneath them.
            for (sums_a, net_a), kepts_a in combined.items():
                for (sums_b, net_b), (kepts_b, _) in outcomes.items():
                    sums: tuple[Summary, ...]
                    if single:
                        sums = (combine(sums_a[0], sums_b[0]),)
                    else:
                        sums = tuple(combine(a, b) for a, b in zip(sums_a, sums_b, strict=True))
                    verdict = self._settled(leads, join(net_a, net_b), sums, contexts)
                    target = folded.setdefault((sums, verdict), {})
                    for kept_a, (weight_a, example_a) in kepts_a.items():
                        for kept_b, (weight_b, example_b) in kepts_b.items():
                            kept = kept_a + kept_b
                            entry = target.get(kept)
                            if entry is None:
                                target[kept] = [weight_a * weight_b, {**example_a, **example_b}]
                            else:
                                entry[0] += weight_a * weight_b
            combined = folded
        result = (combined, tuple(frozenset(f) for f in fired))
        self._folds[memo_key] = result
        return result

    def _settled(
        self,
        leads: tuple[int, ...],
        net: Verdict,
        summaries: Sequence[Summary],
        contexts: Sequence[Mapping[str, Any]],
    ) -> Verdict:
        """`net` without an urgency requirement already met: urgency only ever rises through
        the stages, so once the urgency a state is sure to reach is at least the required
        level, no later step can break it, and states that differ only there merge."""
        level, others = net
        if level < 0:
            return net
        floor = min(
            self._urgency_floor(step, summary, context)
            for step, summary, context in zip(leads, summaries, contexts, strict=True)
        )
        return (-1, others) if level <= floor else net

    def _raised(
        self, leads: tuple[int, ...], contexts: Sequence[Mapping[str, Any]]
    ) -> tuple[tuple[Any, ...], ...]:
        """The incoming values of the fields each unit's stage may raise: a stage's outcome
        depends on them even where no rule reads them (`_below_floor`, `_settled`), so every
        memo of a stage's outcomes is keyed on them."""
        return tuple(
            tuple(context[name] for name in self._raises[step])
            for step, context in zip(leads, contexts, strict=True)
        )

    def _below_floor(self, step: int, summary: Summary, context: Mapping[str, Any]) -> Summary:
        """`summary` without proposals to raise a value no higher than it already is: they
        change nothing (a raise combines by max with the incoming value), so leaving them
        out lets firings that differ only there merge."""
        raises = self._raises[step]
        if not raises or not summary.maxes:
            return summary
        kept = tuple(
            (name, index)
            for name, index in summary.maxes
            if name not in raises or index > raises[name].index(context[name])
        )
        return summary if len(kept) == len(summary.maxes) else replace(summary, maxes=kept)

    def _urgency_floor(self, step: int, summary: Summary, context: Mapping[str, Any]) -> int:
        """The least urgency (index in URGENCY_ORDER) a state will end with, by what came in
        and what this stage's fired rules already propose."""
        floor = (
            URGENCY_ORDER.index(context["urgency"])
            if context.get("urgency") in URGENCY_ORDER
            else -1
        )
        spec = self._urgency_spec[step]
        for name, index in summary.maxes:
            if name == "urgency" and spec is not None and spec[index] in URGENCY_ORDER:
                floor = max(floor, URGENCY_ORDER.index(spec[index]))
        return floor

    def _inputs(self, step: int) -> Mapping[str, Any]:
        t, k = self.steps[step]
        return self.tracks[t].stages[k].stage.inputs

    def _units(self, index: int, tracks: Sequence[TrackState]) -> list[_Unit]:
        """The rule bases still to run this step's stage in a state, grouped into units."""
        t = self.steps[index][0]
        pending = [(t, index)] + [
            (t2, later) for t2, later in self._same_stage[index] if self._pending(later, tracks)
        ]
        units: list[_Unit] = []
        for track, step in pending:
            for unit in units:
                lead_track, lead_step = unit[0]
                if (
                    self._keys[lead_step] == self._keys[step]
                    and tracks[lead_track] == tracks[track]
                ):
                    unit.append((track, step))
                    break
            else:
                units.append([(track, step)])
        return units

    def _decide(self, step: int, summary: Summary, context: Mapping[str, Any]) -> Decision:
        t, k = self.steps[step]
        stage = self.tracks[t].stages[k].stage
        decision_key = (step, summary, tuple(context[name] for name in stage.raises))
        decision = self._decisions.get(decision_key)
        if decision is None:
            decision = resolve(
                self.tracks[t].rulebase, stage, k, summary, context, self._unread_sets
            )
            self._decisions[decision_key] = decision
        return decision

    def _step(self, index: int, states: dict[StateKey, StateData]) -> dict[StateKey, StateData]:
        t, k = self.steps[index]
        record = self.records[index]
        merged: dict[StateKey, StateData] = {}
        for key, data in states.items():
            track = key.tracks[t]
            if track.stopped_at is not None or track.done > k:
                self._merge(merged, key, data.weight, data.example)
                continue
            units = self._units(index, key.tracks)
            leads = tuple(unit[0][1] for unit in units)
            starts = [key.tracks[unit[0][0]] for unit in units]
            contexts = [{**dict(key.kept), **dict(start.derived)} for start in starts]
            ahead = list(key.tracks)
            for unit in units:
                for t2, _ in unit:
                    ahead[t2] = replace(key.tracks[t2], done=k + 1)
            reads = [name for step in leads for name in self._reads[step]]
            fresh = [g for g in self.space.groups_for(reads) if not set(g.fields) <= key.assigned]
            assigned = key.assigned | {name for g in fresh for name in g.fields}
            needed_all = self._needed(index, ahead, assigned)
            later = frozenset(self._needed_by_stages(index, ahead))
            self._example_now = data.example
            combined, fired = self._fold(leads, fresh, contexts, needed_all, later)
            for unit, fired_here in zip(units, fired, strict=True):
                for _, step in unit:
                    self.records[step].applicable |= fired_here
            for (summaries, net_new), kepts in combined.items():
                record.classes += len(kepts)
                first = next(iter(kepts.values()))[1]
                after = self._apply(
                    units, starts, contexts, summaries, {**data.example, **first}, key.tracks
                )
                if after is None:
                    continue  # a gap: no decision, noted
                needed = self._needed(index, after, assigned)
                later_after = self._needed_by_stages(index, after)
                net = join(key.net, net_new)
                for kept_new, (weight, example) in kepts.items():
                    kept = dict(key.kept)
                    kept.update(kept_new)
                    self._merge(
                        merged,
                        StateKey(self._project(kept, needed, later_after), assigned, after, net),
                        data.weight * weight,
                        {**data.example, **example},
                    )
        return merged

    def _apply(
        self,
        units: Sequence[_Unit],
        starts: Sequence[TrackState],
        contexts: Sequence[Mapping[str, Any]],
        summaries: Sequence[Summary],
        example: dict[str, Any],
        tracks: Sequence[TrackState],
    ) -> tuple[TrackState, ...] | None:
        """Each unit's decision applied to its tracks; None if a unit's stage has a gap."""
        after = list(tracks)
        for unit, start, context, summary in zip(units, starts, contexts, summaries, strict=True):
            lead_track, lead_step = unit[0]
            k = self.steps[lead_step][1]
            stage = self.tracks[lead_track].stages[k].stage
            decision = self._decide(lead_step, summary, context)
            for _, step in unit:
                self.records[step].outcomes.setdefault(decision, example)
                self.records[step].applicable |= decision.applicable
            if decision.overlap is not None:
                self.note(Finding("overlap", decision.overlap, stage.id, None, example))
            if decision.gap is not None:
                seen = ", ".join(f"{n} {context[n]}" for n in self._derived_reads[lead_step])
                message = f"{decision.gap}" + (f" (when {seen})" if seen else "")
                self.note(Finding("gap", message, stage.id, None, example))
                return None
            derived = dict(start.derived)
            derived.update(decision.derived)
            stopped = any(derived[stop.field] in stop.one_of for stop in stage.stops)
            for t2, step in unit:
                keep_derived = self._keep_derived(step, t2)
                after[t2] = TrackState(
                    tuple(sorted((n, v) for n, v in derived.items() if n in keep_derived)),
                    self._settle(step, min_card(start.card, decision.card)),
                    start.bookings | decision.bookings,
                    start.alarm or decision.alarm,
                    k if stopped else None,
                    k + 1,
                )
        return tuple(after)

    def _settle(self, index: int, card: CardKey | None) -> CardKey | None:
        """Once no later card can come before it, only whether the first card is the crisis
        card still matters (to the invariants): keep just that, so states merge."""
        if card is None or card[0] < 0:
            return card
        if self._later_rank[index] <= card[0]:
            return card
        crisis = card[5] == CRISIS_CARD
        return (-1, 0, 0, 0, 0, CRISIS_CARD if crisis else "")

    def _combine(self, a: Summary, b: Summary) -> Summary:
        if a is EMPTY:  # identity, not equality: this runs millions of times
            return b
        if b is EMPTY:
            return a
        found = self._combined.get((a, b))
        if found is None:
            found = self._combined[(a, b)] = combine(a, b)
        return found

    def _min_later_rank(self, index: int) -> int:
        t = self.steps[index][0]
        ranks = [
            self.tracks[t].rulebase.cards[card_id].rank
            for later, (track, k) in enumerate(self.steps)
            if later > index and track == t
            for rule in self.tracks[t].stages[k].stage.rules
            for card_id in rule.rule.then.cards
        ]
        return min(ranks, default=1 << 30)

    def _project(
        self, kept: Mapping[str, Any], needed: set[str], later: set[str]
    ) -> tuple[tuple[str, Any], ...]:
        """The answers still needed; those only the invariants read (not in `later`), cut to
        what they test."""
        return tuple(
            sorted(
                (n, v if n in later else self.space.invariant_class(n, v))
                for n, v in kept.items()
                if n in needed
            )
        )

    def _needed_by_stages(self, index: int, tracks: Sequence[TrackState]) -> set[str]:
        needed = set(PROGRAMME_FIELDS)
        for later in range(index + 1, len(self.steps)):
            if self._pending(later, tracks):
                needed.update(self._stage_reads[later])
        return needed

    @staticmethod
    def _merge(
        states: dict[StateKey, StateData], key: StateKey, weight: int, example: dict[str, Any]
    ) -> None:
        found = states.get(key)
        if found is None:
            states[key] = StateData(weight, example)
        else:
            found.weight += weight

    # --- the end: the answers only the invariants and the programme read ---------------

    def _finish(self, key: StateKey, data: StateData) -> Iterator[Terminal]:
        if self.space.partial and any(track.stopped_at is None for track in key.tracks):
            return  # a partial questionnaire the gate does not stop is rejected as incomplete
        fresh = [
            g for g in self.space.groups_for(INVARIANT_FIELDS) if not set(g.fields) <= key.assigned
        ]
        assigned = key.assigned | {name for g in fresh for name in g.fields}
        unassigned = [name for name in self.space.fields if name not in assigned]
        filler = {} if self.space.partial else self.space.filler(unassigned)
        offers = any(dict(track.derived).get("exercise_programme") == OFFER for track in key.tracks)
        for values, weight in self._expansions(fresh):
            assignment = {**filler, **data.example, **values}
            for variant, numerator, denominator in self._variants(assignment, assigned, offers):
                total = data.weight * weight * numerator // denominator
                yield Terminal(variant, total, key.tracks)

    def _variants(
        self, assignment: Mapping[str, Any], assigned: frozenset[str], offers: bool
    ) -> list[tuple[dict[str, Any], int, int]]:
        """The assignment, with each programme field cut finer where a programme is offered.

        Returns (assignment, weight numerator, denominator): a field already enumerated in a
        coarse class shares that class's weight; one not yet enumerated brings its own.
        """
        variants: list[tuple[dict[str, Any], int, int]] = [(dict(assignment), 1, 1)]
        cut: set[str] = set()
        if offers and not self.space.partial:
            cut = set(PROGRAMME_FIELDS)
            for name in PROGRAMME_FIELDS:
                options: list[tuple[Any, int, int]]
                if name in assigned:
                    options = self.space.refine(name, assignment[name])
                else:
                    options = [
                        (v, w, 1) for v, w in self.space.fine[name].members if v is not ABSENT
                    ]
                variants = [
                    ({**values, name: value}, numerator * weight, denominator * total)
                    for values, numerator, denominator in variants
                    for value, weight, total in options
                ]
        rest = 1
        if not self.space.partial:
            for group in self.space.groups_for(self.space.fields):
                if not set(group.fields) & (assigned | cut):
                    rest *= self.space.weight_unread(group, assignment)
        return [
            (values, numerator * rest, denominator) for values, numerator, denominator in variants
        ]
