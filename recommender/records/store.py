"""The consult-record store: the one object the web app and the CLI use.

Every method opens its own short transaction, so one store can serve many threads, and
several processes can share one PostgreSQL database. Answers never reach a log line: the
store logs nothing, and the engine neither echoes SQL nor shows parameters in errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, cast, get_args

from argon2 import PasswordHasher
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..api import Recommender
from ..contract.recommendation import PATHWAYS, URGENCIES, Recommendation
from ..interop.consult_export import consult_record
from .consent import Consent
from .database import make_engine
from .errors import (
    ConsultMismatchError,
    NotAllowedError,
    RecordNotFoundError,
    RecordsError,
    SettingError,
)
from .models import AccessRow, ConsultRow
from .record import AccessEntry, Action, ConsultRecord, ConsultSummary
from .reference import display, new_reference, normalise
from .schema import require_current
from .sealing import Sealer
from .settings import KEY_VARIABLE, RecordSettings
from .skipped import SkippedQuestion, skipped_questions
from .users import Accounts, User

SYSTEM = "system"
"""The access log's "who" for what the retention schedule does by itself."""
REFERENCE_ATTEMPTS = 8
ACTIONS: tuple[str, ...] = get_args(Action)


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
        self._sealer = Sealer(keys) if keys else None
        self._retention = retention
        self._recommender = recommender
        self._clock = clock
        self._accounts = Accounts(hasher)

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
        sealer = self._require_sealer()
        recommender = self._require_recommender()
        if recommender.recommend(dict(answers)) != recommendation:
            raise ConsultMismatchError(
                "the recommendation is not the one these answers give with rule base"
                f" {recommender.rulebase.name} {recommender.rulebase.version}"
            )
        # The project's one consult format: answers checked and in the contract's order,
        # and the full recommendation as JSON (recommender.consult_export).
        exported = consult_record(answers, recommendation)
        values: dict[str, Any] = exported["answers"]
        skipped = skipped_questions(
            recommender.rulebase.questions, values, recommendation.stopped_early
        )
        created = self._clock()
        info = recommendation.rulebase
        sealed = {
            "sealed_answers": sealer.seal(
                {"answers": values, "skipped": [item.model_dump() for item in skipped]}
            ),
            "sealed_recommendation": sealer.seal(exported["recommendation"]),
            "sealed_summary": sealer.seal(
                {
                    "pathway": recommendation.pathway,
                    "urgency": recommendation.urgency,
                    "red_flags": list(recommendation.red_flags),
                }
            ),
        }
        for _ in range(REFERENCE_ATTEMPTS):
            reference = new_reference()
            row = ConsultRow(
                reference=reference,
                created_at=created,
                expires_at=created + self._retention,
                consent_given_at=consent.given_at,
                consent_wording_version=consent.wording_version,
                consent_wording_sha256=consent.wording_sha256,
                rulebase_name=info.name,
                rulebase_version=info.version,
                rulebase_fingerprint=info.fingerprint,
                **sealed,
            )
            try:
                with self._sessions.begin() as session:
                    session.add(row)
            except IntegrityError:  # the reference was taken: draw another
                continue
            return reference
        raise RecordsError("could not find a free record reference; try again")

    def read_consult(self, reference: str, viewer: User) -> ConsultRecord:
        """The whole record, for a signed-in clinic account; the view is written to the log."""
        stored = _stored_reference(reference)
        sealer = self._require_sealer()
        with self._sessions.begin() as session:
            self._check_account(session, viewer)
            row = session.scalars(
                select(ConsultRow).where(ConsultRow.reference == stored)
            ).one_or_none()
            if row is None or row.expires_at <= self._clock():
                raise _not_found(reference)
            record = _record(row, sealer)
            self._log(session, viewer.name, stored, "view")
        return record

    def list_consults(
        self, viewer: User, pathway: str | None = None, urgency: str | None = None
    ) -> list[ConsultSummary]:
        """Current records, newest first, optionally of one pathway or urgency.

        The pathway and urgency are sealed, so the filter runs here after opening them;
        every record listed is written to the access log.
        """
        _check_choice("pathway", pathway, PATHWAYS)
        _check_choice("urgency", urgency, URGENCIES)
        sealer = self._require_sealer()
        with self._sessions.begin() as session:
            self._check_account(session, viewer)
            rows = session.scalars(
                select(ConsultRow)
                .where(ConsultRow.expires_at > self._clock())
                .order_by(ConsultRow.created_at.desc(), ConsultRow.id.desc())
            ).all()
            listed = []
            for row in rows:
                summary = sealer.open(row.sealed_summary, row.reference)
                if pathway is not None and summary["pathway"] != pathway:
                    continue
                if urgency is not None and summary["urgency"] != urgency:
                    continue
                listed.append(
                    ConsultSummary(
                        reference=row.reference,
                        shown_as=display(row.reference),
                        created_at=row.created_at,
                        expires_at=row.expires_at,
                        **summary,
                    )
                )
                self._log(session, viewer.name, row.reference, "list")
        return listed

    def erase(self, reference: str, by: User) -> None:
        """Delete one record at the person's request (an admin does it); the log keeps that it
        was erased, by whom and when, but nothing of the record."""
        stored = _stored_reference(reference)
        with self._sessions.begin() as session:
            self._check_account(session, by, admin=True)
            deleted = session.execute(
                delete(ConsultRow).where(ConsultRow.reference == stored).returning(ConsultRow.id)
            ).all()
            if not deleted:
                raise _not_found(reference)
            self._log(session, by.name, stored, "erase")

    def purge(self, now: datetime | None = None) -> int:
        """Delete every record whose retention period has ended; returns how many."""
        cutoff = now or self._clock()
        with self._sessions.begin() as session:
            gone = session.scalars(
                delete(ConsultRow)
                .where(ConsultRow.expires_at <= cutoff)
                .returning(ConsultRow.reference)
            ).all()
            for reference in gone:
                self._log(session, SYSTEM, reference, "purge")
        return len(gone)

    def reseal(self) -> int:
        """Seal every record again with the newest key (after adding one in front); returns
        how many. Afterwards the old keys can be removed from FACESYM_RECORDS_KEY."""
        sealer = self._require_sealer()
        with self._sessions.begin() as session:
            rows = session.scalars(select(ConsultRow)).all()
            for row in rows:
                row.sealed_answers = sealer.reseal(row.sealed_answers, row.reference)
                row.sealed_recommendation = sealer.reseal(row.sealed_recommendation, row.reference)
                row.sealed_summary = sealer.reseal(row.sealed_summary, row.reference)
        return len(rows)

    # -- accounts and the access log ------------------------------------------------------

    def add_user(self, name: str, password: str, role: str) -> User:
        """A new clinic account (role clinician or admin); the password is kept as argon2."""
        with self._sessions.begin() as session:
            return self._accounts.add(session, name, password, role, self._clock())

    def verify_password(self, name: str, password: str) -> User | None:
        """The account if the password is right, else None."""
        with self._sessions.begin() as session:
            return self._accounts.verify(session, name, password)

    def access_log(self, viewer: User, reference: str | None = None) -> list[AccessEntry]:
        """Every access, newest first (or those of one record): for admins only."""
        with self._sessions.begin() as session:
            self._check_account(session, viewer, admin=True)
            query = select(AccessRow).order_by(AccessRow.at.desc(), AccessRow.id.desc())
            if reference is not None:
                query = query.where(AccessRow.reference == _stored_reference(reference))
            return [
                AccessEntry(at=row.at, user=row.user_name, reference=row.reference, action=action)
                for row in session.scalars(query)
                if (action := _action(row.action)) is not None
            ]

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

    def _require_sealer(self) -> Sealer:
        if self._sealer is None:
            raise SettingError(
                f"{KEY_VARIABLE} is not set: consult records are kept encrypted and need a key;"
                " make one with `facesym records new-key`"
            )
        return self._sealer

    def _require_recommender(self) -> Recommender:
        if self._recommender is None:
            raise RecordsError("saving a consult needs the store opened with its Recommender")
        return self._recommender

    def _check_account(self, session: Session, user: User, admin: bool = False) -> None:
        """The user must be a current account with that role (and an admin, if asked)."""
        current = Accounts.find(session, user.name)
        if current != user:
            raise NotAllowedError(f"{user.name!r} is not a current clinic account with that role")
        if admin and user.role != "admin":
            raise NotAllowedError(f"{user.name!r} is a {user.role}: only an admin may do this")

    def _log(self, session: Session, who: str, reference: str, action: Action) -> None:
        session.add(AccessRow(at=self._clock(), user_name=who, reference=reference, action=action))


