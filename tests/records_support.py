"""Shared set-up for the consult-record tests: a migrated database on each backend.

SQLite always; PostgreSQL at FACESYM_TEST_POSTGRES_URL (`.ci/run` starts a throwaway server
and sets it). Under CI (CI=true) a missing URL fails the PostgreSQL tests instead of skipping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from recommender import Recommender
from recommender.records import Consent, ConsultStore
from recommender.records.database import make_engine
from recommender.records.models import Base
from recommender.records.schema import migrate

POSTGRES_VARIABLE = "FACESYM_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PASSWORD = "a long clinic password"
WORDING = "I agree that the clinic keeps my answers for my consultation."

# Quick to compute, so the tests spend their time on the store, not on hashing.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = START
    step: timedelta = field(default=timedelta(seconds=1))

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def postgres_url() -> str:
    """The test server's URL, or fail (CI) or skip (a laptop without one)."""
    url = os.environ.get(POSTGRES_VARIABLE, "").strip()
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"{POSTGRES_VARIABLE} is not set under CI: .ci/run should start PostgreSQL")
    pytest.skip(f"no PostgreSQL: set {POSTGRES_VARIABLE} (as .ci/run does) to run these")


def empty_database(backend: str, tmp_path: Path) -> str:
    """The URL of an empty database on this backend (PostgreSQL's is emptied first)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    url = postgres_url()
    engine = make_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url


def migrated(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


def fresh_database(backend: str, tmp_path: Path) -> str:
    """The URL of a freshly migrated, empty database on this backend."""
    url = empty_database(backend, tmp_path)
    migrated(url).dispose()
    return url


def open_store(
    url: str, key: str | None, recommender: Recommender, clock: Clock, days: int = 30
) -> ConsultStore:
    engine = make_engine(url)
    return ConsultStore(
        engine,
        keys=key,
        retention=timedelta(days=days),
        recommender=recommender,
        clock=clock,
        hasher=FAST_HASHER,
    )


def consent(clock: Clock) -> Consent:
    return Consent.to_wording(WORDING, "consent-2026-01", given_at=clock.now)
