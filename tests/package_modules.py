"""The package's modules as source, read once: what the layout and layering tests walk.

Both tests read the code without importing it, so an upward import or an oversized class is
found even in a module nothing imports yet.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "recommender"


@dataclass(frozen=True)
class PackageModule:
    """One source file of the package, with its name below `recommender` and its syntax tree."""

    path: Path
    parts: tuple[str, ...]
    """The module's name below `recommender`, as parts (`("proof", "_walk")`)."""
    text: str
    tree: ast.Module

    @property
    def file(self) -> str:
        """The file below the package folder, as the layout test names it (`proof/_walk.py`)."""
        return "/".join(self.parts) + ".py"

    @classmethod
    def read(cls, path: Path, parts: tuple[str, ...]) -> PackageModule:
        text = path.read_text(encoding="utf-8")
        return cls(path=path, parts=parts, text=text, tree=ast.parse(text))


@cache
def package_modules() -> tuple[PackageModule, ...]:
    """Every module of the package, in file order."""
    return tuple(
        PackageModule.read(path, path.relative_to(PACKAGE).with_suffix("").parts)
        for path in sorted(PACKAGE.rglob("*.py"))
    )
