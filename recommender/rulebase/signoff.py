"""Which rules the prescriber has signed off, which changed since (stale), and which await.

A sign-off covers a rule's exact content: each signed rule's fingerprint is recorded, so a
rule is `signed` only while it is byte-for-byte what the prescriber read (in meaning: its
canonical form), `stale` once anything in it changed, and `awaiting` until first signed.
The newest sign-off naming a rule decides its status.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .model import LoadedRule, RuleBase
from .signoff_record import SignOff, check_name, check_registration, utc_timestamp

Status = Literal["signed", "stale", "awaiting"]
STATUSES: tuple[Status, ...] = ("stale", "awaiting", "signed")
"""In the order a prescriber needs them: what changed, what is new, what is done."""


def rule_fingerprint(rulebase: RuleBase, loaded: LoadedRule) -> str:
    """sha256 of the rule's canonical form: its stage, condition, effects, priority, texts
    (rationale and review note), evidence and examples, and the wording of the cards and
    cautions it shows, since the prescriber signs what the rule tells people too. Layout,
    comments and the file a rule sits in do not count."""
    rule = loaded.rule
    content = {
        "stage": loaded.stage,
        "rule": rule.model_dump(mode="json", by_alias=True),
        "cards": {card: rulebase.cards[card].model_dump(mode="json") for card in rule.then.cards},
        "cautions": {
            caution: rulebase.cautions[caution].model_dump(mode="json")
            for caution in rule.then.cautions
        },
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RuleSignOff:
    """One rule's sign-off status, and the sign-off behind it (none while awaiting)."""

    rule: LoadedRule
    status: Status
    signoff: SignOff | None


@dataclass(frozen=True)
class SignOffStatus:
    """The sign-off status of every rule of a rule base, in rule base order."""

    rules: tuple[RuleSignOff, ...]
    latest: SignOff | None
    rulebase_fingerprint: str

    def having(self, status: Status) -> tuple[RuleSignOff, ...]:
        return tuple(entry for entry in self.rules if entry.status == status)

    @property
    def not_signed_off(self) -> int:
        """Rules awaiting or stale: those a prescriber still has to sign."""
        return sum(entry.status != "signed" for entry in self.rules)

    @property
    def fully_signed(self) -> bool:
        return self.not_signed_off == 0

    @property
    def changed_since_latest(self) -> bool:
        """Whether any file of the rule base changed since the newest sign-off (catalogue
        and question wording included, which no single rule covers)."""
        return self.latest is not None and (
            self.latest.rulebase_fingerprint != self.rulebase_fingerprint
        )


STALE_NOTE = "Changed since the prescriber signed it off; it needs signing again."


def awaiting_note(entry: RuleSignOff) -> str | None:
    """What an explanation says a rule still awaits: its review note until it is signed
    (the note stays in the file as history once signed), or that it changed since."""
    if entry.status == "signed":
        return None
    if entry.status == "stale":
        return " ".join(filter(None, [STALE_NOTE, entry.rule.rule.review]))
    return entry.rule.rule.review


def signoff_status(rulebase: RuleBase) -> SignOffStatus:
    """Each rule as signed, stale or awaiting, from the rule base's sign-off record."""
    newest_first = list(reversed(rulebase.signoffs))
    entries = []
    for loaded in rulebase.all_rules():
        signoff = next((s for s in newest_first if loaded.id in s.rules), None)
        status: Status
        if signoff is None:
            status = "awaiting"
        elif signoff.rules[loaded.id] == rule_fingerprint(rulebase, loaded):
            status = "signed"
        else:
            status = "stale"
        entries.append(RuleSignOff(loaded, status, signoff))
    latest = rulebase.signoffs[-1] if rulebase.signoffs else None
    return SignOffStatus(tuple(entries), latest, rulebase.fingerprint)


class UnknownRulesError(ValueError):
    """Rule ids to sign that the rule base does not have (nothing is signed)."""

    def __init__(self, unknown: Sequence[str]) -> None:
        self.unknown = tuple(unknown)
        ids = "the id " if len(self.unknown) == 1 else "the ids "
        super().__init__(f"no rule with {ids}{', '.join(self.unknown)} in this rule base")


def new_signoff(
    rulebase: RuleBase,
    name: str,
    registration: str,
    rule_ids: Iterable[str],
    moment: datetime,
) -> SignOff:
    """A sign-off of the given rules (every rule when none is given) as they are now.

    Raises `UnknownRulesError` for an id the rule base lacks and `ValueError` for a name or
    registration that does not look like one, before anything is written.
    """
    by_id = {loaded.id: loaded for loaded in rulebase.all_rules()}
    wanted = list(dict.fromkeys(rule_ids)) or list(by_id)
    unknown = [rule_id for rule_id in wanted if rule_id not in by_id]
    if unknown:
        raise UnknownRulesError(unknown)
    return SignOff(
        name=check_name(name),
        registration=check_registration(registration),
        signed_at=utc_timestamp(moment),
        rulebase_fingerprint=rulebase.fingerprint,
        rules={rule_id: rule_fingerprint(rulebase, by_id[rule_id]) for rule_id in wanted},
    )
