"""What a copied database file or a log shows of a consult: nothing, without the key."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from recommender import Recommender
from recommender.contract.recommendation import PATHWAYS, Recommendation
from recommender.records import UnreadableRecordError, new_key
from recommender.records.models import ConsultRow

from .conftest import load_example
from .records_support import BACKENDS, PASSWORD, Clock, consent, fresh_database, open_store

EXAMPLES = ("m1-weak-side-subtle", "stroke-signs-stopped-at-gate", "s1-skeletal-bite")
SEALED_RUN = re.compile(rb"[A-Za-z0-9_=-]{64,}")
"""A run of url-safe base64, as the sealed (Fernet) values are stored: about 25 KB of it in
the SQLite file of the test that reads it, where a given four-letter word turns up by chance
about once in 700 files (CI saw `never` once); the SQL log at DEBUG prints the same tokens (a
test run saw `full`). No word the tests look for is such a run, so taking them out before
searching can hide only ciphertext, not an answer in the clear."""


def found_in_the_clear(words: set[str], data: bytes) -> list[str]:
    """The words that show in the data outside its sealed runs."""
    assert not any(SEALED_RUN.fullmatch(word.encode("utf-8")) for word in words)
    outside_sealed = SEALED_RUN.sub(b" ", data)
    return sorted(word for word in words if word.encode("utf-8") in outside_sealed)


def revealing_words(answers: dict[str, Any], recommendation: Recommendation) -> set[str]:
    """Every answer value, pathway word, fired rule id and card summary long enough to be
    telling (a two-letter red-flag id like R1 turns up by chance in any base64 text)."""
    words: set[str] = set()
    for value in answers.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                words.add(item)
    words.update(PATHWAYS)
    words.update(firing.rule for firing in recommendation.explanation)
    words.update(recommendation.red_flags)
    words.update(card.summary for card in recommendation.cards)
    return {word for word in words if len(word) >= 4}


@pytest.fixture
def examples(recommender: Recommender) -> list[tuple[dict[str, Any], Recommendation]]:
    return [(load_example(name), recommender.recommend(load_example(name))) for name in EXAMPLES]


def test_the_sqlite_file_shows_no_answer_pathway_or_rule(
    tmp_path: Path,
    recommender: Recommender,
    examples: list[tuple[dict[str, Any], Recommendation]],
) -> None:
    url = fresh_database("sqlite", tmp_path)
    clock = Clock()
    with open_store(url, new_key(), recommender, clock) as store:
        references = [store.save_consult(a, r, consent(clock)) for a, r in examples]
        viewer = store.add_user("nurse.jo", PASSWORD, "clinician")
        assert store.read_consult(references[0], viewer).answers == examples[0][0]

    data = b"".join(path.read_bytes() for path in tmp_path.glob("records.sqlite3*"))
    words = set().union(*(revealing_words(a, r) for a, r in examples))
    # The check covers real content: an answer, a pathway, a rule id, a card summary.
    stroke = "Call 999 now: these can be signs of a stroke."
    assert {"one_side_less", "red_flag", "classify.m1_weak_side", stroke} <= words
    assert found_in_the_clear(words, data) == []
    assert all(reference.encode() in data for reference in references)  # stored in clear


def test_an_erased_record_leaves_no_bytes_in_the_sqlite_file(
    tmp_path: Path, recommender: Recommender
) -> None:
    url = fresh_database("sqlite", tmp_path)
    clock = Clock()
    answers = load_example("m1-weak-side-subtle")
    with open_store(url, new_key(), recommender, clock) as store:
        reference = store.save_consult(answers, recommender.recommend(answers), consent(clock))
        admin = store.add_user("admin.sam", PASSWORD, "admin")
        with store._sessions() as session:
            row = session.scalars(select(ConsultRow)).one()
            sealed = row.sealed_answers + row.sealed_recommendation + row.sealed_summary
        # A long value spans SQLite's overflow pages, so look for it in 48-byte pieces.
        pieces = [sealed[at : at + 48] for at in range(0, len(sealed) - 48, 48)]
        file = tmp_path / "records.sqlite3"
        before = file.read_bytes()
        assert sum(piece in before for piece in pieces) > 0.9 * len(pieces)
        store.erase(reference, by=admin)
    data = file.read_bytes()
    assert [piece for piece in pieces if piece in data] == []  # zeroed, not just unlinked
    assert data.count(reference.encode()) >= 1  # the access log keeps the fact of erasure


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database(request.param, tmp_path)


def test_nothing_about_answers_reaches_a_log(
    database_url: str,
    recommender: Recommender,
    examples: list[tuple[dict[str, Any], Recommendation]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    # Every logger at its most talkative, SQLAlchemy's too (it quiets itself to WARNING on
    # import): a clinic that turns SQL logging on must still see no values.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    with open_store(database_url, new_key(), recommender, clock) as store:
        admin = store.add_user("admin.sam", PASSWORD, "admin")
        references = [store.save_consult(a, r, consent(clock)) for a, r in examples]
        store.read_consult(references[0], admin)
        store.list_consults(admin, pathway="red_flag")
        store.erase(references[1], by=admin)
        assert store.purge(clock.now + timedelta(days=365)) == 2
        store.access_log(admin)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "SELECT" in logged or "INSERT" in logged  # the SQL itself was logged...
    words = set().union(*(revealing_words(a, r) for a, r in examples))
    assert found_in_the_clear(words, logged.encode("utf-8")) == []  # ...and never a value
    assert PASSWORD not in logged


def test_a_wrong_key_opens_nothing_and_says_which_record(
    database_url: str, recommender: Recommender
) -> None:
    clock = Clock()
    answers = load_example("m1-weak-side-subtle")
    with open_store(database_url, new_key(), recommender, clock) as store:
        reference = store.save_consult(answers, recommender.recommend(answers), consent(clock))
        viewer = store.add_user("nurse.jo", PASSWORD, "clinician")
    with open_store(database_url, new_key(), recommender, clock) as other:
        with pytest.raises(UnreadableRecordError, match=f"record {reference} cannot be decrypted"):
            other.read_consult(reference, viewer)
        with pytest.raises(UnreadableRecordError):
            other.list_consults(viewer)


def test_keys_rotate_newest_first_then_the_old_key_can_go(
    database_url: str, recommender: Recommender
) -> None:
    clock = Clock()
    old, new = new_key(), new_key()
    answers = load_example("s1-skeletal-bite")
    with open_store(database_url, old, recommender, clock) as store:
        reference = store.save_consult(answers, recommender.recommend(answers), consent(clock))
        viewer = store.add_user("nurse.jo", PASSWORD, "clinician")
    with open_store(database_url, f"{new},{old}", recommender, clock) as both:
        assert both.read_consult(reference, viewer).answers == answers
        assert both.reseal() == 1
    with open_store(database_url, new, recommender, clock) as only_new:
        assert only_new.read_consult(reference, viewer).answers == answers
    with (
        open_store(database_url, old, recommender, clock) as only_old,
        pytest.raises(UnreadableRecordError),
    ):
        only_old.read_consult(reference, viewer)


def test_a_malformed_key_is_refused_naming_the_variable(
    database_url: str, recommender: Recommender
) -> None:
    from recommender.records import SettingError

    with pytest.raises(SettingError, match="FACESYM_RECORDS_KEY: key 2 is not a Fernet key"):
        open_store(database_url, f"{new_key()},not-a-key", recommender, Clock())
