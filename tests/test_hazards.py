"""The hazard log (rules/HAZARDS.md) names only rules that exist, and covers every red flag."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from recommender import Recommender, default_rules_path

from .conftest import load_example

HAZARDS = default_rules_path() / "HAZARDS.md"
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
RULE_ID = re.compile(r"`((?:gate|classify|screen|plan)\.[a-z0-9_]+)`")


def test_every_rule_named_in_the_hazard_log_exists(recommender: Recommender) -> None:
    named = set(RULE_ID.findall(HAZARDS.read_text(encoding="utf-8")))
    assert len(named) > 40
    existing = {rule.id for rule in recommender.rulebase.all_rules()}
    assert not named - existing, f"rules named in HAZARDS.md but gone: {sorted(named - existing)}"


# A rule-base file named in backticks: `stages/10-gate.yaml`, `catalogue/illustrations/E1.svg`.
RULES_FILE = re.compile(r"`([A-Za-z0-9_./-]+\.(?:yaml|svg))`")
NOT_SHIPPED = {"signoff.yaml"}  # written by `facesym rules sign-off`


@pytest.mark.parametrize("guide", ["HAZARDS.md", "README.md"])
def test_every_rule_base_file_a_guide_names_exists(guide: str) -> None:
    """The hazard log and the rules guide name files as the manifest does, relative to the
    rules folder, so a file that moves or goes is caught here, not by a confused reader."""
    root = default_rules_path()
    named = set(RULES_FILE.findall((root / guide).read_text(encoding="utf-8"))) - NOT_SHIPPED
    assert "rulebase.yaml" in named
    missing = sorted(name for name in named if not (root / name).is_file())
    assert not missing, f"{guide} names files the rule base does not have: {missing}"


def test_every_red_flag_of_the_brief_has_a_hazard_line() -> None:
    text = HAZARDS.read_text(encoding="utf-8")
    for flag in [*(f"R{n}" for n in range(1, 22)), *(f"P{n}" for n in range(1, 6))]:
        assert re.search(rf"\b{flag}\b", text), f"{flag} missing from the hazard log"


def test_every_scenario_named_in_the_hazard_log_exists() -> None:
    text = HAZARDS.read_text(encoding="utf-8")
    name = r"[a-z0-9]+-[a-z0-9*-]+"  # scenario file stems are hyphenated
    named = set(re.findall(rf"\bscen ({name}(?:, {name})*)", text))
    stems = {path.stem for path in SCENARIOS.glob("*.json")}
    for group in named:
        for name in group.split(", "):
            if name.endswith("*"):
                assert any(stem.startswith(name.rstrip("*")) for stem in stems), name
            else:
                assert name in stems, f"scenario {name} named in HAZARDS.md does not exist"


def test_every_programme_says_never_force_and_same_day_care_for_an_eye(
    recommender: Recommender,
) -> None:
    """Brief 6.1, 6.5 (never force) and R6 (same day) in the stop list people keep."""
    programme = recommender.recommend(load_example("m1-weak-side-subtle")).exercise_programme
    assert programme is not None
    stops = " ".join(programme.stop_if)
    assert "forcing" in stops and "gentle, controlled effort" in stops
    eye = next(line for line in programme.stop_if if "eye" in line)
    assert "same-day" in eye and "NHS 111" in eye and "today" in eye


def test_scenario_files_cover_the_v1_1_follow_ups() -> None:
    follow_ups = {
        "severe_headache",
        "injectables_warning_signs",
        "one_side_twitching",
        "neuromuscular_condition_kind",
        "jaw_unable_to_eat",
    }
    answered = set()
    for path in SCENARIOS.glob("*.json"):
        answered |= set(json.loads(path.read_text(encoding="utf-8"))["answers"]) & follow_ups
    assert answered == follow_ups
