"""The consult rows: what of a consult is sealed, and saving, reading, listing and removing them.

Each operation is one short transaction that checks the account and writes the access log
through `ClinicAccess` in that same transaction, so a view is never shown unlogged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..api import Recommender
from ..contract.recommendation import PATHWAYS, URGENCIES, Recommendation
from ..interop.consult_export import consult_record
from ._access import SYSTEM, ClinicAccess
from .consent import Consent
from .errors import ConsultMismatchError, RecordNotFoundError, RecordsError, SettingError
from .models import ConsultRow
from .record import ConsultRecord, ConsultSummary
from .reference import display, new_reference, stored_reference
from .sealing import Sealer
from .settings import KEY_VARIABLE
from .skipped import SkippedQuestion, skipped_questions
from .users import User

REFERENCE_ATTEMPTS = 8


class SealedConsults:
    """Consult rows sealed with the store's keys, kept for the retention period."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        access: ClinicAccess,
        *,
        sealer: Sealer | None,
        retention: timedelta,
        recommender: Recommender | None,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions = sessions
        self._access = access
        self._sealer = sealer
        self._retention = retention
        self._recommender = recommender
        self._clock = clock

    def save_consult(
        self, answers: Mapping[str, Any], recommendation: Recommendation, consent: Consent
    ) -> str:
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
        sealed = _sealed_columns(sealer, values, skipped, exported, recommendation)
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
        stored = stored_reference(reference)
        sealer = self._require_sealer()
        with self._sessions.begin() as session:
            self._access.require(session, viewer)
            row = session.scalars(
                select(ConsultRow).where(ConsultRow.reference == stored)
            ).one_or_none()
            if row is None or row.expires_at <= self._clock():
                raise _not_found(reference)
            record = _opened_record(row, sealer)
            self._access.log(session, viewer.name, stored, "view")
        return record

    def list_consults(
        self, viewer: User, pathway: str | None = None, urgency: str | None = None
    ) -> list[ConsultSummary]:
        _check_choice("pathway", pathway, PATHWAYS)
        _check_choice("urgency", urgency, URGENCIES)
        sealer = self._require_sealer()
        with self._sessions.begin() as session:
            self._access.require(session, viewer)
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
                self._access.log(session, viewer.name, row.reference, "list")
        return listed

    def erase(self, reference: str, by: User) -> None:
        stored = stored_reference(reference)
        with self._sessions.begin() as session:
            self._access.require(session, by, admin=True)
            deleted = session.execute(
                delete(ConsultRow).where(ConsultRow.reference == stored).returning(ConsultRow.id)
            ).all()
            if not deleted:
                raise _not_found(reference)
            self._access.log(session, by.name, stored, "erase")

    def purge(self, now: datetime | None = None) -> int:
        cutoff = now or self._clock()
        with self._sessions.begin() as session:
            gone = session.scalars(
                delete(ConsultRow)
                .where(ConsultRow.expires_at <= cutoff)
                .returning(ConsultRow.reference)
            ).all()
            for reference in gone:
                self._access.log(session, SYSTEM, reference, "purge")
        return len(gone)

    def reseal(self) -> int:
        sealer = self._require_sealer()
        with self._sessions.begin() as session:
            rows = session.scalars(select(ConsultRow)).all()
            for row in rows:
                row.sealed_answers = sealer.reseal(row.sealed_answers, row.reference)
                row.sealed_recommendation = sealer.reseal(row.sealed_recommendation, row.reference)
                row.sealed_summary = sealer.reseal(row.sealed_summary, row.reference)
        return len(rows)

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


def _sealed_columns(
    sealer: Sealer,
    values: dict[str, Any],
    skipped: list[SkippedQuestion],
    exported: Mapping[str, Any],
    recommendation: Recommendation,
) -> dict[str, bytes]:
    """The row's sealed columns: everything about the person (models.py lists what is clear)."""
    return {
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


def _opened_record(row: ConsultRow, sealer: Sealer) -> ConsultRecord:
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


def _not_found(reference: str) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"no record {reference}: it was never saved, was erased, or its retention period ended"
    )


def _check_choice(field: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise RecordsError(f"{field}: {value!r} is not allowed; allowed: {', '.join(allowed)}")
