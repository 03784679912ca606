"""The rule base's fingerprint: one digest of every file it is made of, names included; and
which files those are (`manifest_files`), the one list the loader, `facesym --version` and
the rule base cache all hash.

Kept apart from the loader, with no imports beyond hashlib, so that `facesym --version` can
fingerprint the installed files without loading (validating and compiling) the rule base,
and both say the same for the same files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

MANIFEST = "rulebase.yaml"


def manifest_files(manifest: Mapping[str, Any], exercises: Mapping[str, Any]) -> tuple[str, ...]:
    """Every file a rule base is made of, from its manifest and its exercise catalogue as
    plain YAML data: the manifest, the catalogue files, the stage files, the drawings (each
    once, in that order). The signoff record is not one of them (a sign-off changes no rule).
    """
    names = [MANIFEST, *manifest["catalogue"].values()]
    for stage in manifest["stages"]:
        names.extend(stage["files"])
    names.extend(exercise["illustration"]["file"] for exercise in exercises["exercises"].values())
    return tuple(dict.fromkeys(names))


def fingerprint_of(contents: Mapping[str, bytes]) -> str:
    """SHA-256 over each file's name and bytes, in name order (a renamed file changes it)."""
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + contents[name] + b"\0")
    return digest.hexdigest()
