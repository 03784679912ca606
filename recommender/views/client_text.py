"""Whether a piece of text may be shown to a client: the one scanner for every surface.

Two lists, neither read from the text being checked, so a rule base cannot whitelist itself:

- the words client text must never use (`wording.wording_problems`: medicine and product
  names, promises, "years younger", diagnoses);
- internal identifiers spelled as code: every contract enum value and field name, and every
  id the rule base defines (rules, cards, cautions, services, exercises, groups, stages,
  derived fields and their values, red flags). Only the ones that look like code are kept
  (`both_close`, `EX-COACH`, `M1`, `R12`, `classify.m1_weak_side`); plain words such as
  `lips` or `stable` are also ordinary English and cannot be told apart from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..contract.fields import field_specs
from ..contract.recommendation import CATEGORIES, INJECTABLE_OPTIONS, PATHWAYS, URGENCIES
from ..rulebase.model import RuleBase
from ..rulebase.wording import wording_problems

_CODE_LIKE = re.compile(r"[_.\-\d]|^[A-Z]{2,}$")


def looks_like_code(name: str) -> bool:
    """Snake case, dotted or hyphenated, with a digit, or all capitals: not a plain word."""
    return bool(_CODE_LIKE.search(name))


def contract_names() -> Iterator[str]:
    """Every field name and enum value of the contract (questionnaire and recommendation)."""
    for name, spec in field_specs().items():
        yield name
        if spec.kind in ("choice", "multi"):
            yield from spec.values
    yield from PATHWAYS
    yield from URGENCIES
    yield from CATEGORIES
    yield from INJECTABLE_OPTIONS


def rulebase_ids(rulebase: RuleBase) -> Iterator[str]:
    """Every id a rule base defines (its ids, never its texts)."""
    for rule in rulebase.all_rules():
        yield rule.id
        yield from rule.id.split(".")
        yield from rule.rule.then.cautions
        yield from rule.rule.then.cards
    for stage in rulebase.stages:
        yield stage.id
    yield from rulebase.cards
    yield from rulebase.cautions
    yield from rulebase.services
    yield from rulebase.exercises.exercises
    yield from rulebase.exercises.groups
    for name, spec in rulebase.derived.items():
        yield name
        yield from spec.values
    for question in rulebase.questions.questions:
        yield question.id
        yield question.field
    yield from rulebase.questions.blocks


class ClientTextChecker:
    """Finds what must not reach a client in a text; built once per rule base."""

    def __init__(self, rulebase: RuleBase) -> None:
        names = {
            name
            for name in (*contract_names(), *rulebase_ids(rulebase))
            if isinstance(name, str) and looks_like_code(name)
        }
        self.codes = frozenset(names)
        # Longest first, so `R12` is reported rather than nothing when `R1` is also a code.
        ordered = sorted(names, key=lambda name: (-len(name), name))
        self._codes = re.compile(
            r"(?<![\w.\-])(" + "|".join(map(re.escape, ordered)) + r")(?![\w\-]|\.\w)"
        )

    def problems(self, text: str, field: str = "") -> list[str]:
        """What is wrong with one client text; `field` names the question an option is of
        (the blood-thinner options may name a person's own tablets, see `wording`)."""
        found = wording_problems(text, field)
        found += [f"shows the code {m.group(1)!r}" for m in self._codes.finditer(text)]
        return found

    def scan(self, texts: Iterable[tuple[str, str]]) -> list[str]:
        """Problems in (where, text) pairs, each prefixed with where it is."""
        return [
            f"{where}: {problem}: {text!r}"
            for where, text in texts
            for problem in self.problems(text)
        ]
