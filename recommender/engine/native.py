"""Load durable-rules' C extension, or fail with an error that says how to rebuild it.

durable-rules 2.0.28 ships only an sdist, so pip compiles its extension on the user's machine.
The extension calls `PyEval_CallObject`, an alias of `PyObject_CallObject` that CPython 3.13
removed: built there without `CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject`, it compiles
(with an implicit-declaration warning) but cannot load ("undefined symbol"). pip caches that
wheel per interpreter and reuses it, so installing again with the define is not enough: the
fix must skip the cache. The loader's own message says none of this; this module does.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..contract.errors import FacesymError

ENGINE_MODULE = "durable_rules_engine"
# The release the adapter is written against (pyproject.toml pins the same one).
DURABLE_RULES_VERSION = "2.0.28"
MISSING_SYMBOL = "PyEval_CallObject"
BUILD_DEFINE = f"-D{MISSING_SYMBOL}=PyObject_CallObject"
REBUILD_COMMAND = (
    f"CPPFLAGS={BUILD_DEFINE} python -m pip install --no-cache-dir --force-reinstall "
    f"--no-deps durable-rules=={DURABLE_RULES_VERSION}"
)


class EngineBuildError(FacesymError, ImportError):
    """durable-rules' C extension is missing or was built so that it cannot be loaded."""


def explain(error: ImportError) -> str:
    """Say what is wrong with the engine's build and the command that fixes it."""
    if isinstance(error, ModuleNotFoundError) and error.name == ENGINE_MODULE:
        cause = f"durable-rules' C engine ({ENGINE_MODULE}) is not installed."
    elif MISSING_SYMBOL in str(error):
        cause = (
            f"durable-rules' C engine was built without {BUILD_DEFINE}, which Python 3.13 "
            f"needs (it removed {MISSING_SYMBOL}), so it cannot be loaded."
        )
    else:
        cause = f"durable-rules' C engine cannot be loaded ({error})."
    return (
        f"{cause}\nRebuild it in this environment (--no-cache-dir: pip would reuse the wheel "
        f"it built before):\n    {REBUILD_COMMAND}"
    )


def load_engine() -> ModuleType:
    """Import the C extension; a failure becomes an `EngineBuildError` naming the fix."""
    try:
        return importlib.import_module(ENGINE_MODULE)
    except ImportError as error:
        raise EngineBuildError(explain(error), name=ENGINE_MODULE) from error
