"""What a person agreed to before their answers were kept (brief 8.1, 8.2 item I1)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import RecordsError


@dataclass(frozen=True)
class Consent:
    """When consent was given, and to which wording (its version and a hash of its text).

    The hash shows later exactly which text was on screen, even if the version label was
    reused by mistake.
    """

    given_at: datetime
    wording_version: str
    wording_sha256: str

    @classmethod
    def to_wording(cls, text: str, version: str, given_at: datetime | None = None) -> Consent:
        """Consent given now (or at `given_at`) to this wording text and version."""
        if not version.strip():
            raise RecordsError("consent wording_version: give the wording's version")
        if not text.strip():
            raise RecordsError("consent wording: the text the person agreed to is empty")
        when = given_at or datetime.now(UTC)
        if when.tzinfo is None:
            raise RecordsError("consent given_at: give a timezone-aware time (UTC)")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(given_at=when.astimezone(UTC), wording_version=version, wording_sha256=digest)
