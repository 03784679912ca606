"""What a set of firings in one stage amounts to, in a form that combines across rule groups.

`pipeline._resolve` needs the whole list of firings. `verify` evaluates a stage's independent
rule groups separately (their answer fields do not overlap), so it needs a summary of each
group's firings that can be merged: per `first` field the top priority and what was proposed
there, per `max` field the highest value, set additions, the fired fallback rules (resolved at
the end, with the same rule as `pipeline.applicable`), and the cards as the key of the card
that would come first plus the bookings they carry. Merging is associative and commutative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..contract.constants import CRISIS_CARD
from ..rulebase.model import LoadedRule, RuleBase, Stage


class CardKey(NamedTuple):
    """The card that would come first, ordered as the composer orders cards. The middle
    four are 0 for a card whose rank no other card shares, since they only break ties."""

    rank: int
    stage_index: int
    priority: int
    rule_order: int
    position: int
    """Its position in the rule's list of cards."""
    card_id: str


@dataclass(frozen=True)
class Summary:
    decided: frozenset[str] = frozenset()
    firsts: tuple[tuple[str, int, frozenset[tuple[str, str]], tuple[int, str]], ...] = ()
    """(field, top priority, {(value, rule id)} at it, (order, value) of the first rule)."""
    maxes: tuple[tuple[str, int], ...] = ()
    """(field, index of the highest proposed value)."""
    adds: tuple[tuple[str, frozenset[str]], ...] = ()
    fallbacks: frozenset[int] = frozenset()
    card: CardKey | None = None
    bookings: frozenset[str] = frozenset()
    alarm: bool = False
    """A critical card other than crisis signposting (a red-flag message) was shown."""
    _hash: int = field(default=0, compare=False, repr=False)

    def __post_init__(self) -> None:
        state = (self.decided, self.firsts, self.maxes, self.adds, self.fallbacks, self.card)
        object.__setattr__(self, "_hash", hash((state, self.bookings, self.alarm)))

    def __hash__(self) -> int:
        return self._hash


EMPTY = Summary()


def min_card(a: CardKey | None, b: CardKey | None) -> CardKey | None:
    """The more important of two red-flag card keys; None means no card."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def combine(a: Summary, b: Summary) -> Summary:
    """Both summaries' firings together."""
    if a is EMPTY:
        return b
    if b is EMPTY:
        return a
    firsts: dict[str, tuple[int, frozenset[tuple[str, str]], tuple[int, str]]] = {
        name: (priority, values, best) for name, priority, values, best in a.firsts
    }
    for name, priority, values, best in b.firsts:
        found = firsts.get(name)
        if found is None or priority < found[0]:
            firsts[name] = (priority, values, best)
        elif priority == found[0]:
            firsts[name] = (priority, found[1] | values, min(found[2], best))
    maxes = dict(a.maxes)
    for name, index in b.maxes:
        maxes[name] = max(index, maxes.get(name, index))
    adds = dict(a.adds)
    for name, added in b.adds:
        adds[name] = adds.get(name, frozenset()) | added
    return Summary(
        a.decided | b.decided,
        tuple(sorted((name, *rest) for name, rest in firsts.items())),
        tuple(sorted(maxes.items())),
        tuple(sorted(adds.items())),
        a.fallbacks | b.fallbacks,
        min_card(a.card, b.card),
        a.bookings | b.bookings,
        a.alarm or b.alarm,
    )


def of_rule(
    rulebase: RuleBase,
    stage: Stage,
    stage_index: int,
    rule: LoadedRule,
    ignored: frozenset[str] = frozenset(),
    fallbacks: frozenset[str] | None = None,
) -> Summary:
    """The summary of one rule firing (a fallback is only noted, and resolved at the end).

    Effects on the values in `ignored` (read by no later stage and no check, such as the
    audit list of red flags) are left out, so firings that differ only there merge.
    """
    if rule.rule.fallback:
        return Summary(fallbacks=frozenset({rule.order}))
    if fallbacks is None:
        fallbacks = fallback_sets(stage)
    return _effects(rulebase, stage, stage_index, rule, ignored, fallbacks)


