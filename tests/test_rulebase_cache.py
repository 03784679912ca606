"""The rule base cache gives the rule base the files give, or loads from the files: a changed
byte misses, a broken file fails as without a cache, a corrupt or foreign entry is ignored
and rewritten, and the files are the user's own (`0700` directory, `0600` files)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from recommender import RuleBaseError
from recommender.rulebase import cache
from recommender.rulebase._illustrations import svg_markup
from recommender.rulebase.cache import ENV, KEY_FILE, load_cached
from recommender.rulebase.loader import load_rulebase
from recommender.rulebase.model import RuleBase

VERSION = "1.0.0"


class CountingLoader:
    """`load_rulebase`, counting the loads that read the files."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, directory: Path) -> RuleBase:
        self.calls += 1
        return load_rulebase(directory)


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    chosen = tmp_path / "cache" / "facesym"
    monkeypatch.setenv(ENV, str(chosen))
    return chosen


def entries(where: Path) -> list[Path]:
    return sorted(where.glob("rulebase-*.pickle"))


def same_rule_base(a: RuleBase, b: RuleBase) -> None:
    """Every field alike; drawings (XML trees compare by identity) by what they draw."""
    for field in fields(RuleBase):
        if field.name != "drawings":
            assert getattr(a, field.name) == getattr(b, field.name), field.name
    assert a.drawings.keys() == b.drawings.keys()
    for exercise, drawing in a.drawings.items():
        for side in (None, "left"):
            assert svg_markup(drawing, side) == svg_markup(b.drawings[exercise], side), exercise
        assert (drawing.title, drawing.view_box) == (
            b.drawings[exercise].title,
            b.drawings[exercise].view_box,
        )


def test_a_second_load_is_the_same_rule_base_without_reading_the_files(
    rules_copy: Path, where: Path
) -> None:
    loader = CountingLoader()
    first = load_cached(rules_copy, VERSION, loader)
    second = load_cached(rules_copy, VERSION, loader)
    assert loader.calls == 1
    assert len(entries(where)) == 1
    same_rule_base(second, load_rulebase(rules_copy))
    same_rule_base(second, first)


@pytest.mark.parametrize(
    "name",
    [
        "rulebase.yaml",
        "stages/10-gate.yaml",
        "stages/40-plan.yaml",
        "catalogue/cards.yaml",
        "catalogue/exercises.yaml",
        "catalogue/questions.yaml",
        "catalogue/illustrations/E1.svg",
    ],
)
def test_any_changed_byte_in_any_rule_file_loads_from_the_files(
    rules_copy: Path, where: Path, name: str
) -> None:
    loader = CountingLoader()
    before = load_cached(rules_copy, VERSION, loader)
    path = rules_copy / name
    path.write_bytes(path.read_bytes() + b"\n")
    after = load_cached(rules_copy, VERSION, loader)
    assert loader.calls == 2
    assert after.fingerprint != before.fingerprint
    assert after.fingerprint == load_rulebase(rules_copy).fingerprint
    assert load_cached(rules_copy, VERSION, loader).fingerprint == after.fingerprint
    assert loader.calls == 2, "the new files were cached in turn"


def test_a_broken_rule_file_fails_the_load_naming_the_file_and_rule(
    rules_copy: Path, where: Path
) -> None:
    load_cached(rules_copy, VERSION, load_rulebase)
    path = rules_copy / "stages" / "20-classify.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    priority: 1\n", "    priority: first\n", 1), "utf-8")
    with pytest.raises(RuleBaseError) as error:
        load_cached(rules_copy, VERSION, load_rulebase)
    assert error.value.file == "stages/20-classify.yaml"
    assert error.value.rule == "classify.override_weak_muscle"


def flip_last_byte(entry: Path) -> None:
    blob = entry.read_bytes()
    entry.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))


def truncate(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[:1000])


def foreign_key(entry: Path) -> None:
    """A well-formed entry signed with another cache's key (copied from elsewhere)."""
    (entry.parent / KEY_FILE).write_bytes(os.urandom(32))


def garbage(entry: Path) -> None:
    entry.write_bytes(b"\x80\x05not a cache entry")


@pytest.mark.parametrize("spoil", [flip_last_byte, truncate, foreign_key, garbage])
def test_a_corrupt_or_foreign_entry_is_ignored_and_rewritten(
    rules_copy: Path, where: Path, spoil: Callable[[Path], None]
) -> None:
    load_cached(rules_copy, VERSION, load_rulebase)
    [entry] = entries(where)
    spoil(entry)
    loader = CountingLoader()
    same_rule_base(load_cached(rules_copy, VERSION, loader), load_rulebase(rules_copy))
    assert loader.calls == 1
    load_cached(rules_copy, VERSION, loader)
    assert loader.calls == 1, "the entry was rewritten, and is used again"


def test_an_entry_of_other_code_is_not_used(
    rules_copy: Path, where: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader = CountingLoader()
    load_cached(rules_copy, VERSION, loader)
    load_cached(rules_copy, "1.0.1", loader)
    assert loader.calls == 2, "another facesym version"
    load_cached(rules_copy, "1.0.1", loader)
    assert loader.calls == 2
    monkeypatch.setattr(sys, "version", "3.99.0 (another Python)")
    load_cached(rules_copy, "1.0.1", loader)
    assert loader.calls == 3, "another Python"


def test_the_cache_is_the_users_own(rules_copy: Path, where: Path) -> None:
    load_cached(rules_copy, VERSION, load_rulebase)
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    written = sorted(path.name for path in where.iterdir())
    assert len(written) == 2 and KEY_FILE in written, written  # the key and one entry
    for path in where.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_directory_others_can_write_to_is_not_used(rules_copy: Path, where: Path) -> None:
    where.mkdir(parents=True)
    where.chmod(0o777)
    loader = CountingLoader()
    load_cached(rules_copy, VERSION, loader)
    load_cached(rules_copy, VERSION, loader)
    assert loader.calls == 2
    assert list(where.iterdir()) == []


def test_off_turns_the_cache_off(
    rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    loader = CountingLoader()
    load_cached(rules_copy, VERSION, loader)
    load_cached(rules_copy, VERSION, loader)
    assert loader.calls == 2
    assert not (tmp_path / "xdg").exists()


def test_without_the_variable_the_cache_is_under_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "facesym"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/not/used")
    assert cache.cache_dir() == Path.home() / ".cache" / "facesym"
