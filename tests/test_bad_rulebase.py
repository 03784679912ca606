"""Regressions for broken rule files that escaped as the wrong exception, named no file, took
minutes or read files outside the rule base (the 2026-12-01 reliability review, F4, F6, F7, F8).

Each broken copy of rules/ must fail with a `RuleBaseError` naming the file (and the rule when
there is one), and `facesym rules check` must say so in one line, exit 1, without a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from recommender import Recommender, RuleBaseError
from recommender.engine.compiler import MAX_PATTERN_GROUPS
from recommender.rulebase.loader import load_rulebase
from recommender.rulebase.schema import MAX_CONDITION_PARTS, condition_parts
from recommender.rulebase.yamlio import load_yaml

from .test_cli_support import run

STROKE_WHEN = "    when: {field: stroke_signs, equals: yes}\n"
STROKE_RULE = "gate.r1_stroke_signs"
GATE_FILE = "stages/10-gate.yaml"  # as the manifest names it, and as errors name it


def replace_stroke_condition(rules: Path, condition: str) -> None:
    gate = rules / GATE_FILE
    text = gate.read_text(encoding="utf-8")
    assert text.count(STROKE_WHEN) == 1
    gate.write_text(text.replace(STROKE_WHEN, f"    when: {condition}\n"), encoding="utf-8")


def prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def anchor_bomb(levels: int) -> str:
    """Nine aliases a level: 9**levels field tests once expanded (the review's F6)."""
    parts = ["&c0 {field: stroke_signs, equals: yes}"]
    for level in range(1, levels + 1):
        parts.append(f"&c{level} {{any: [{', '.join([f'*c{level - 1}'] * 9)}]}}")
    return "{all: [" + ", ".join(parts) + "]}"


def nested_groups(groups: int) -> str:
    """A condition that compiles to exactly `groups` nested all/any groups, and fires on
    stroke signs for any age (each group has two parts, so none collapses)."""
    condition = "{field: stroke_signs, equals: yes}"
    for level in range(groups):
        kind, other = (
            ("all", "{field: age, gte: 0}") if level % 2 else ("any", "{field: age, gt: 120}")
        )
        condition = f"{{{kind}: [{other}, {condition}]}}"
    return condition


def refusal(rules: Path) -> RuleBaseError:
    with pytest.raises(RuleBaseError) as error:
        load_rulebase(rules)
    return error.value


def check_cli_names(rules: Path, *names: str) -> None:
    result = run("rules", "check", str(rules))
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    for name in names:
        assert name in result.stderr


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("? [a, b]\n: 1\n", "a list or mapping used as a key"),
        ("{x: 1}: 2\n", "a list or mapping used as a key"),
        ("big: " + "9" * 5_000 + "\n", "4300 digits"),
        ("when: 2024-13-45\n", "month must be in 1..12"),
        ("deep: " + "{all: [" * 200 + "x" + "]}" * 200 + "\n", "nested too deeply"),
    ],
    ids=["list-key", "mapping-key", "huge-int", "bad-date", "deep"],
)
def test_yaml_that_pyyaml_cannot_build_names_the_file(
    rules_copy: Path, text: str, says: str
) -> None:
    prepend(rules_copy / GATE_FILE, text)
    error = refusal(rules_copy)
    assert error.file == GATE_FILE
    assert "invalid YAML" in error.detail and says in error.detail
    check_cli_names(rules_copy, GATE_FILE)


def test_an_alias_bomb_in_a_condition_is_refused_before_it_is_walked(rules_copy: Path) -> None:
    replace_stroke_condition(rules_copy, anchor_bomb(7))  # 4.8 million tests expanded
    error = refusal(rules_copy)
    assert (error.file, error.rule) == (GATE_FILE, STROKE_RULE)
    assert f"at most {MAX_CONDITION_PARTS}" in error.detail
    check_cli_names(rules_copy, GATE_FILE, STROKE_RULE)


def test_condition_parts_reads_each_shared_value_once() -> None:
    bomb = load_yaml(f"when: {anchor_bomb(40)}")["when"]  # 9**40 parts: counted, not walked
    assert condition_parts(bomb) > 9**40
    assert condition_parts({"field": "age", "lt": 18}) == 3
    looped: dict[str, object] = {"field": "age"}
    looped["not"] = [looped]
    with pytest.raises(ValueError, match="contains itself"):
        condition_parts(looped)


def test_a_condition_too_nested_for_the_engine_names_the_rule(rules_copy: Path) -> None:
    # One group is the compiler's own (the discriminator test and the condition).
    replace_stroke_condition(rules_copy, nested_groups(MAX_PATTERN_GROUPS))
    with pytest.raises(RuleBaseError) as error:
        Recommender.from_path(rules_copy)
    assert (error.value.file, error.value.rule) == (GATE_FILE, STROKE_RULE)
    assert f"needs {MAX_PATTERN_GROUPS} all/any groups" in error.value.detail
    check_cli_names(rules_copy, GATE_FILE, STROKE_RULE)


