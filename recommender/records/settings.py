"""The record store's settings, read from the environment so no secret sits in a file.

- FACESYM_DATABASE_URL: an SQLAlchemy URL; a SQLite file in the current folder by default.
- FACESYM_RECORDS_KEY: Fernet keys, comma-separated, newest first (needed to store or read).
- FACESYM_RECORDS_RETENTION_DAYS: how long a record is kept after consent (365 by default).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from .errors import SettingError

DATABASE_URL_VARIABLE = "FACESYM_DATABASE_URL"
KEY_VARIABLE = "FACESYM_RECORDS_KEY"
RETENTION_VARIABLE = "FACESYM_RECORDS_RETENTION_DAYS"

DEFAULT_DATABASE_URL = "sqlite:///facesym-records.sqlite3"
DEFAULT_RETENTION_DAYS = 365


@dataclass(frozen=True)
class RecordSettings:
    """Where the records live, the keys that seal them, and how long they are kept."""

    database_url: str
    keys: str | None
    retention: timedelta

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> RecordSettings:
        """The settings from the environment (or `environ`), with clear errors."""
        env = os.environ if environ is None else environ
        url = env.get(DATABASE_URL_VARIABLE, "").strip() or DEFAULT_DATABASE_URL
        keys = env.get(KEY_VARIABLE, "").strip() or None
        return cls(database_url=url, keys=keys, retention=_retention(env.get(RETENTION_VARIABLE)))


def _retention(text: str | None) -> timedelta:
    """The retention period in whole days (at least 1)."""
    if text is None or not text.strip():
        return timedelta(days=DEFAULT_RETENTION_DAYS)
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if days < 1:
        raise SettingError(
            f"{RETENTION_VARIABLE} must be a whole number of days, at least 1 (got {text!r})"
        )
    return timedelta(days=days)
