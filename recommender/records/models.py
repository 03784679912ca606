"""The record tables. Only what is needed to find, expire and audit a record is in clear.

In clear: the reference, the created/consent/expiry times, the consent wording version and
hash, the rule base name/version/fingerprint, account names and roles, and the access log.
Sealed (encrypted): the answers and skipped questions, the recommendation with its fired rules,
and the pathway/urgency/red-flag summary the clinic list filters on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, LargeBinary, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so UTC is put back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("record times must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ConsultRow(Base):
    """One consult record."""

    __tablename__ = "consult_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    consent_given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_wording_version: Mapped[str] = mapped_column(String(64))
    consent_wording_sha256: Mapped[str] = mapped_column(String(64))
    rulebase_name: Mapped[str] = mapped_column(String(200))
    rulebase_version: Mapped[str] = mapped_column(String(64))
    rulebase_fingerprint: Mapped[str] = mapped_column(String(64))
    sealed_answers: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_recommendation: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_summary: Mapped[bytes] = mapped_column(LargeBinary)


class UserRow(Base):
    """A clinic account: a name, an argon2 password hash and a role."""

    __tablename__ = "clinic_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AccessRow(Base):
    """Who did what to which record, when. Kept when the record itself is erased or purged."""

    __tablename__ = "record_access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(10), index=True)
    action: Mapped[str] = mapped_column(String(20))
