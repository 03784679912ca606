"""A broken rule base fails to load as a whole, naming the file and the rule id."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from recommender import Recommender, RuleBaseError
from recommender.rulebase.loader import load_rulebase
from recommender.rulebase.yamlio import load_yaml

Data = dict[str, Any]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def stage_files(rules: Path) -> dict[str, list[str]]:
    manifest = load_yaml((rules / "rulebase.yaml").read_text(encoding="utf-8"))
    return {stage["id"]: stage["files"] for stage in manifest["stages"]}


def edit(rules: Path, file: str, change: Callable[[Data], None]) -> None:
    path = rules / file
    data = load_yaml(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def first_rule_file(rules: Path, stage: str = "gate") -> tuple[str, str]:
    file = stage_files(rules)[stage][0]
    data = load_yaml((rules / file).read_text(encoding="utf-8"))
    return file, data["rules"][0]["id"]


def load_error(rules: Path) -> RuleBaseError:
    with pytest.raises(RuleBaseError) as error:
        Recommender.from_path(rules)
    return error.value


def test_default_rule_base_loads_with_a_fingerprint(rules_copy: Path) -> None:
    rulebase = load_rulebase(rules_copy)
    assert len(rulebase.fingerprint) == 64
    assert [stage.id for stage in rulebase.stages][:1] == ["gate"]


def test_fingerprint_changes_with_any_rule_file(rules_copy: Path) -> None:
    before = load_rulebase(rules_copy).fingerprint
    file, _ = first_rule_file(rules_copy)
    path = rules_copy / file
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert load_rulebase(rules_copy).fingerprint != before


def test_invalid_yaml_names_the_file(rules_copy: Path) -> None:
    file, _ = first_rule_file(rules_copy)
    (rules_copy / file).write_text("stage: gate\nrules: [\n", encoding="utf-8")
    error = load_error(rules_copy)
    assert error.file == file
    assert "invalid YAML" in str(error)


def test_duplicate_yaml_keys_are_refused(rules_copy: Path) -> None:
    file, _ = first_rule_file(rules_copy)
    path = rules_copy / file
    path.write_text("stage: gate\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    error = load_error(rules_copy)
    assert error.file == file
    assert "duplicate key" in str(error)


def test_unknown_rule_key_names_file_and_rule(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"][0].update(prio=3))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "prio" in str(error)


def test_unknown_field_names_file_and_rule(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"][0].update(when={"field": "mood", "equals": "x"}))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "unknown field 'mood'" in str(error)


def test_impossible_value_names_file_rule_and_allowed(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    bad = {"field": "stroke_signs", "one_of": ["yes", "maybe"]}
    edit(rules_copy, file, lambda d: d["rules"][0].update(when=bad))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "'maybe'" in str(error)
    assert "allowed: yes, no, not_sure" in str(error)


def test_operator_must_suit_the_field(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"][0].update(when={"field": "lump", "lt": 3}))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "needs a number field" in str(error)


def test_duplicate_rule_ids_are_refused(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"].append(dict(d["rules"][0])))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "duplicate rule id" in str(error)


def test_a_stage_cannot_read_what_a_later_stage_derives(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy, "gate")
    edit(
        rules_copy,
        file,
        lambda d: d["rules"][0].update(when={"field": "pathway", "equals": "reassurance"}),
    )
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "no answer or earlier stage" in str(error)


def test_a_stage_cannot_read_its_own_derived_value(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy, "gate")
    edit(
        rules_copy,
        file,
        lambda d: d["rules"][0].update(when={"field": "urgency", "equals": "soon"}),
    )
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "its own stage derives" in str(error)


def test_setting_an_impossible_derived_value_is_refused(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy, "gate")
    edit(rules_copy, file, lambda d: d["rules"][0]["then"].update(set={"urgency": "whenever"}))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "'whenever'" in str(error)


def test_an_example_with_an_impossible_value_is_refused(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"][0]["examples"]["fire"].append({"age": "old"}))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "example" in str(error)


def test_a_rule_without_examples_is_incomplete(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"][0]["examples"].update(not_fire=[]))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)


def test_an_unknown_card_is_refused(rules_copy: Path) -> None:
    file, rule_id = first_rule_file(rules_copy)
    edit(rules_copy, file, lambda d: d["rules"][0]["then"].update(cards=["no_such_card"]))
    error = load_error(rules_copy)
    assert (error.file, error.rule) == (file, rule_id)
    assert "no_such_card" in str(error)


def test_a_missing_stage_file_is_named(rules_copy: Path) -> None:
    file, _ = first_rule_file(rules_copy, "plan")
    (rules_copy / file).unlink()
    error = load_error(rules_copy)
    assert error.file == file
    assert "file not found" in str(error)


def test_a_directory_without_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleBaseError, match="not a rule base directory"):
        Recommender.from_path(tmp_path)


def test_questions_must_cover_every_field(rules_copy: Path) -> None:
    edit(rules_copy, "catalogue/questions.yaml", lambda d: d["questions"].pop(1))
    error = load_error(rules_copy)
    assert error.file == "catalogue/questions.yaml"
    assert "no question for stroke_signs" in str(error)


def test_question_options_must_match_the_contract(rules_copy: Path) -> None:
    def drop_option(data: Data) -> None:
        question = next(q for q in data["questions"] if q["field"] == "side")
        question["options"].pop("not_sure")

    edit(rules_copy, "catalogue/questions.yaml", drop_option)
    error = load_error(rules_copy)
    assert error.file == "catalogue/questions.yaml"
    assert "options must be exactly" in str(error)


def test_yes_and_no_stay_strings_in_rule_files() -> None:
    # YAML 1.1 would read unquoted yes/no/on/off as booleans; rule files need the strings.
    data = load_yaml("when: {field: stroke_signs, one_of: [yes, no, not_sure, on, off]}")
    assert data["when"]["one_of"] == ["yes", "no", "not_sure", "on", "off"]
    assert load_yaml("flag: true")["flag"] is True


def test_a_later_stage_may_raise_only_a_max_combined_value(rules_copy: Path) -> None:
    file, _ = first_rule_file(rules_copy, "screen")
    edit(rules_copy, file, lambda d: d.update(raises=["category"]))
    error = load_error(rules_copy)
    assert error.file == file
    assert "raises 'category'" in str(error)


def test_a_later_stage_that_raises_to_a_stopping_value_stops_there(rules_copy: Path) -> None:
    """A red flag found after the gate ends the pipeline as a red flag, as at the gate."""
    file, _ = first_rule_file(rules_copy, "screen")  # screen.under_18_no_injectables (age < 18)

    def raise_to_urgent(data: Data) -> None:
        data["raises"] = ["urgency"]
        data["rules"][0]["then"].setdefault("set", {})["urgency"] = "urgent"

    edit(rules_copy, file, raise_to_urgent)
    recommender = Recommender.from_path(rules_copy)
    screen = recommender.rulebase.stage("screen")
    assert screen.stop_when is None  # only the manifest's gate ends a partial questionnaire
    assert [stop.pathway for stop in screen.stops] == ["red_flag"]
    example = json.loads((EXAMPLES / "m1-weak-side-subtle.json").read_text(encoding="utf-8"))
    result = recommender.recommend({**example, "age": 17})
    assert (result.pathway, result.urgency, result.stopped_early) == ("red_flag", "urgent", True)
    assert all(card.booking is None for card in result.cards)
    assert result.exercise_programme is None and not result.injectable_options
    assert "plan" not in {firing.stage for firing in result.explanation}
