"""Deliberately broken copies of a rule base, made by editing its YAML.

Each breaker finds the rule it needs by what it does (the first rule setting urgency urgent,
the under-18 rule, ...), so it works on the shipped rules and on the small test rule base
(tests/rulebases/small/), which keeps a rule of each of those kinds in the same stage. The
broken-copy tests break the small one: its whole-space walk takes seconds, not minutes, and
what they prove is about `verify` (each kind of fault is caught), not about the shipped rules.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from recommender import default_rules_path
from recommender.rulebase.yamlio import load_yaml

Breaker = Callable[[Path], str]


SMALL_RULES = Path(__file__).resolve().parent / "rulebases" / "small"
"""The small test rule base's own files: its manifest and its four stage files."""


def copy_rules(target: Path) -> Path:
    """A copy of the shipped rule base."""
    shutil.copytree(default_rules_path(), target)
    return target


def small_rules(target: Path) -> Path:
    """The small test rule base over the shipped catalogue: a copy of the shipped rule base
    whose manifest and stage files are replaced by the small ones (the manifest keeps the
    shipped catalogue entries), so the question set is the contract's and every client text
    is the one a client of the shipped rules reads."""
    shipped = default_rules_path()
    shutil.copytree(shipped, target)
    manifest = load_yaml((shipped / "rulebase.yaml").read_text(encoding="utf-8"))
    for entry in manifest["stages"]:
        for name in entry["files"]:
            (target / name).unlink()
    small = load_yaml((SMALL_RULES / "rulebase.yaml").read_text(encoding="utf-8"))
    small["catalogue"] = manifest["catalogue"]
    _save(target / "rulebase.yaml", small)
    for entry in small["stages"]:
        for name in entry["files"]:
            shutil.copyfile(SMALL_RULES / name, target / name)
    return target


def shipped_stage_files() -> set[str]:
    """The shipped manifest and stage files: what `small_rules` replaces."""
    manifest = load_yaml((default_rules_path() / "rulebase.yaml").read_text(encoding="utf-8"))
    return {"rulebase.yaml", *(name for entry in manifest["stages"] for name in entry["files"])}


