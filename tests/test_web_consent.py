"""Consent, then a consult record (issue 14; brief 8.1, 8.2 item I1), on SQLite and PostgreSQL.

After "check your answers" the person reads what is kept, for how long and who sees it, and
chooses. Yes: the consult is stored and its reference shown on the result and booking pages,
never in a URL. No: the result is shown and nothing is stored. A red flag never asks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from recommender import Recommender
from recommender.records import ConsultStore, User
from recommender.records.reference import normalise
from recommender.web import create_app
from recommender.web.consent_text import CONSENT_VERSION, consent_paragraphs, consent_wording

from .booking_site.forms import read_page, with_token
from .conftest import load_example
from .records_support import BACKENDS, PASSWORD, Clock, fresh_database, open_store
from .test_booking_site_api import submit

RETENTION_DAYS = 30
PERSON = "m1-weak-side-subtle"


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path: Path, recommender: Recommender
) -> Iterator[ConsultStore]:
    url = fresh_database(request.param, tmp_path)
    with open_store(url, _key(), recommender, Clock(), days=RETENTION_DAYS) as opened:
        yield opened


def _key() -> str:
    from recommender.records import new_key

    return new_key()


@pytest.fixture
def client(store: ConsultStore, recommender: Recommender) -> FlaskClient:
    return create_app(recommender=recommender, records=store).test_client()


@pytest.fixture
def admin(store: ConsultStore) -> User:
    return store.add_user("admin.sam", PASSWORD, "admin")


def answer_to_check_page(client: FlaskClient, answers: dict[str, Any]) -> str:
    """Every questionnaire page answered, as a browser without scripts; the page after."""
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    page = read_page(html)
    for _ in range(20):
        if page.page != "questionnaire":
            return html
        _, html = submit(client, page, answers)
        page = read_page(html)
    raise AssertionError("the questionnaire did not end")


def choose(client: FlaskClient, choice: str) -> Any:
    response = client.post("/consent", data=with_token(client, {"choice": choice}))
    assert response.status_code == 303
    assert "?" not in response.location
    return client.get(response.location)


def test_check_answers_leads_to_the_consent_page_first(client: FlaskClient) -> None:
    check = answer_to_check_page(client, load_example(PERSON))
    assert read_page(check).page == "check"
    assert 'href="/consent"' in check
    assert client.get("/result").location == "/consent"  # no result without a choice


def test_the_consent_page_says_what_is_kept_for_how_long_and_who_sees_it(
    client: FlaskClient,
) -> None:
    answer_to_check_page(client, load_example(PERSON))
    html = client.get("/consent").get_data(as_text=True)
    assert read_page(html).page == "consent"
    for paragraph in consent_paragraphs(RETENTION_DAYS):
        assert str(escape(paragraph)) in html
    assert f"How long: {RETENTION_DAYS} days" in html
    assert "Who sees them" in html and "What we keep" in html
    assert 'value="given"' in html and 'value="declined"' in html


def test_without_consent_the_result_is_shown_and_nothing_is_stored(
    client: FlaskClient, store: ConsultStore, admin: User
) -> None:
    answer_to_check_page(client, load_example(PERSON))
    result = choose(client, "declined")
    html = result.get_data(as_text=True)
    assert read_page(html).page == "result"
    assert "data-reference" not in html
    assert store.list_consults(admin) == []


def test_with_consent_the_consult_is_stored_and_its_reference_shown(
    client: FlaskClient, store: ConsultStore, admin: User, recommender: Recommender
) -> None:
    answers = load_example(PERSON)
    answer_to_check_page(client, answers)
    html = choose(client, "given").get_data(as_text=True)
    page = read_page(html)
    assert page.page == "result"
    [line] = store.list_consults(admin)
    assert f'data-reference="{line.shown_as}"' in html
    record = store.read_consult(line.reference, admin)
    assert record.answers == {k: answers[k] for k in record.answers}
    assert set(answers) <= set(record.answers)
    assert record.recommendation == recommender.recommend(answers)
    assert record.consent.wording_version == CONSENT_VERSION
    wording = consent_wording(RETENTION_DAYS).encode()
    assert record.consent.wording_sha256 == hashlib.sha256(wording).hexdigest()
    # The reference goes with the booking, in the session, never in a URL.
    booked = client.post("/book", data=with_token(client, {"service": page.buttons[0]}))
    assert booked.status_code == 303 and line.reference not in booked.location
    assert line.shown_as not in booked.location
    booking = client.get(booked.location).get_data(as_text=True)
    assert f'data-reference="{line.shown_as}"' in booking
    assert normalise(line.shown_as) == line.reference


def test_reload_and_back_do_not_store_the_consult_twice(
    client: FlaskClient, store: ConsultStore, admin: User
) -> None:
    answer_to_check_page(client, load_example(PERSON))
    choose(client, "given")
    assert client.get("/result").status_code == 200
    assert client.get("/consent").status_code == 200  # Back to the page: shown again
    assert client.get("/result").status_code == 200
    assert len(store.list_consults(admin)) == 1


def test_yes_twice_from_the_back_button_keeps_one_record(
    client: FlaskClient, store: ConsultStore, admin: User
) -> None:
    answer_to_check_page(client, load_example(PERSON))
    first = choose(client, "given").get_data(as_text=True)
    again = choose(client, "given").get_data(as_text=True)
    [line] = store.list_consults(admin)
    assert f'data-reference="{line.shown_as}"' in first and line.shown_as in again


def test_a_changed_answer_asks_for_consent_again(client: FlaskClient) -> None:
    answers = load_example(PERSON)
    answer_to_check_page(client, answers)
    choose(client, "declined")
    first = read_page(client.get("/", follow_redirects=True).get_data(as_text=True))
    submit(client, first, answers)  # the same part sent again: the answers may have changed
    assert client.get("/result").location == "/consent"


def test_a_red_flag_never_asks_and_stores_nothing(
    client: FlaskClient, store: ConsultStore, admin: User
) -> None:
    html = answer_to_check_page(client, load_example("stroke-signs-stopped-at-gate"))
    assert read_page(html).page == "stop"
    assert client.get("/result").status_code == 200
    assert client.get("/consent").location == "/result"
    assert client.post("/consent", data=with_token(client, {"choice": "given"})).status_code == 303
    assert store.list_consults(admin) == []


def test_a_record_that_cannot_be_saved_still_shows_the_result(
    recommender: Recommender, tmp_path: Path
) -> None:
    url = fresh_database("sqlite", tmp_path)
    with open_store(url, None, recommender, Clock()) as keyless:  # no key: saving fails
        client = create_app(recommender=recommender, records=keyless).test_client()
        answer_to_check_page(client, load_example(PERSON))
        html = choose(client, "given").get_data(as_text=True)
    assert read_page(html).page == "result"
    assert "We could not keep your answers just now" in html
    assert "data-reference" not in html


def test_without_a_store_there_is_no_consent_step(recommender: Recommender) -> None:
    client = create_app(recommender=recommender).test_client()
    check = answer_to_check_page(client, load_example(PERSON))
    assert 'href="/result"' in check
    assert client.get("/consent").location == "/result"
    assert client.get("/result").status_code == 200


def test_an_unknown_choice_asks_again(
    client: FlaskClient, store: ConsultStore, admin: User
) -> None:
    answer_to_check_page(client, load_example(PERSON))
    response = client.post("/consent", data=with_token(client, {"choice": "maybe"}))
    assert response.location == "/consent"
    assert store.list_consults(admin) == []
