"""`facesym --help`, `--version` and every command's `--help` start at once: no rule base, no
engine is imported; the lazy command list says what the commands themselves say. (Timings live
in benchmarks/startup.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from recommender import Recommender
from recommender.cli._lazy import LazyGroup
from recommender.cli._main import COMMANDS, cli
from recommender.cli._version import rulebase_identity, version_text

HEAVY = (
    "recommender.api",
    "recommender.engine",
    "recommender.rulebase",
    "recommender.pipeline",
    "durable",
    "durable_rules_engine",
)
"""Modules `--help` and `--version` must not import (each name and everything under it)."""
LIGHT = {"recommender.rulebase", "recommender.rulebase.fingerprint"}
"""The exceptions: the rule-base package's own docstring-only `__init__` and the digest
`--version` shares with the loader (hashlib only), which load and compile nothing."""

PROBE = """
import json, sys
from recommender.cli import cli
try:
    cli(sys.argv[1:], prog_name="facesym")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*args: str) -> tuple[str, set[str]]:
    """(stdout, every module imported) for `facesym ARGS` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout, set(json.loads(result.stderr.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules - LIGHT if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"]])
def test_help_and_version_import_no_rule_base_or_engine(args: list[str]) -> None:
    out, modules = imported_by(*args)
    assert out.startswith(("Usage: facesym", "facesym "))
    assert heavy(modules) == []
    assert "pydantic" not in modules


def every_command() -> list[list[str]]:
    """Each command's words, `rules` and `rules check` alike."""
    found = []
    for name, entry in sorted(COMMANDS.items()):
        command = entry.load()
        found.append([name])
        if isinstance(command, click.Group):
            found.extend([name, sub] for sub in sorted(command.commands))
    return found


@pytest.mark.parametrize("words", every_command(), ids=" ".join)
def test_every_commands_help_imports_no_rule_base_or_engine(words: list[str]) -> None:
    out, modules = imported_by(*words, "--help")
    assert out.startswith(f"Usage: facesym {' '.join(words)}")
    assert heavy(modules) == []
    assert "pydantic" not in modules and "fpdf" not in modules


def test_version_reads_the_rule_base_identity_without_loading_it() -> None:
    out, modules = imported_by("--version")
    info = Recommender.default().rulebase
    assert out.splitlines()[1:] == [
        f"rule base {info.name} {info.version}",
        f"fingerprint {info.fingerprint}",
    ]
    assert heavy(modules) == []


def test_identity_follows_every_file_the_loader_fingerprints(rules_copy: Path) -> None:
    """A changed drawing, stage file or catalogue file changes both fingerprints alike."""
    for name in (
        "catalogue/illustrations/E1.svg",
        "stages/40-plan.yaml",
        "catalogue/services.yaml",
    ):
        path = rules_copy / name
        path.write_bytes(path.read_bytes() + b"\n")
        loaded = Recommender.from_path(rules_copy)
        try:
            assert rulebase_identity(rules_copy)[2] == loaded.rulebase.fingerprint, name
        finally:
            loaded.close()


def test_version_says_when_the_rule_base_cannot_be_read(tmp_path: Path) -> None:
    text = version_text(tmp_path)
    assert text.startswith("facesym ") and "could not be read" in text


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_summary_is_the_commands_own(name: str) -> None:
    command = COMMANDS[name].load()
    assert command.name == name
    first_paragraph = (command.help or "").split("\n\n")[0]
    assert COMMANDS[name].summary.split() == first_paragraph.split()


def test_the_lazy_listing_is_what_click_prints_with_every_command_loaded() -> None:
    fresh = LazyGroup(
        name="facesym",
        lazy_commands=COMMANDS,
        params=cli.params,
        help=cli.help,
        context_settings=cli.context_settings,
    )
    lazy_help = fresh.get_help(click.Context(fresh, info_name="facesym"))
    assert fresh.commands == {}, "listing the commands imported one"
    eager = click.Group(
        name="facesym",
        commands={name: entry.load() for name, entry in COMMANDS.items()},
        params=cli.params,
        help=cli.help,
        context_settings=cli.context_settings,
    )
    assert lazy_help == eager.get_help(click.Context(eager, info_name="facesym"))


def test_recommend_with_the_cache_warm_reads_no_yaml_and_says_the_same() -> None:
    """The second `facesym recommend FILE` takes the rule base from the cache (this test run's
    own, tests/conftest.py): no YAML reader, no loader imported, the same output."""
    example = str(Path(__file__).resolve().parent.parent / "examples" / "m1-weak-side-subtle.json")
    first, _ = imported_by("recommend", example)
    second, modules = imported_by("recommend", example)
    assert first.startswith("Your next step:")
    assert second == first
    assert "yaml" not in modules
    assert "recommender.rulebase.loader" not in modules
    assert "recommender.rulebase.cache" in modules
