"""The rule base's fingerprint: one digest of every file it is made of, names included.

Kept apart from the loader, with no imports beyond hashlib, so that `facesym --version` can
fingerprint the installed files without loading (validating and compiling) the rule base,
and both say the same for the same files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def fingerprint_of(contents: Mapping[str, bytes]) -> str:
    """SHA-256 over each file's name and bytes, in name order (a renamed file changes it)."""
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + contents[name] + b"\0")
    return digest.hexdigest()
