"""Shared fixtures: one compiled default rule base per test session, and answer builders."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from recommender import Recommender, default_rules_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str) -> dict[str, Any]:
    """An example answers file from examples/, as a dict."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def recommender() -> Iterator[Recommender]:
    """The default rule base, compiled once for the whole session."""
    with Recommender.default() as loaded:
        yield loaded


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
