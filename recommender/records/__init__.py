"""Consult records: kept with consent, sealed at rest, expired on schedule, every view logged.

Needs the `web` extra (SQLAlchemy, Alembic, cryptography, argon2-cffi, psycopg):

    from recommender.records import Consent, ConsultStore
    store = ConsultStore.open(recommender=recommender)   # FACESYM_DATABASE_URL, ..._KEY
    reference = store.save_consult(answers, recommendation, Consent.to_wording(text, "v1"))
"""

from .consent import Consent
from .errors import (
    AccountError,
    ConsultMismatchError,
    NotAllowedError,
    RecordNotFoundError,
    RecordsError,
    SchemaOutOfDateError,
    SettingError,
    UnreadableRecordError,
)
from .record import AccessEntry, ConsultRecord, ConsultSummary
from .reference import display as display_reference
from .schema import migrate
from .sealing import new_key
from .settings import RecordSettings
from .skipped import SkippedQuestion
from .store import ConsultStore
from .users import ROLES, User

__all__ = [
    "ROLES",
    "AccessEntry",
    "AccountError",
    "Consent",
    "ConsultMismatchError",
    "ConsultRecord",
    "ConsultStore",
    "ConsultSummary",
    "NotAllowedError",
    "RecordNotFoundError",
    "RecordSettings",
    "RecordsError",
    "SchemaOutOfDateError",
    "SettingError",
    "SkippedQuestion",
    "UnreadableRecordError",
    "User",
    "display_reference",
    "migrate",
    "new_key",
]
