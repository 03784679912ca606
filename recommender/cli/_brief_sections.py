"""The clinical brief's section titles, so a prescriber reviewing a rule sees what its
evidence cites ("brief 4a": Botulinum toxin type A) and where to read it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..installed import shipped_dir

_HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+|[a-z])?)\.? +(.+?)\s*$")
_SECTION = r"\d+(?:\.\d+|[a-z])?"
_CITATION = re.compile(rf"^brief ({_SECTION}(?:/{_SECTION})*)\b")


def brief_path() -> Path | None:
    """The clinical brief (docs/clinical-brief.md) when this installation has it."""
    path = shipped_dir("_docs", "docs") / "clinical-brief.md"
    return path if path.is_file() else None


def section_titles(path: Path | None) -> dict[str, str]:
    """Each numbered section of the brief ("3.1", "4a") and its title."""
    if path is None:
        return {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    matches = (_HEADING.match(line) for line in lines)
    return {match[1]: match[2] for match in matches if match}


def cited_sections(evidence: Iterable[str]) -> tuple[str, ...]:
    """The brief's sections a rule's evidence cites, each once, in the order cited."""
    found = (_CITATION.match(item) for item in evidence)
    return tuple(dict.fromkeys(s for match in found if match for s in match[1].split("/")))


def describe_section(section: str, titles: Mapping[str, str]) -> str:
    """A section with its title ("4a Botulinum toxin type A"), or its number alone."""
    title = titles.get(section)
    return f"{section} {title}" if title else section
