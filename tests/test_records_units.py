"""The small parts of consult records: references, consent, settings, skipped questions."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta

import pytest

from recommender import Recommender
from recommender.records import Consent, RecordsError, RecordSettings, SettingError
from recommender.records.database import database_url, make_engine
from recommender.records.reference import ALPHABET, display, new_reference, normalise
from recommender.records.skipped import skipped_questions

from .conftest import load_example


def test_references_are_ten_readable_characters_and_differ() -> None:
    drawn = {new_reference() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(ref) == 10 and set(ref) <= set(ALPHABET) for ref in drawn)
    assert not set("ILOU") & set(ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7KQ2M-XD9RA", "7KQ2MXD9RA"),
        ("7kq2m xd9ra", "7KQ2MXD9RA"),
        ("7KQ2M-XD9RA\n", "7KQ2MXD9RA"),
        ("O1LI0-00000", "0111000000"),
        ("7KQ2M-XD9R", None),  # one short
        ("7KQ2M-XD9RU", None),  # U is not in the alphabet
        ("", None),
    ],
)
def test_a_reference_is_read_back_as_people_type_it(typed: str, stored: str | None) -> None:
    assert normalise(typed) == stored
    if stored is not None:
        assert normalise(display(stored)) == stored


def test_consent_keeps_the_time_version_and_a_hash_of_the_wording() -> None:
    when = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    consent = Consent.to_wording("I agree.", "v2", given_at=when)
    assert consent.given_at == when and consent.wording_version == "v2"
    assert consent.wording_sha256 != Consent.to_wording("I agree!", "v2", when).wording_sha256
    assert len(consent.wording_sha256) == 64


@pytest.mark.parametrize(
    ("text", "version", "when", "field"),
    [
        ("I agree.", " ", datetime.now(UTC), "wording_version"),
        ("", "v1", datetime.now(UTC), "consent wording:"),
        ("I agree.", "v1", datetime(2026, 5, 1), "given_at"),
    ],
)
def test_bad_consent_names_the_field(text: str, version: str, when: datetime, field: str) -> None:
    with pytest.raises(RecordsError, match=field):
        Consent.to_wording(text, version, given_at=when)


def test_settings_default_to_a_local_sqlite_file_and_a_year() -> None:
    settings = RecordSettings.from_environment({})
    assert settings.database_url == "sqlite:///facesym-records.sqlite3"
    assert settings.keys is None
    assert settings.retention == timedelta(days=365)
    chosen = RecordSettings.from_environment(
        {"FACESYM_RECORDS_RETENTION_DAYS": " 30 ", "FACESYM_RECORDS_KEY": "k"}
    )
    assert chosen.retention == timedelta(days=30) and chosen.keys == "k"


@pytest.mark.parametrize("days", ["0", "-3", "thirty", "1.5"])
def test_a_bad_retention_period_is_refused(days: str) -> None:
    with pytest.raises(SettingError, match="FACESYM_RECORDS_RETENTION_DAYS"):
        RecordSettings.from_environment({"FACESYM_RECORDS_RETENTION_DAYS": days})


def test_a_follow_up_shows_as_skipped_only_when_its_condition_is_unmet(
    recommender: Recommender,
) -> None:
    questions = recommender.rulebase.questions
    answers = load_example("m1-weak-side-subtle")
    assert "severe_headache" in {
        item.field for item in skipped_questions(questions, answers, False)
    }
    answers["sudden_weakness"] = "yes"  # now the headache follow-up applies
    pending = {item.field: item.reason for item in skipped_questions(questions, answers, False)}
    assert pending["severe_headache"] == "not_answered"


def test_a_postgresql_url_without_its_driver_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were missing
    with pytest.raises(SettingError, match=re.escape("pip install 'facesym[web,postgres]'")):
        make_engine("postgresql://clinic@db.example/facesym")


def test_plain_postgresql_urls_mean_psycopg_3() -> None:
    assert database_url("postgresql://clinic@db/facesym").drivername == "postgresql+psycopg"
    assert database_url("sqlite:///x.sqlite3").drivername == "sqlite"
