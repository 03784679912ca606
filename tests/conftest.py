"""Shared fixtures: one compiled default rule base per test session, and answer builders."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, default_rules_path
from recommender.engine.compiler import CompiledRuleBase
from recommender.proof.verify import Report, verify
from recommender.rulebase.cache import ENV as CACHE_ENV

from .proof_output import RECORDED_WORKERS
from .shipped_walk import BackgroundWalk
from .verify_fixtures import (
    INVARIANT_BREAKERS,
    STRUCTURE_BREAKERS,
    broken_copy,
    plant_service_code,
    small_rules,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str) -> dict[str, Any]:
    """An example answers file from examples/, as a dict."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session", autouse=True)
def _rules_cache_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands run by the tests (in process or not) cache rule bases in a directory of this
    test run, never in the user's own cache."""
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("rules-cache") / "facesym")
    yield
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture(scope="session")
def recommender() -> Iterator[Recommender]:
    """The default rule base, compiled once for the whole session."""
    with Recommender.default() as loaded:
        yield loaded


@pytest.fixture(scope="session")
def target(recommender: Recommender) -> Iterator[CompiledRuleBase]:
    """The default rule base compiled for the engine apart from the facade, as the proof
    tools and the rule examples compile it."""
    with CompiledRuleBase.of(recommender.rulebase) as compiled:
        yield compiled


@pytest.fixture
def complete_answers() -> Callable[..., dict[str, Any]]:
    """Build a complete, valid questionnaire: a mild weak-side person, with overrides."""

    def build(**overrides: Any) -> dict[str, Any]:
        answers = load_example("m1-weak-side-subtle")
        answers.update(overrides)
        return answers

    return build


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the default rule base, for tests that break it on purpose."""
    target = tmp_path / "rules"
    shutil.copytree(default_rules_path(), target)
    return target


# A whole-space walk of the shipped rules takes minutes, so it is made once per test run, in
# its own process beside the other tests (tests/shipped_walk.py), and its report shared by
# every test that reads it. The tests that prove `verify` and `diff` catch or count a change
# walk copies of the small test rule base (tests/rulebases/small/), seconds each, broken or
# changed in the same kinds of rule.

_SHIPPED_WALK = pytest.StashKey[BackgroundWalk]()
_SHIPPED_WALK_FIXTURE = "default_report"
"""The name of the fixture below: a test that needs it (directly or not) reads the walk."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the tests that read the shipped walk last, and start the walk now."""
    readers = [item for item in items if _SHIPPED_WALK_FIXTURE in getattr(item, "fixturenames", ())]
    if not readers or config.option.collectonly:
        return
    reading = set(readers)
    items[:] = [item for item in items if item not in reading] + readers
    config.stash[_SHIPPED_WALK] = BackgroundWalk(config.rootpath)


def pytest_unconfigure(config: pytest.Config) -> None:
    walk = config.stash.get(_SHIPPED_WALK, None)
    if walk is not None:
        walk.close()


@pytest.fixture(scope="session")
def default_report(request: pytest.FixtureRequest) -> Report:
    """`facesym verify` of the shipped rule base: the one walk of it per test run."""
    walk = request.config.stash.get(_SHIPPED_WALK, None)
    if walk is None:  # collected some other way: walk here
        return verify(default_rules_path(), workers=RECORDED_WORKERS)
    return walk.report()


@pytest.fixture(scope="session")
def small_rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small test rule base, unchanged (tests must copy it to change it)."""
    return small_rules(tmp_path_factory.mktemp("small") / "rules")


@pytest.fixture(scope="session")
def small_report(small_rules_dir: Path) -> Report:
    """`facesym verify` of the small test rule base (clean: tests/rulebases/ checks it)."""
    return verify(small_rules_dir, workers=RECORDED_WORKERS)


@pytest.fixture(scope="session")
def broken_invariants(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, dict[str, str]]:
    """verify of one small copy broken in every way an invariant must catch, and the rule ids."""
    root, ids = broken_copy(tmp_path_factory.mktemp("broken") / "rules", INVARIANT_BREAKERS)
    return verify(root, workers=RECORDED_WORKERS), ids


@pytest.fixture(scope="session")
def broken_structure(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Report, dict[str, str]]:
    """verify of one small copy with a dead rule, an overlap, a gap and a code in a card."""
    root, ids = broken_copy(tmp_path_factory.mktemp("broken") / "rules", STRUCTURE_BREAKERS)
    ids["client_card"] = plant_service_code(root)
    return root, verify(root, workers=RECORDED_WORKERS), ids
