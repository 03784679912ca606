"""The consult-record store: the one object the web app and the CLI use.

Every method opens its own short transaction, so one store can serve many threads, and
several processes can share one PostgreSQL database. Answers never reach a log line: the
store logs nothing, and the engine neither echoes SQL nor shows parameters in errors.

The store opens the database and hands each job to its part: the consult rows and their
sealing to `SealedConsults` (_consults.py), accounts and the access log to `ClinicAccess`
(_access.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from ..api import Recommender
from ..contract.recommendation import Recommendation
from ._access import ClinicAccess
from ._consults import SealedConsults
from .consent import Consent
from .database import make_engine
from .record import AccessEntry, ConsultRecord, ConsultSummary
from .schema import require_current
from .sealing import Sealer
from .settings import RecordSettings
from .users import User


def utc_now() -> datetime:
    return datetime.now(UTC)


class ConsultStore:
    """Consult records with consent, sealed at rest, kept for the retention period."""

    def __init__(
        self,
        engine: Engine,
        *,
        keys: str | None,
        retention: timedelta,
        recommender: Recommender | None = None,
        clock: Callable[[], datetime] = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._retention = retention
        self._access = ClinicAccess(self._sessions, clock, hasher)
        self._consults = SealedConsults(
            self._sessions,
            self._access,
            sealer=Sealer(keys) if keys else None,
            retention=retention,
            recommender=recommender,
            clock=clock,
        )

    @classmethod
    def open(
        cls,
        settings: RecordSettings | None = None,
        *,
        recommender: Recommender | None = None,
        clock: Callable[[], datetime] = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> ConsultStore:
        """The store the environment (or `settings`) names; its tables must be migrated.

        `recommender` is needed only to save consults: it checks the recommendation and
        knows which questions were not asked.
        """
        settings = settings or RecordSettings.from_environment()
        engine = make_engine(settings.database_url)
        try:
            require_current(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(
            engine,
            keys=settings.keys,
            retention=settings.retention,
            recommender=recommender,
            clock=clock,
            hasher=hasher,
        )

    @property
    def retention(self) -> timedelta:
        """How long a record is kept after it is saved (the consent page says so)."""
        return self._retention

    # -- consults -------------------------------------------------------------------------

    def save_consult(
        self, answers: Mapping[str, Any], recommendation: Recommendation, consent: Consent
    ) -> str:
        """Keep a consult the person consented to; returns its reference (stored form).

        The recommendation must be the one these answers give with this store's rule base,
        so a record never pairs answers with someone else's result.
        """
        return self._consults.save_consult(answers, recommendation, consent)

    def read_consult(self, reference: str, viewer: User) -> ConsultRecord:
        """The whole record, for a signed-in clinic account; the view is written to the log."""
        return self._consults.read_consult(reference, viewer)

    def list_consults(
        self, viewer: User, pathway: str | None = None, urgency: str | None = None
    ) -> list[ConsultSummary]:
        """Current records, newest first, optionally of one pathway or urgency.

        The pathway and urgency are sealed, so the filter runs here after opening them;
        every record listed is written to the access log.
        """
        return self._consults.list_consults(viewer, pathway, urgency)

    def erase(self, reference: str, by: User) -> None:
        """Delete one record at the person's request (an admin does it); the log keeps that it
        was erased, by whom and when, but nothing of the record."""
        self._consults.erase(reference, by)

    def purge(self, now: datetime | None = None) -> int:
        """Delete every record whose retention period has ended; returns how many."""
        return self._consults.purge(now)

    def reseal(self) -> int:
        """Seal every record again with the newest key (after adding one in front); returns
        how many. Afterwards the old keys can be removed from FACESYM_RECORDS_KEY."""
        return self._consults.reseal()

    # -- accounts and the access log ------------------------------------------------------

    def add_user(self, name: str, password: str, role: str) -> User:
        """A new clinic account (role clinician or admin); the password is kept as argon2."""
        return self._access.add_user(name, password, role)

    def verify_password(self, name: str, password: str) -> User | None:
        """The account if the password is right, else None."""
        return self._access.verify_password(name, password)

    def access_log(self, viewer: User, reference: str | None = None) -> list[AccessEntry]:
        """Every access, newest first (or those of one record): for admins only."""
        return self._access.access_log(viewer, reference)

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> ConsultStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