def _record(row: ConsultRow, sealer: Sealer) -> ConsultRecord:
    answered = sealer.open(row.sealed_answers, row.reference)
    recommendation = Recommendation.model_validate(
        sealer.open(row.sealed_recommendation, row.reference)
    )
    return ConsultRecord(
        reference=row.reference,
        shown_as=display(row.reference),
        created_at=row.created_at,
        expires_at=row.expires_at,
        consent=Consent(
            given_at=row.consent_given_at,
            wording_version=row.consent_wording_version,
            wording_sha256=row.consent_wording_sha256,
        ),
        answers=answered["answers"],
        skipped=[SkippedQuestion.model_validate(item) for item in answered["skipped"]],
        recommendation=recommendation,
        # The recommendation's own, whatever fields it grows (sign-off state, say); the clear
        # name/version/fingerprint columns are the same values, kept for finding records.
        rulebase=recommendation.rulebase,
        fired_rules=[firing.rule for firing in recommendation.explanation],
    )


def _stored_reference(text: str) -> str:
    stored = normalise(text)
    if stored is None:
        raise RecordNotFoundError(
            f"{text!r} is not a record reference: 10 letters and digits, such as 7KQ2M-XD9RA"
        )
    return stored


def _not_found(reference: str) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"no record {reference}: it was never saved, was erased, or its retention period ended"
    )


def _check_choice(field: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise RecordsError(f"{field}: {value!r} is not allowed; allowed: {', '.join(allowed)}")


def _action(text: str) -> Action | None:
    """A logged action as its type (None for one this version does not know)."""
    return cast(Action, text) if text in ACTIONS else None