def test_a_condition_at_the_engines_nesting_limit_loads_and_fires(rules_copy: Path) -> None:
    replace_stroke_condition(rules_copy, nested_groups(MAX_PATTERN_GROUPS - 1))
    with Recommender.from_path(rules_copy) as recommender:
        outcome = recommender.recommend({"age": 40, "stroke_signs": "yes"})
    assert outcome.urgency == "emergency"


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        ("{field: age, lt: 100000000000000000000}", "age is a whole number from 0 to 120"),
        ("{field: age, gte: -1}", "age is a whole number from 0 to 120"),
        ("{field: age, gt: 121}", "age is a whole number from 0 to 120"),
        ("{field: age, equals: 100000000000000000000}", "age cannot be 100000000000000000000"),
        ("{field: age, lt: 0x" + "f" * 10_000 + "}", "<a whole number of about"),
    ],
)
def test_an_operand_outside_its_fields_bounds_is_refused(
    rules_copy: Path, condition: str, says: str
) -> None:
    replace_stroke_condition(rules_copy, condition)
    error = refusal(rules_copy)
    assert (error.file, error.rule) == (GATE_FILE, STROKE_RULE)
    assert says in error.detail
    assert len(error.detail) < 300


@pytest.mark.parametrize("operand", [0, 120])
def test_an_operand_on_the_bounds_loads(rules_copy: Path, operand: int) -> None:
    replace_stroke_condition(
        rules_copy,
        f"{{all: [{{field: age, lte: {operand}}}, {{field: stroke_signs, equals: yes}}]}}",
    )
    load_rulebase(rules_copy)


def manifest_lists(rules: Path, name: str) -> None:
    manifest = rules / "rulebase.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count(f"files: [{GATE_FILE}]") == 1
    manifest.write_text(
        text.replace(f"files: [{GATE_FILE}]", f"files: ['{name}']"), encoding="utf-8"
    )


@pytest.mark.parametrize("name", ["/etc/hostname", "../outside.yaml", "sub/../../outside.yaml"])
def test_the_manifest_names_only_files_inside_the_rule_base(rules_copy: Path, name: str) -> None:
    (rules_copy.parent / "outside.yaml").write_text((rules_copy / GATE_FILE).read_text())
    manifest_lists(rules_copy, name)
    error = refusal(rules_copy)
    assert error.file == name
    assert "only files in its own directory" in error.detail
    check_cli_names(rules_copy, name)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_leading_out_of_the_rule_base_is_refused(rules_copy: Path) -> None:
    outside = rules_copy.parent / "outside.yaml"
    outside.write_text((rules_copy / GATE_FILE).read_text())
    (rules_copy / "linked.yaml").symlink_to(outside)
    manifest_lists(rules_copy, "linked.yaml")
    error = refusal(rules_copy)
    assert (error.file, error.detail) == (
        "linked.yaml",
        "is a link to a file outside the rule base directory",
    )


def test_a_link_inside_the_rule_base_is_followed(rules_copy: Path) -> None:
    (rules_copy / GATE_FILE).rename(rules_copy / "gate-real.yaml")
    (rules_copy / GATE_FILE).symlink_to(rules_copy / "gate-real.yaml")
    assert load_rulebase(rules_copy).stages[0].id == "gate"


def test_a_rule_base_error_is_always_printable() -> None:
    error = RuleBaseError("\ud800.yaml", "cannot be \udc80", "r\ud801")
    assert (error.file, error.rule) == ("\\ud800.yaml", "r\\ud801")
    str(error).encode("utf-8")


@pytest.mark.parametrize(
    ("name", "file", "says"),
    [
        ("a\\u0000b", "'a\\x00b'", "embedded null"),
        ("x" * 300, "'" + "x" * 36 + "...", "over 255 long"),
        ("", "''", "only files in its own directory"),
        ("loop.yaml", "loop.yaml", "is not a usable file name"),
    ],
    ids=["nul", "too-long", "empty", "link-loop"],
)
def test_an_unusable_file_name_is_a_rule_base_error(
    rules_copy: Path, name: str, file: str, says: str
) -> None:
    (rules_copy / "loop.yaml").symlink_to(rules_copy / "loop.yaml")
    manifest = rules_copy / "rulebase.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(f"files: [{GATE_FILE}]", f'files: ["{name}"]'), encoding="utf-8"
    )
    error = refusal(rules_copy)
    assert error.file == file
    assert says in error.detail