def _stage_files(root: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    manifest = load_yaml((root / "rulebase.yaml").read_text(encoding="utf-8"))
    for entry in manifest["stages"]:
        for name in entry["files"]:
            path = root / name
            yield path, load_yaml(path.read_text(encoding="utf-8"))


def _save(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _find(
    root: Path, stage: str, match: Callable[[dict[str, Any]], bool]
) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    for path, data in _stage_files(root):
        if data["stage"] != stage:
            continue
        for rule in data["rules"]:
            if match(rule):
                return path, data, rule
    raise LookupError(f"no rule in stage {stage} matches")


def demote_red_flag(root: Path) -> str:
    """A gate rule that sets urgency urgent now sets soon."""
    path, data, rule = _find(
        root, "gate", lambda r: r["then"].get("set", {}).get("urgency") == "urgent"
    )
    rule["then"]["set"]["urgency"] = "soon"
    _save(path, data)
    return str(rule["id"])


def open_toxin_at_17(root: Path) -> str:
    """The rule barring injectables under 18 now bars them only under 17."""

    def under_18(rule: dict[str, Any]) -> bool:
        when: object = rule["when"]
        return when == {"field": "age", "lt": 18}

    path, data, rule = _find(root, "screen", under_18)
    rule["when"] = {"field": "age", "lt": 17}
    rule["examples"] = {"fire": [{"age": 16}], "not_fire": [{"age": 17}]}
    _save(path, data)
    return str(rule["id"])


def make_unreachable(root: Path) -> str:
    """A classify rule now needs its own condition and its negation."""
    path, data, rule = _find(
        root, "classify", lambda r: not r.get("fallback") and r.get("priority", 100) > 1
    )
    rule["when"] = {"all": [rule["when"], {"not": rule["when"]}]}
    _save(path, data)
    return str(rule["id"])


def duplicate_disagreeing(root: Path) -> str:
    """A copy of a plan rule, same priority and condition, choosing a different pathway."""
    path, data, rule = _find(
        root, "plan", lambda r: "pathway" in r["then"].get("set", {}) and not r.get("fallback")
    )
    twin = dict(rule)
    twin["id"] = rule["id"] + "_twin"
    current = rule["then"]["set"]["pathway"]
    other = "reassurance" if current != "reassurance" else "clinician_conversation"
    twin["then"] = {"set": {"pathway": other}}
    data["rules"].insert(data["rules"].index(rule) + 1, twin)
    _save(path, data)
    return str(twin["id"])


def drop_plan_fallback(root: Path) -> str:
    """The plan's fallback is gone: categories no specific plan rule covers get no pathway."""
    path, data, rule = _find(
        root, "plan", lambda r: bool(r.get("fallback")) and "pathway" in r["then"].get("set", {})
    )
    data["rules"].remove(rule)
    _save(path, data)
    return str(rule["id"])


def drop_toxin_allergy_rule(root: Path) -> str:
    """The screen rule that rules toxin out after a toxin reaction is gone."""

    def toxin_allergy(rule: dict[str, Any]) -> bool:
        when = rule["when"]
        return when.get("field") == "allergies" and "toxin_reaction" in when.get("contains_any", [])

    path, data, rule = _find(root, "screen", toxin_allergy)
    data["rules"].remove(rule)
    _save(path, data)
    return str(rule["id"])


def book_injectables_when_soon(root: Path) -> str:
    """A plan rule that books an injectables consultation no longer requires urgency none."""

    def books_injectables(rule: dict[str, Any]) -> bool:
        parts = rule["when"].get("all", [])
        return bool(rule["then"].get("add", {}).get("injectable_options")) and any(
            part == {"field": "urgency", "equals": "none"} for part in parts
        )

    path, data, rule = _find(root, "plan", books_injectables)
    rule["when"]["all"] = [
        part for part in rule["when"]["all"] if part != {"field": "urgency", "equals": "none"}
    ]
    _save(path, data)
    return str(rule["id"])


def demote_late_red_flag(root: Path) -> str:
    """A classify rule that raises urgency to urgent (a late red flag) now raises soon."""
    path, data, rule = _find(
        root, "classify", lambda r: r["then"].get("set", {}).get("urgency") == "urgent"
    )
    rule["then"]["set"]["urgency"] = "soon"
    rule["then"].pop("cards", None)
    _save(path, data)
    return str(rule["id"])


def read_skipped_answer(root: Path) -> str:
    """A new plan rule shows a card to under-18s not open to injectables: it reads an answer
    (F3) the questionnaire never asks them, so skipping that question changes what they see."""
    path, data, _ = _find(root, "plan", lambda r: True)
    rule = {
        "id": "plan.reads_a_skipped_answer",
        "priority": 100,
        "when": {
            "all": [
                {"field": "route", "equals": "minor"},
                {"field": "open_to_injectables", "equals": "no"},
            ]
        },
        "then": {"cards": ["exercise_evidence"]},
        "rationale": "Broken on purpose: reads an answer under-18s are never asked.",
        "evidence": ["brief 4d"],
        "examples": {
            "fire": [{"route": "minor", "open_to_injectables": "no"}],
            "not_fire": [{"route": "open", "open_to_injectables": "no"}],
        },
    }
    data["rules"].append(rule)
    _save(path, data)
    return str(rule["id"])


BREAKERS: dict[str, tuple[Breaker, str]] = {
    "toxin_allergy_rule_removed": (drop_toxin_allergy_rule, "invariant"),
    "injectables_booked_when_soon": (book_injectables_when_soon, "invariant"),
    "late_red_flag_demoted": (demote_late_red_flag, "invariant"),
    "demoted_red_flag": (demote_red_flag, "invariant"),
    "toxin_at_17": (open_toxin_at_17, "invariant"),
    "unreachable_rule": (make_unreachable, "dead_rule"),
    "equal_priority_disagree": (duplicate_disagreeing, "overlap"),
    "category_without_plan": (drop_plan_fallback, "gap"),
    "skipped_answer_read": (read_skipped_answer, "skip"),
}


def reword_a_plan_rule(root: Path) -> str:
    """The first plan rule's rationale is reworded: a change no decision can see."""
    path, data, rule = _find(root, "plan", lambda r: True)
    rule["rationale"] = f"{rule['rationale']} (reworded)"
    _save(path, data)
    return str(rule["id"])


def change_plan_pathway(root: Path) -> tuple[str, str, str]:
    """The first plan rule that sets a pathway now sets a different one: (id, old, new)."""
    path, data, rule = _find(
        root, "plan", lambda r: "pathway" in r["then"].get("set", {}) and not r.get("fallback")
    )
    old = rule["then"]["set"]["pathway"]
    new = "reassurance" if old != "reassurance" else "clinician_conversation"
    rule["then"]["set"]["pathway"] = new
    _save(path, data)
    return str(rule["id"]), str(old), new


INVARIANT_BREAKERS = (
    "demoted_red_flag",
    "toxin_at_17",
    "toxin_allergy_rule_removed",
    "injectables_booked_when_soon",
    "late_red_flag_demoted",
)
"""Each breaks a different safety fact and is named by its own finding message, so one copy
carrying all of them proves each is caught, for the price of one whole-space walk."""
STRUCTURE_BREAKERS = (
    "unreachable_rule",
    "equal_priority_disagree",
    "category_without_plan",
    "skipped_answer_read",
)
"""Each gives a finding of its own kind (dead rule, overlap, gap, skip)."""


def plant_service_code(root: Path) -> str:
    """A card that books a service now names its code in its text (a client would see it)."""
    manifest = load_yaml((root / "rulebase.yaml").read_text(encoding="utf-8"))
    path = root / manifest["catalogue"]["cards"]
    data = load_yaml(path.read_text(encoding="utf-8"))
    card_id, card = next((i, c) for i, c in data["cards"].items() if c.get("booking"))
    card["detail"] += f" Ask for {card['booking']}."
    _save(path, data)
    return str(card_id)


def broken_copy(
    target: Path, breakers: tuple[str, ...], make: Callable[[Path], Path] = small_rules
) -> tuple[Path, dict[str, str]]:
    """A rule base (the small one unless `make` says) with every named breaker applied:
    (root, rule id each)."""
    root = make(target)
    return root, {name: BREAKERS[name][0](root) for name in breakers}