def _effects(
    rulebase: RuleBase,
    stage: Stage,
    stage_index: int,
    rule: LoadedRule,
    ignored: frozenset[str],
    fallbacks: frozenset[str],
) -> Summary:
    then, priority = rule.rule.then, rule.rule.priority
    firsts, maxes = [], []
    for name, value in then.set.items():
        if name in ignored:
            continue
        spec = stage.derives[name] if name in stage.derives else stage.raises[name]
        if spec.combine == "first":
            firsts.append((name, priority, frozenset({(value, rule.id)}), (rule.order, value)))
        else:
            index = spec.values.index(value)
            # The lowest value of a raised field, or of a derived one that defaults to it,
            # is what no firing gives anyway: leaving it out lets such firings merge.
            if index > 0 or (name not in stage.raises and spec.default != spec.values[0]):
                maxes.append((name, index))
    card: CardKey | None = None
    bookings = set()
    alarm = False
    for position, card_id in enumerate(then.cards):
        entry = rulebase.cards[card_id]
        alarm = alarm or (entry.indicator == "critical" and card_id != CRISIS_CARD)
        # Which rule showed a card matters only to order cards of equal rank.
        if entry.rank in rulebase.tied_ranks:
            key = CardKey(entry.rank, stage_index, priority, rule.order, position, card_id)
        else:
            key = CardKey(entry.rank, 0, 0, 0, 0, card_id)
        card = min_card(card, key)
        if entry.booking is not None:
            bookings.add(entry.booking)
    return Summary(
        decided=frozenset() if rule.rule.fallback else frozenset(then.set) & fallbacks,
        firsts=tuple(sorted(firsts)),
        maxes=tuple(sorted(maxes)),
        adds=tuple(
            sorted(
                (name, frozenset(values))
                for name, values in then.add.items()
                if name not in ignored
            )
        ),
        card=card,
        bookings=frozenset(bookings),
        alarm=alarm,
    )


def fallback_sets(stage: Stage) -> frozenset[str]:
    """The values a fallback rule of the stage sets. Only whether another rule decided one
    of these matters (`pipeline.applicable`), so a summary's `decided` keeps just those and
    firings that differ elsewhere merge. Callers in a hot loop compute it once per stage."""
    return frozenset(n for r in stage.rules if r.rule.fallback for n in r.rule.then.set)


@dataclass(frozen=True)
class Decision:
    """A stage's resolved outcome."""

    derived: tuple[tuple[str, Any], ...]
    card: CardKey | None
    bookings: frozenset[str]
    alarm: bool
    applicable: frozenset[int]
    """The fallback rules that apply (the other applicable rules are known where they fired)."""
    gap: str | None = None
    overlap: str | None = None
    _hash: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        state = (self.derived, self.card, self.bookings, self.alarm, self.applicable)
        object.__setattr__(self, "_hash", hash((state, self.gap, self.overlap)))

    def __hash__(self) -> int:
        return self._hash


def resolve(
    rulebase: RuleBase,
    stage: Stage,
    stage_index: int,
    summary: Summary,
    context: Mapping[str, Any],
    ignored: frozenset[str] = frozenset(),
) -> Decision:
    """Apply fallbacks and combine policies: the same result as `pipeline._resolve`.

    `context` gives the incoming values of the fields this stage may raise; sets in
    `ignored` are not decided (see `of_rule`).
    """
    rules = {rule.order: rule for rule in stage.rules}
    applicable: set[int] = set()
    for order in sorted(summary.fallbacks):
        rule = rules[order]
        if not summary.decided & rule.rule.then.set.keys():
            summary = combine(
                summary, _effects(rulebase, stage, stage_index, rule, ignored, frozenset())
            )
            applicable.add(order)
    firsts = {name: (values, best) for name, _, values, best in summary.firsts}
    maxes, adds = dict(summary.maxes), dict(summary.adds)
    derived: list[tuple[str, Any]] = []
    gap = overlap = None
    for name, spec in stage.raises.items():
        index = max(spec.values.index(context[name]), maxes.get(name, 0))
        derived.append((name, spec.values[index]))
    for name, spec in stage.derives.items():
        if name in ignored:
            continue
        if spec.type == "set":
            chosen = adds.get(name, frozenset())
            derived.append((name, tuple(v for v in spec.values if v in chosen)))
        elif name in firsts:
            values, best = firsts[name]
            if len({value for value, _ in values}) > 1 and overlap is None:
                rules_at = ", ".join(sorted(f"{rule} sets {value}" for value, rule in values))
                overlap = f"{name}: rules of equal priority disagree ({rules_at})"
            derived.append((name, best[1]))
        elif name in maxes:
            derived.append((name, spec.values[maxes[name]]))
        elif spec.default is not None:
            derived.append((name, spec.default))
        else:
            gap = gap or f"stage {stage.id}: no rule decided {name}"
    return Decision(
        tuple(derived),
        summary.card,
        summary.bookings,
        summary.alarm,
        frozenset(applicable),
        gap,
        overlap,
    )


class SummaryTable:
    """One object per distinct summary, and each pair of summaries combined once.

    Interned summaries let the walk's memos and outcome tables compare them by identity
    instead of field by field; combining is the fold's innermost step.
    """

    def __init__(self) -> None:
        self._interned: dict[Summary, Summary] = {EMPTY: EMPTY}
        self._combined: dict[tuple[Summary, Summary], Summary] = {}

    def intern(self, summary: Summary) -> Summary:
        """The one object equal to `summary`."""
        return self._interned.setdefault(summary, summary)

    def combine(self, a: Summary, b: Summary) -> Summary:
        """`combine(a, b)`, interned (both must be interned already)."""
        if a is EMPTY:  # identity, not equality: this runs millions of times
            return b
        if b is EMPTY:
            return a
        found = self._combined.get((a, b))
        if found is None:
            found = self._combined[(a, b)] = self.intern(combine(a, b))
        return found
