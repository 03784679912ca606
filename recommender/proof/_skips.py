"""What `facesym verify` proves of the questions a rule base skips (`ask_when`).

A question is skipped when its test on an earlier answer fails. The walk proves, in every
rule group that reads the answer, that no rule could fire differently had the question been
answered, whatever the answer (`skip_problems`), so the recommendation (pathway, urgency,
category, options, cautions, cards, programme) is the same either way. Rules are the only
readers it checks, so a skippable answer that something else reads (the programme builder,
the contract invariants, the independent safety tables) is a finding in itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..rulebase.conditions import Predicate
from ..rulebase.model import LoadedRule, RuleBase
from ..safety.invariants import answer_fields
from ._space import ABSENT, COUPLED, NET_FIELDS, PROGRAMME_FIELDS, Skip, skips_of

KIND = "skip"
"""The verify finding kind for a skipped question whose answer could change the outcome."""


def read_outside_rules() -> Mapping[str, str]:
    """Each answer something other than the rules reads, and who reads it."""
    return {
        **dict.fromkeys(NET_FIELDS, "the safety tables"),
        **dict.fromkeys(answer_fields(), "the contract invariants"),
        **dict.fromkeys(PROGRAMME_FIELDS, "the exercise programme"),
        **dict.fromkeys(COUPLED, "the event pairing"),
    }


def unprovable(rulebase: RuleBase) -> list[str]:
    """Skippable answers something other than the rules reads: the walk cannot prove them."""
    readers = read_outside_rules()
    return [
        f"question {skip.question} ({skip.field}) is skipped unless {skip.describe()}, but"
        f" {readers[skip.field]} read it, so skipping it cannot be proven harmless"
        for skip in skips_of(rulebase)
        if skip.field in readers
    ]


def left_out_when_asked(
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


def skip_problems(
    checks: Sequence[tuple[Skip, frozenset[int]]],
    predicates: Mapping[int, Predicate],
    rules: Sequence[LoadedRule],
    present: Mapping[str, Any],
) -> Iterator[tuple[str, str]]:
    """The skip proof at one rule group: where a question is skipped (its test fails on
    these answers), each rule reading its answer must fire alike with the answer given
    and with it left out. Yields (message, rule id) for each rule that does not."""
    for skip, readers in checks:
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
            yield message, rule.id
