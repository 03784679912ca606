"""The prescriber's sign-off as the library keeps it: per-rule fingerprints, signed / stale /
awaiting, the record file, and the flag every recommendation carries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import Recommender, RuleBaseError
from recommender.rulebase.loader import load_rulebase
from recommender.rulebase.model import RuleBase
from recommender.rulebase.signoff import (
    UnknownRulesError,
    new_signoff,
    rule_fingerprint,
    signoff_status,
)
from recommender.rulebase.signoff_record import (
    SIGNOFF_FILE,
    check_registration,
    read_signoffs,
    write_signoffs,
)
from recommender.rulebase.yamlio import load_yaml

from .conftest import load_example

MOMENT = datetime(2026, 12, 1, 15, 20, 5, tzinfo=UTC)
GATE_RULE = "gate.r1_stroke_signs"


def sign(root: Path, *rule_ids: str, name: str = "Dr A Shah") -> RuleBase:
    """Sign the rules (all when none are named) of the rule base at `root`; reload it."""
    base = load_rulebase(root)
    record = new_signoff(base, name, "GMC 1234567", rule_ids, MOMENT)
    write_signoffs(root, [*base.signoffs, record])
    return load_rulebase(root)


def edit_rule(root: Path, rule_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change one rule in its file (rewriting the file's layout, not the other rules)."""
    base = load_rulebase(root)
    file = next(rule.file for rule in base.all_rules() if rule.id == rule_id)
    data = load_yaml((root / file).read_text(encoding="utf-8"))
    change(next(rule for rule in data["rules"] if rule["id"] == rule_id))
    (root / file).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def statuses(base: RuleBase) -> dict[str, str]:
    return {entry.rule.id: entry.status for entry in signoff_status(base).rules}


def test_the_shipped_rule_base_is_not_signed(recommender: Recommender) -> None:
    base = recommender.rulebase
    assert base.signoffs == ()
    assert set(statuses(base).values()) == {"awaiting"}
    assert not (base.path / SIGNOFF_FILE).exists()


def test_signing_every_rule_signs_them_all(rules_copy: Path) -> None:
    base = sign(rules_copy)
    status = signoff_status(base)
    assert status.fully_signed and status.not_signed_off == 0
    assert len(status.having("signed")) == len(base.all_rules())
    signed = status.rules[0].signoff
    assert signed is not None
    assert (signed.name, signed.registration) == ("Dr A Shah", "GMC 1234567")
    assert signed.signed_at == "2026-12-01T15:20:05Z"
    assert signed.rulebase_fingerprint == base.fingerprint


def test_the_record_does_not_change_the_rule_base_fingerprint(rules_copy: Path) -> None:
    before = load_rulebase(rules_copy).fingerprint
    after = sign(rules_copy).fingerprint
    assert (rules_copy / SIGNOFF_FILE).is_file()
    assert after == before


def test_signing_some_rules_leaves_the_rest_awaiting(rules_copy: Path) -> None:
    base = sign(rules_copy, GATE_RULE, "plan.assessment_fallback")
    found = statuses(base)
    assert found[GATE_RULE] == found["plan.assessment_fallback"] == "signed"
    assert sum(value == "awaiting" for value in found.values()) == len(found) - 2
    assert not signoff_status(base).fully_signed


def test_changing_a_signed_rule_makes_only_it_stale(rules_copy: Path) -> None:
    sign(rules_copy)

    def reword(rule: dict[str, Any]) -> None:
        rule["rationale"] += " Reworded."

    edit_rule(rules_copy, GATE_RULE, reword)  # rewrites the whole gate file's layout too
    base = load_rulebase(rules_copy)
    found = statuses(base)
    assert found[GATE_RULE] == "stale"
    assert [rule for rule, value in found.items() if value != "signed"] == [GATE_RULE]
    status = signoff_status(base)
    assert status.not_signed_off == 1 and not status.fully_signed
    assert status.changed_since_latest


