"""An engine extension that cannot load fails with the fix, not with the loader's bare
message: in the library (an EngineBuildError) and at the command line (no traceback)."""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from recommender.engine.native import (
    BUILD_DEFINE,
    DURABLE_RULES_VERSION,
    ENGINE_MODULE,
    REBUILD_COMMAND,
    EngineBuildError,
    explain,
)

from .conftest import ROOT

# A stand-in for durable-rules' extension as CPython 3.13 sees it when it was built without
# the define: a real shared library whose init function calls a function that this
# interpreter does not export, so the dynamic loader refuses it the same way.
BROKEN_EXTENSION = f"""
extern void *PyEval_CallObject(void *callable, void *args);
void *PyInit_{ENGINE_MODULE}(void) {{ return PyEval_CallObject(0, 0); }}
"""


def _broken_engine(folder: Path) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:  # durable-rules itself needs one, so every install has it
        pytest.skip("no C compiler to build the stand-in extension")
    source = folder / "broken.c"
    source.write_text(BROKEN_EXTENSION, encoding="utf-8")
    library = folder / f"{ENGINE_MODULE}{importlib.machinery.EXTENSION_SUFFIXES[0]}"
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-o", str(library), str(source)],
        check=True,
        capture_output=True,
    )
    return library


def test_an_engine_built_without_the_define_names_the_rebuild(tmp_path: Path) -> None:
    _broken_engine(tmp_path)
    probe = (
        "import recommender\n"  # the package itself loads the engine on first use only
        "try:\n"
        "    from recommender import Recommender\n"
        "except ImportError as error:\n"
        "    assert type(error).__name__ == 'EngineBuildError', repr(error)\n"
        "    assert 'undefined symbol' in str(error.__cause__), error.__cause__\n"
        "    print(error)\n"
        "else:\n"
        "    raise SystemExit('the broken engine was imported')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "built without -DPyEval_CallObject=PyObject_CallObject" in result.stdout
    assert REBUILD_COMMAND in result.stdout


def test_a_command_fails_with_the_fix_and_no_traceback(tmp_path: Path) -> None:
    _broken_engine(tmp_path)
    example = ROOT / "examples" / "m1-weak-side-subtle.json"
    result = subprocess.run(
        [sys.executable, "-m", "recommender", "recommend", str(example)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith(REBUILD_COMMAND), result.stderr


def test_a_missing_engine_is_named_as_missing() -> None:
    error = ModuleNotFoundError(f"No module named '{ENGINE_MODULE}'", name=ENGINE_MODULE)
    text = explain(error)
    assert "is not installed" in text
    assert REBUILD_COMMAND in text


def test_an_unknown_load_failure_keeps_the_loader_message() -> None:
    text = explain(ImportError("libfoo.so.1: cannot open shared object file"))
    assert "libfoo.so.1: cannot open shared object file" in text
    assert "built without" not in text


def test_the_error_is_an_import_error_the_cli_can_catch() -> None:
    from recommender import FacesymError

    assert issubclass(EngineBuildError, ImportError)
    assert issubclass(EngineBuildError, FacesymError)


def test_the_rebuild_pins_the_release_pyproject_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"durable-rules=={DURABLE_RULES_VERSION}" in project["dependencies"]


def test_the_readme_and_ci_build_the_engine_with_the_same_define() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme.count(f"CPPFLAGS={BUILD_DEFINE}") >= 2  # the install and the test command
    assert f"CPPFLAGS={BUILD_DEFINE}" in ci
