"""The errors the consult-record layer raises: each says what to do, for the CLI or a web view."""

from __future__ import annotations

from ..contract.errors import FacesymError


class RecordsError(FacesymError):
    """Base class: a problem with the record store that a person can act on."""


class SettingError(RecordsError):
    """An environment setting (key, database URL, retention) is missing or malformed."""


class SchemaOutOfDateError(RecordsError):
    """The database has not been migrated to this version's tables."""


class RecordNotFoundError(RecordsError):
    """No record has this reference (never saved, erased, or expired and purged)."""


class UnreadableRecordError(RecordsError):
    """A record cannot be decrypted with the keys given (wrong or retired key)."""


class NotAllowedError(RecordsError):
    """The account may not do this (a clinician reading the access log, say)."""


class AccountError(RecordsError):
    """An account cannot be made: a name taken, a password too short, an unknown role."""


class ConsultMismatchError(RecordsError):
    """The recommendation handed in is not the one these answers give with this rule base."""