@pytest.mark.parametrize(
    "change",
    [
        lambda rule: rule.update(priority=rule.get("priority", 100) + 1),
        lambda rule: rule["evidence"].append("[99]"),
        lambda rule: rule.update(review="Changed what to check."),
        lambda rule: rule["examples"]["not_fire"].append({"age": 30}),
    ],
    ids=["priority", "evidence", "review note", "examples"],
)
def test_any_change_in_a_rule_is_stale(
    rules_copy: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    sign(rules_copy, GATE_RULE)
    edit_rule(rules_copy, GATE_RULE, change)
    assert statuses(load_rulebase(rules_copy))[GATE_RULE] == "stale"


def test_signing_again_after_a_change_signs_it(rules_copy: Path) -> None:
    sign(rules_copy)
    edit_rule(rules_copy, GATE_RULE, lambda rule: rule.update(rationale="New reasoning."))
    base = sign(rules_copy, GATE_RULE, name="Dr B Okafor")
    entry = next(e for e in signoff_status(base).rules if e.rule.id == GATE_RULE)
    assert entry.status == "signed"
    assert entry.signoff is not None and entry.signoff.name == "Dr B Okafor"
    assert len(base.signoffs) == 2  # the first sign-off stays as history
    assert signoff_status(base).fully_signed


def test_changing_a_card_makes_the_rules_showing_it_stale(rules_copy: Path) -> None:
    base = sign(rules_copy)
    showing = {rule.id for rule in base.all_rules() if "crisis_support" in rule.rule.then.cards}
    assert showing
    cards = load_yaml((rules_copy / "catalogue" / "cards.yaml").read_text(encoding="utf-8"))
    cards["cards"]["crisis_support"]["detail"] += " Please talk to someone today."
    (rules_copy / "catalogue" / "cards.yaml").write_text(yaml.safe_dump(cards), encoding="utf-8")
    found = statuses(load_rulebase(rules_copy))
    assert {rule for rule, value in found.items() if value == "stale"} == showing


def test_a_rule_fingerprint_ignores_layout_and_comments(rules_copy: Path) -> None:
    base = load_rulebase(rules_copy)
    before = {rule.id: rule_fingerprint(base, rule) for rule in base.all_rules()}
    path = rules_copy / "stages" / "10-gate.yaml"
    text = "# a new comment\n" + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    again = load_rulebase(rules_copy)
    assert again.fingerprint != base.fingerprint
    assert {rule.id: rule_fingerprint(again, rule) for rule in again.all_rules()} == before


def test_moving_rule_files_keeps_every_rule_signed(rules_copy: Path) -> None:
    """A prescriber signs what rules say, not where they sit: after the files move (and the
    manifest follows), every rule is still signed; the rule base fingerprint covers the file
    names and the manifest, so `rules review` says the rule base changed since signing."""
    base = sign(rules_copy)
    manifest = rules_copy / "rulebase.yaml"
    text = manifest.read_text(encoding="utf-8")
    for stage in base.stages:
        for name in stage.files:
            moved = f"moved/{Path(name).name}"
            (rules_copy / "moved").mkdir(exist_ok=True)
            (rules_copy / name).rename(rules_copy / moved)
            assert text.count(f"[{name}]") == 1
            text = text.replace(f"[{name}]", f"[{moved}]")
    manifest.write_text(text, encoding="utf-8")
    again = load_rulebase(rules_copy)
    assert next(loaded.file for loaded in again.all_rules()) == "moved/10-gate.yaml"
    status = signoff_status(again)
    assert status.fully_signed and len(status.having("signed")) == len(base.all_rules())
    assert status.changed_since_latest and again.fingerprint != base.fingerprint


def test_the_newest_signoff_of_a_rule_decides(rules_copy: Path) -> None:
    base = sign(rules_copy, GATE_RULE)
    first = next(rule for rule in base.all_rules() if rule.id == GATE_RULE).rule.rationale
    edit_rule(rules_copy, GATE_RULE, lambda rule: rule.update(rationale="Version two."))
    sign(rules_copy, GATE_RULE)  # signs version two
    # Back to version one: signed once, but not what the prescriber signed last.
    edit_rule(rules_copy, GATE_RULE, lambda rule: rule.update(rationale=first))
    assert statuses(load_rulebase(rules_copy))[GATE_RULE] == "stale"


def test_an_unknown_rule_id_signs_nothing(rules_copy: Path) -> None:
    base = load_rulebase(rules_copy)
    with pytest.raises(UnknownRulesError, match=r"gate\.no_such_rule"):
        new_signoff(base, "Dr A Shah", "GMC 1234567", [GATE_RULE, "gate.no_such_rule"], MOMENT)


@pytest.mark.parametrize("registration", ["GMC 1234567", "NMC 12A3456E", "GPhC 2012345"])
def test_plausible_registrations_pass(registration: str) -> None:
    assert check_registration(f"  {registration} ") == registration


@pytest.mark.parametrize("registration", ["", "   ", "GMC", "Dr A Shah", "12", "GMC 1234\n567"])
def test_implausible_registrations_are_refused(registration: str) -> None:
    with pytest.raises(ValueError, match=r"registration"):
        check_registration(registration)


# --- the record file ------------------------------------------------------------------------


def test_the_record_reads_back_as_written(rules_copy: Path) -> None:
    base = sign(rules_copy, GATE_RULE)
    assert read_signoffs(rules_copy) == base.signoffs
    text = (rules_copy / SIGNOFF_FILE).read_text(encoding="utf-8")
    assert "signed_at: '2026-12-01T15:20:05Z'" in text
    assert [p.name for p in rules_copy.iterdir() if p.name.startswith(".")] == []  # no temp


BAD_MONTH = "2026-13-01T15:20:05Z"
VALID_ENTRY = {
    "name": "Dr A Shah",
    "registration": "GMC 1234567",
    "signed_at": "2026-12-01T15:20:05Z",
    "rulebase_fingerprint": "a" * 64,
    "rules": {GATE_RULE: "b" * 64},
}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("signoffs: [", "invalid YAML"),
        ("signoffs: []", "signoffs"),
        ("who: me", "who"),
        (yaml.safe_dump({"signoffs": [{**VALID_ENTRY, "registration": ""}]}), "registration"),
        (yaml.safe_dump({"signoffs": [{**VALID_ENTRY, "signed_at": "1 Dec 2026"}]}), "ISO 8601"),
        (yaml.safe_dump({"signoffs": [{**VALID_ENTRY, "signed_at": BAD_MONTH}]}), "signed_at"),
        (yaml.safe_dump({"signoffs": [{**VALID_ENTRY, "rules": {GATE_RULE: "x"}}]}), "rules"),
        (yaml.safe_dump({"signoffs": [{**VALID_ENTRY, "extra": 1}]}), "extra"),
    ],
    ids=["yaml", "empty", "unknown key", "registration", "date", "month", "fingerprint", "extra"],
)
def test_a_malformed_record_fails_the_load_naming_the_file(
    rules_copy: Path, text: str, problem: str
) -> None:
    (rules_copy / SIGNOFF_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(RuleBaseError) as raised:
        Recommender.from_path(rules_copy)
    assert raised.value.file == SIGNOFF_FILE
    assert problem in str(raised.value)


def test_a_record_linking_outside_the_rule_base_is_refused(rules_copy: Path) -> None:
    outside = rules_copy.parent / "elsewhere.yaml"
    outside.write_text(yaml.safe_dump({"signoffs": [VALID_ENTRY]}), encoding="utf-8")
    (rules_copy / SIGNOFF_FILE).symlink_to(outside)
    with pytest.raises(RuleBaseError, match="inside the rule base"):
        load_rulebase(rules_copy)


# --- the recommendation's flag --------------------------------------------------------------


def test_a_recommendation_says_when_its_rule_base_is_not_signed_off(
    recommender: Recommender,
) -> None:
    info = recommender.recommend(load_example("m1-weak-side-subtle")).rulebase
    assert info.signed_off is False
    assert info.rules_not_signed_off == len(recommender.rulebase.all_rules())


def test_a_recommendation_from_a_signed_rule_base_says_so(rules_copy: Path) -> None:
    sign(rules_copy)
    with Recommender.from_path(rules_copy) as signed:
        info = signed.recommend(load_example("m1-weak-side-subtle")).rulebase
    assert info.signed_off is True
    assert info.rules_not_signed_off == 0


def test_one_stale_rule_clears_the_flag(rules_copy: Path) -> None:
    sign(rules_copy)
    edit_rule(rules_copy, GATE_RULE, lambda rule: rule.update(rationale="Changed after signing."))
    with Recommender.from_path(rules_copy) as changed:
        red_flag = changed.recommend(load_example("stroke-signs-stopped-at-gate"))
    assert red_flag.pathway == "red_flag"
    assert red_flag.rulebase.signed_off is False
    assert red_flag.rulebase.rules_not_signed_off == 1


def test_the_client_view_has_no_signoff_details(rules_copy: Path) -> None:
    with Recommender.from_path(rules_copy) as loaded:
        client = loaded.for_client(loaded.recommend(load_example("m1-weak-side-subtle")))
    dumped = client.model_dump_json()
    assert "signed_off" not in dumped and "rules_not_signed_off" not in dumped


# --- what the explanation says a fired rule awaits ------------------------------------------


def _gate_firing(root: Path) -> str | None:
    with Recommender.from_path(root) as loaded:
        red_flag = loaded.recommend(load_example("stroke-signs-stopped-at-gate"))
    return next(f.awaiting_review for f in red_flag.explanation if f.rule == GATE_RULE)


def test_the_explanation_shows_a_review_note_only_until_signed(rules_copy: Path) -> None:
    note = next(r.rule.review for r in load_rulebase(rules_copy).all_rules() if r.id == GATE_RULE)
    assert note and _gate_firing(rules_copy) == note
    sign(rules_copy, GATE_RULE)
    assert _gate_firing(rules_copy) is None  # signed: the note stays in the file as history
    assert next(r.rule.review for r in load_rulebase(rules_copy).all_rules() if r.id == GATE_RULE)


def test_the_explanation_says_a_changed_rule_needs_signing_again(rules_copy: Path) -> None:
    sign(rules_copy, GATE_RULE)
    edit_rule(rules_copy, GATE_RULE, lambda rule: rule.update(rationale="Changed after signing."))
    said = _gate_firing(rules_copy)
    assert said is not None and said.startswith("Changed since the prescriber signed it off")


def test_a_failed_write_keeps_the_old_record_whole(
    rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign(rules_copy, GATE_RULE)
    before = (rules_copy / SIGNOFF_FILE).read_bytes()

    def disk_full(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        sign(rules_copy)
    assert (rules_copy / SIGNOFF_FILE).read_bytes() == before
    assert sorted(p.name for p in rules_copy.iterdir() if p.name.startswith(".")) == []
