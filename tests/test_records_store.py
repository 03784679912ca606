"""The consult-record store on SQLite and PostgreSQL: save, read, list, erase, purge, accounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from recommender import Recommender
from recommender.records import (
    AccountError,
    ConsultMismatchError,
    ConsultStore,
    NotAllowedError,
    RecordNotFoundError,
    RecordsError,
    SettingError,
    User,
    new_key,
)
from recommender.records import _consults as consults_module
from recommender.records.models import UserRow

from .conftest import load_example
from .records_support import BACKENDS, PASSWORD, Clock, consent, fresh_database, open_store

REFERENCE = re.compile(r"[0-9A-HJKMNP-TV-Z]{10}")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database(request.param, tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store_key() -> str:
    return new_key()


@pytest.fixture
def store(
    database_url: str,
    recommender: Recommender,
    clock: Clock,
    store_key: str,
) -> Iterator[ConsultStore]:
    with open_store(database_url, store_key, recommender, clock) as opened:
        yield opened


@pytest.fixture
def admin(store: ConsultStore) -> User:
    return store.add_user("admin.sam", PASSWORD, "admin")


@pytest.fixture
def clinician(store: ConsultStore) -> User:
    return store.add_user("nurse.jo", PASSWORD, "clinician")


def save(store: ConsultStore, recommender: Recommender, clock: Clock, example: str) -> str:
    answers = load_example(example)
    return store.save_consult(answers, recommender.recommend(answers), consent(clock))


def test_a_saved_consult_reads_back_whole(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User
) -> None:
    answers = load_example("m1-weak-side-subtle")
    recommendation = recommender.recommend(answers)
    given = consent(clock)
    reference = store.save_consult(answers, recommendation, given)
    assert REFERENCE.fullmatch(reference)

    record = store.read_consult(reference, clinician)

    assert record.answers == answers
    assert record.recommendation == recommendation
    assert record.fired_rules == [firing.rule for firing in recommendation.explanation]
    assert record.fired_rules  # this example fires rules, so the list is not trivially equal
    assert record.rulebase == recommendation.rulebase  # with every field it has
    assert record.rulebase.fingerprint == recommender.rulebase.fingerprint
    assert record.consent == given
    assert record.shown_as == f"{reference[:5]}-{reference[5:]}"
    assert record.expires_at - record.created_at == timedelta(days=30)
    assert record.created_at.utcoffset() == timedelta(0)


def test_follow_ups_not_asked_are_marked_skipped(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User
) -> None:
    record = store.read_consult(save(store, recommender, clock, "m1-weak-side-subtle"), clinician)
    skipped = {item.field: item.reason for item in record.skipped}
    # No sudden weakness, so the headache follow-up was not asked (questions.yaml A31).
    assert skipped["severe_headache"] == "not_applicable"
    assert set(skipped.values()) == {"not_applicable"}
    assert not set(skipped) & set(record.answers)


def test_a_questionnaire_stopped_at_a_red_flag_marks_the_rest_stopped_early(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User
) -> None:
    answers = load_example("stroke-signs-stopped-at-gate")
    reference = store.save_consult(answers, recommender.recommend(answers), consent(clock))
    record = store.read_consult(reference, clinician)
    reasons = {item.field: item.reason for item in record.skipped}
    assert record.recommendation.pathway == "red_flag"
    assert reasons["goal"] == "stopped_early"
    assert "stroke_signs" not in reasons


def test_a_reference_reads_back_as_a_person_types_it(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User
) -> None:
    reference = save(store, recommender, clock, "n0-photos-reassurance")
    typed = f" {reference[:5].lower()} - {reference[5:]} ".replace("0", "o").replace("1", "l")
    assert store.read_consult(typed, clinician).reference == reference


def test_an_unknown_or_malformed_reference_is_a_clear_not_found(
    store: ConsultStore, clinician: User
) -> None:
    with pytest.raises(RecordNotFoundError, match="no record ABCDE-FGHJK"):
        store.read_consult("ABCDE-FGHJK", clinician)
    with pytest.raises(RecordNotFoundError, match="not a record reference"):
        store.read_consult("UUU", clinician)


def test_every_view_and_listing_goes_to_the_access_log(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User, admin: User
) -> None:
    first = save(store, recommender, clock, "m1-weak-side-subtle")
    second = save(store, recommender, clock, "s1-skeletal-bite")
    store.read_consult(first, clinician)
    store.list_consults(admin)

    log = store.access_log(admin)
    assert [(e.user, e.reference, e.action) for e in log] == [
        ("admin.sam", first, "list"),
        ("admin.sam", second, "list"),
        ("nurse.jo", first, "view"),
    ]
    assert log[0].at >= log[-1].at > clock.now - timedelta(minutes=1)
    assert [e.action for e in store.access_log(admin, reference=first)] == ["list", "view"]


def test_only_an_admin_reads_the_access_log(store: ConsultStore, clinician: User) -> None:
    with pytest.raises(NotAllowedError, match="only an admin"):
        store.access_log(clinician)


def test_a_viewer_must_be_a_current_account_with_that_role(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User
) -> None:
    reference = save(store, recommender, clock, "m1-weak-side-subtle")
    with pytest.raises(NotAllowedError):
        store.read_consult(reference, User(name="ghost", role="clinician"))
    with pytest.raises(NotAllowedError):
        store.access_log(User(name="nurse.jo", role="admin"))


def test_the_clinic_list_is_newest_first_and_filters_on_sealed_values(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User
) -> None:
    made = {
        name: save(store, recommender, clock, name)
        for name in ("m1-weak-side-subtle", "stroke-signs-stopped-at-gate", "s1-skeletal-bite")
    }
    listed = store.list_consults(clinician)
    assert [item.reference for item in listed] == list(reversed(made.values()))
    emergency = store.list_consults(clinician, urgency="emergency")
    assert [item.reference for item in emergency] == [made["stroke-signs-stopped-at-gate"]]
    assert emergency[0].pathway == "red_flag" and emergency[0].red_flags
    programme = store.list_consults(clinician, pathway="exercise_programme")
    assert [item.reference for item in programme] == [made["m1-weak-side-subtle"]]


def test_a_bad_filter_names_the_field_and_the_allowed_values(
    store: ConsultStore, clinician: User
) -> None:
    with pytest.raises(RecordsError, match=r"pathway: 'botox' is not allowed; allowed: red_flag"):
        store.list_consults(clinician, pathway="botox")
    with pytest.raises(RecordsError, match=r"urgency: .*allowed: emergency, urgent"):
        store.list_consults(clinician, urgency="later")


def test_a_recommendation_from_other_answers_is_refused(
    store: ConsultStore, recommender: Recommender, clock: Clock, admin: User
) -> None:
    other = recommender.recommend(load_example("s1-skeletal-bite"))
    with pytest.raises(ConsultMismatchError):
        store.save_consult(load_example("m1-weak-side-subtle"), other, consent(clock))
    assert store.list_consults(admin) == []


def test_nothing_is_stored_without_a_key(
    database_url: str,
    recommender: Recommender,
    clock: Clock,
) -> None:
    answers: dict[str, Any] = load_example("m1-weak-side-subtle")
    with open_store(database_url, None, recommender, clock) as keyless:
        with pytest.raises(SettingError, match="FACESYM_RECORDS_KEY is not set"):
            keyless.save_consult(answers, recommender.recommend(answers), consent(clock))
        assert keyless.purge(clock.now + timedelta(days=999)) == 0


def test_an_admin_erases_one_record_and_the_log_keeps_that(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User, admin: User
) -> None:
    gone = save(store, recommender, clock, "m1-weak-side-subtle")
    kept = save(store, recommender, clock, "s1-skeletal-bite")
    with pytest.raises(NotAllowedError):
        store.erase(gone, by=clinician)
    store.erase(gone, by=admin)

    with pytest.raises(RecordNotFoundError):
        store.read_consult(gone, clinician)
    with pytest.raises(RecordNotFoundError):
        store.erase(gone, by=admin)
    assert store.read_consult(kept, clinician).reference == kept
    entries = [(e.user, e.reference, e.action) for e in store.access_log(admin)]
    assert ("admin.sam", gone, "erase") in entries


def test_purge_deletes_only_what_has_expired(
    store: ConsultStore, recommender: Recommender, clock: Clock, clinician: User, admin: User
) -> None:
    old = save(store, recommender, clock, "m1-weak-side-subtle")
    clock.now += timedelta(days=20)
    recent = save(store, recommender, clock, "s1-skeletal-bite")
    clock.now += timedelta(days=15)  # `old` is 35 days old, `recent` 15: retention is 30

    with pytest.raises(RecordNotFoundError):  # expired records are not shown before a purge
        store.read_consult(old, clinician)
    assert [item.reference for item in store.list_consults(clinician)] == [recent]
    assert store.purge() == 1
    assert store.purge() == 0
    assert store.read_consult(recent, clinician).reference == recent
    entries = [(e.user, e.reference, e.action) for e in store.access_log(admin)]
    assert ("system", old, "purge") in entries
    assert store.purge(clock.now + timedelta(days=30)) == 1


def test_a_reference_already_taken_is_drawn_again(
    store: ConsultStore,
    recommender: Recommender,
    clock: Clock,
    clinician: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draws = iter(["AAAAA11111", "AAAAA11111", "BBBBB22222"])
    monkeypatch.setattr(consults_module, "new_reference", lambda: next(draws))
    assert save(store, recommender, clock, "m1-weak-side-subtle") == "AAAAA11111"
    assert save(store, recommender, clock, "s1-skeletal-bite") == "BBBBB22222"
    assert store.read_consult("BBBBB22222", clinician).answers == load_example("s1-skeletal-bite")


def test_passwords_are_checked_and_never_stored(store: ConsultStore, clinician: User) -> None:
    assert store.verify_password("nurse.jo", PASSWORD) == clinician
    assert store.verify_password("nurse.jo", PASSWORD + "x") is None
    assert store.verify_password("nobody", PASSWORD) is None
    with store._sessions() as session:
        stored = session.scalars(select(UserRow.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "password", "role", "field"),
    [
        ("nurse.jo", PASSWORD, "clinician", "name: an account called 'nurse.jo' already exists"),
        ("new.one", "short", "clinician", "password: use at least 12"),
        ("new.one", PASSWORD, "owner", "role: 'owner' is not a role; allowed: clinician, admin"),
        ("-bad name", PASSWORD, "clinician", "name: use 1 to 100"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field(
    store: ConsultStore, clinician: User, name: str, password: str, role: str, field: str
) -> None:
    with pytest.raises(AccountError, match=re.escape(field)):
        store.add_user(name, password, role)


def test_a_password_is_rehashed_when_the_parameters_change(
    database_url: str,
    store: ConsultStore,
    clinician: User,
    store_key: str,
    recommender: Recommender,
    clock: Clock,
) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    with store._sessions() as session:
        before = session.scalars(select(UserRow.password_hash)).one()
    with ConsultStore(
        store._engine, keys=store_key, retention=timedelta(days=30), hasher=stronger
    ) as upgraded:
        assert upgraded.verify_password("nurse.jo", PASSWORD) == clinician
        with upgraded._sessions() as session:
            after = session.scalars(select(UserRow.password_hash)).one()
    assert before != after and "m=2048,t=2" in after and "m=1024,t=1" in before
    assert store.verify_password("nurse.jo", PASSWORD) == clinician


def test_two_processes_sharing_one_database_save_side_by_side(
    database_url: str, recommender: Recommender, store_key: str
) -> None:
    """Two stores with engines of their own (as two web processes have) save at once."""
    answers = load_example("m1-weak-side-subtle")
    recommendation = recommender.recommend(answers)
    stores = [open_store(database_url, store_key, recommender, Clock()) for _ in range(2)]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            saved = list(
                pool.map(
                    lambda n: stores[n % 2].save_consult(answers, recommendation, consent(Clock())),
                    range(16),
                )
            )
        viewer = stores[0].add_user("nurse.jo", PASSWORD, "clinician")
        assert len(set(saved)) == 16
        listed = {item.reference for item in stores[1].list_consults(viewer)}
        assert listed == set(saved)
    finally:
        for store in stores:
            store.close()
