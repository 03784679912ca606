"""The built wheel and sdist carry the default rule base (and the wheel no benchmark data: the
benchmarks run from a checkout); the wheel works outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from recommender.rulebase.cache import ENV as CACHE_ENV
from recommender.rulebase.loader import load_rulebase

from .conftest import ROOT

RULES = ROOT / "rules"

pytestmark = pytest.mark.slow

PROBE = """
import json, sys
import recommender
from recommender import Recommender, default_rules_path
assert recommender.__file__.startswith(sys.argv[1]), recommender.__file__
assert str(default_rules_path()).startswith(sys.argv[1]), default_rules_path()
from recommender.cli._brief_sections import brief_path, section_titles
assert str(brief_path()).startswith(sys.argv[1]), brief_path()  # rules review cites it
assert section_titles(brief_path()).get("4a"), "the brief's section titles"
r = Recommender.default()
out = {}
for name in sys.argv[2:]:
    rec = r.recommend(open(name, encoding="utf-8").read())
    out[name.rsplit("/", 1)[-1]] = [rec.pathway, rec.urgency, len(rec.explanation),
                                     rec.rulebase.fingerprint]
print(json.dumps(out))
"""

BENCHMARK_DATA = ("recommender/_anchor_rules/", "recommender/_examples/", "benchmarks/")
"""What the wheel carried for `facesym bench` (now `python -m benchmarks.throughput`)."""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def test_the_wheel_ships_the_rule_base_and_type_marker(dist: Path) -> None:
    wheel = next(dist.glob("facesym-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "recommender/py.typed" in names
    # Every file of rules/, in its folder (the stages, the catalogue and its drawings).
    shipped = {
        f"recommender/_rules/{path.relative_to(RULES).as_posix()}"
        for path in RULES.rglob("*")
        if path.is_file()
    }
    assert len(shipped) > 20 and shipped <= names, sorted(shipped - names)
    for name in ("rulebase.yaml", "stages/10-gate.yaml", "catalogue/questions.yaml"):
        assert f"recommender/_rules/{name}" in names
    assert not [name for name in names if name.startswith(BENCHMARK_DATA)]
    assert "recommender/_docs/clinical-brief.md" in names
    assert "recommender/_rules/catalogue/illustrations/E1.svg" in names
    # The web app's templates and static files (`facesym serve`, the blueprint).
    for page in ("base", "questionnaire", "check", "result", "stop", "book"):
        assert f"recommender/web/templates/facesym/{page}.html" in names
    assert {"recommender/web/static/site.css", "recommender/web/static/questionnaire.js"} <= names
    for page in ("consent", "form_refused", "clinic/login", "clinic/consults", "clinic/consult"):
        assert f"recommender/web/templates/facesym/{page}.html" in names


def test_the_wheel_ships_the_licence(dist: Path) -> None:
    wheel = next(dist.glob("facesym-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        info = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        names = set(archive.namelist())
    assert "License-Expression: LicenseRef-Proprietary" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
    assert info.replace("METADATA", "licenses/LICENSE") in names


def test_the_wheel_runs_on_python_3_11_to_3_13_and_has_no_dev_extra(dist: Path) -> None:
    wheel = next(dist.glob("facesym-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        info = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        lines = archive.read(info).decode().splitlines()
    assert "Requires-Python: >=3.11" in lines
    for minor in (11, 12, 13):
        assert f"Classifier: Programming Language :: Python :: 3.{minor}" in lines
    # The developers' tools are dependency groups (pyproject.toml), never the package's extras.
    assert {line for line in lines if line.startswith("Provides-Extra:")} == {
        "Provides-Extra: web",
        "Provides-Extra: postgres",
    }
    requirements = " ".join(line for line in lines if line.startswith("Requires-Dist:"))
    for tool in ("pytest", "hypothesis", "mypy", "ruff", "playwright"):
        assert tool not in requirements


def test_the_sdist_ships_the_rule_base(dist: Path) -> None:
    sdist = next(dist.glob("facesym-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "rules/rulebase.yaml",
        "rules/stages/10-gate.yaml",
        "pyproject.toml",
        "README.md",
    } <= names
    assert "LICENSE" in names


def test_the_installed_wheel_works_from_another_directory(dist: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    wheel = next(dist.glob("facesym-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    examples = sorted(str(path) for path in (ROOT / "examples").glob("*.json"))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(target), *examples],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", CACHE_ENV: os.environ[CACHE_ENV]},
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(result.stdout)
    assert found["stroke-signs-stopped-at-gate.json"][:2] == ["red_flag", "emergency"]
    assert found["m1-weak-side-subtle.json"][0] == "exercise_programme"
    assert all(entry[2] > 0 and len(entry[3]) == 64 for entry in found.values())
    # The same file names and bytes as the checkout's rules/: the fingerprint covers both.
    assert {entry[3] for entry in found.values()} == {load_rulebase(RULES).fingerprint}
    script = subprocess.run(
        [
            sys.executable,
            str(target / "bin" / "facesym"),
            "recommend",
            "--format",
            "json",
            examples[0],
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", CACHE_ENV: os.environ[CACHE_ENV]},
        check=True,
        capture_output=True,
        text=True,
    )
    assert (
        json.loads(script.stdout)["rulebase"]["fingerprint"]
        == found[examples[0].rsplit("/", 1)[-1]][3]
    )
