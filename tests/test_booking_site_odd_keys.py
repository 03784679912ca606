"""The booking site's forms with fields and bytes no page would send (review F5).

Earlier answers used to travel in a hidden JSON field, where a lone surrogate key or deep
nesting gave a 500. They are now kept in the signed session cookie, so only the fields of
the part being answered are read from a form: anything else is ignored, odd bytes in a value
are refused beside the question, and a red flag still ends the questionnaire.
"""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient

from recommender import Recommender
from recommender.web import create_app
from recommender.web.csrf import TOKEN_FIELD

from .booking_site.forms import read_page, session_token


@pytest.fixture(scope="module")
def app(recommender: Recommender) -> Flask:
    return create_app(recommender=recommender)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def token_field(client: FlaskClient) -> bytes:
    return f"&{TOKEN_FIELD}={session_token(client)}".encode()


def post_raw(client: FlaskClient, body: bytes) -> tuple[int, str]:
    response = client.post(
        "/questionnaire",
        data=body + token_field(client),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 303
    shown = client.get(response.location)
    return shown.status_code, shown.get_data(as_text=True)


@pytest.mark.parametrize(
    "extra",
    [b"%ED%A0%80=1", b"answers_so_far=%7B%22age%22%3A999%7D", b"x" * 5_000 + b"=1", b"side=up"],
)
def test_fields_of_no_question_on_the_page_are_ignored(client: FlaskClient, extra: bytes) -> None:
    status, html = post_raw(client, b"block=gate&shown=age&age=40&" + extra)
    assert status == 200
    page = read_page(html)
    assert "age" not in page.errors
    with client.session_transaction() as session:
        assert session["answers"] == {"age": 40}


NOISE = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(300)).encode()
"""19,200 characters that compress poorly, as a pasted block of text might."""


@pytest.mark.parametrize(
    "value",
    [b"%ED%A0%80", b"%FF%FE", b"4" * 5_000, NOISE],
    ids=["surrogate", "ff", "long", "noise"],
)
def test_odd_bytes_in_an_answer_are_refused_beside_it(client: FlaskClient, value: bytes) -> None:
    response = client.post(
        "/questionnaire",
        data=b"block=gate&shown=age&age=" + value + token_field(client),
        content_type="application/x-www-form-urlencoded",
    )
    # Browsers drop a cookie over about 4 KB, and every answer with it.
    assert len(response.headers["Set-Cookie"]) < 4_000
    shown = client.get(response.location)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "age" in read_page(html).errors
    html.encode("utf-8")


def test_a_red_flag_still_ends_the_questionnaire_beside_odd_fields(client: FlaskClient) -> None:
    body = b"block=gate&shown=age&shown=stroke_signs&age=%FF&stroke_signs=yes&%ED%A0%80=1"
    status, html = post_raw(client, body)
    assert status == 200
    assert read_page(html).page == "stop"
