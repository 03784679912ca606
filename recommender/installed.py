"""What is installed: facesym's version and where the data the wheel ships lives.

Light on purpose (no rule base, no engine): `facesym --version` needs only this.
"""

from __future__ import annotations

from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def package_version() -> str:
    """facesym's installed version (a source tree never installed has none)."""
    try:
        return version("facesym")
    except PackageNotFoundError:
        return "0.0.0+source"


def shipped_dir(shipped: str, source: str) -> Path:
    """A data directory the wheel ships inside the package as `shipped`, or the checkout's
    `source` directory when run from source."""
    packaged = Path(str(resources.files("recommender").joinpath(shipped)))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / source


def default_rules_path() -> Path:
    """The rule base shipped in the wheel, or the checkout's `rules/` when run from source."""
    return shipped_dir("_rules", "rules")
