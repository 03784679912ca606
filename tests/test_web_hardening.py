"""Issue 15's hardening: no framing, the privacy headers on every response, and every
state-changing request refused unless it comes from the site itself (a form with its
session's token, or JSON from the same origin with `application/json`)."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recommender import Recommender
from recommender.web import create_app
from recommender.web.csrf import TOKEN_FIELD

from .booking_site.forms import read_page, session_token
from .conftest import load_example

SITE = "http://localhost"
"""The test client's own origin."""


@pytest.fixture(scope="module")
def app(recommender: Recommender) -> Flask:
    return create_app(recommender=recommender)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/api/questions"), ("GET", "/no-such-page"), ("GET", "/questionnaire")],
)
def test_every_response_carries_the_privacy_and_framing_headers(
    client: FlaskClient, method: str, path: str
) -> None:
    headers = client.open(path, method=method).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


# -- forms -----------------------------------------------------------------------------------

FORM = {"block": "gate", "shown": "age", "age": "45"}


def kept_answers(client: FlaskClient) -> object:
    with client.session_transaction() as session:
        return session.get("answers")


@pytest.mark.parametrize(
    "path", ["/questionnaire", "/start-again", "/book", "/questionnaire/check", "/consent"]
)
def test_a_form_posted_without_its_token_is_refused(client: FlaskClient, path: str) -> None:
    session_token(client)  # the person has the site open
    response = client.post(path, data=FORM)
    assert response.status_code == 403
    assert read_page(response.get_data(as_text=True)).page == "form-refused"
    assert kept_answers(client) is None


def test_another_sessions_token_is_refused(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    stolen = session_token(other)
    session_token(client)
    response = client.post("/questionnaire", data=FORM | {TOKEN_FIELD: stolen})
    assert response.status_code == 403
    assert kept_answers(client) is None


def test_a_form_without_any_session_is_refused(client: FlaskClient) -> None:
    response = client.post("/questionnaire", data=FORM | {TOKEN_FIELD: "0" * 64})
    assert response.status_code == 403


def test_the_same_form_with_its_token_is_accepted(client: FlaskClient) -> None:
    response = client.post("/questionnaire", data=FORM | {TOKEN_FIELD: session_token(client)})
    assert response.status_code == 303
    assert kept_answers(client) == {"age": 45}


# -- the JSON API ----------------------------------------------------------------------------

ANSWERS = load_example("m1-weak-side-subtle")


@pytest.mark.parametrize("path", ["/api/recommendation", "/api/next-question"])
@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://elsewhere.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_a_cross_origin_json_request_is_refused(
    client: FlaskClient, path: str, headers: dict[str, str]
) -> None:
    response = client.post(path, json=ANSWERS, headers=headers)
    assert response.status_code == 403
    assert response.get_json() == {"error": "requests from another site are refused"}


@pytest.mark.parametrize("path", ["/api/recommendation", "/api/next-question"])
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_declared_json_is_refused(
    client: FlaskClient, path: str, content_type: str
) -> None:
    # What a cross-site form can send without the browser asking the site first.
    response = client.post(path, data=json.dumps(ANSWERS), content_type=content_type)
    assert response.status_code == 415
    assert "Content-Type: application/json" in response.get_json()["error"]


@pytest.mark.parametrize("headers", [{}, {"Origin": SITE}, {"Sec-Fetch-Site": "same-origin"}])
def test_json_from_this_site_or_a_program_is_answered(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.post("/api/recommendation", json=ANSWERS, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["next_step"]
