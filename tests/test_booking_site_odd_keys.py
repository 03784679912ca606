"""The booking site's hidden `answers_so_far` field with keys no form would send (review F5).

A lone surrogate as a key used to reach the page unescaped, and werkzeug failed to encode
it: a 500 with a traceback in the log. It is now shown like any other bad answer, and a red
flag in the valid earlier answers still ends the questionnaire. Earlier answers nested
too deeply for the JSON parser (a 20 KB field is enough) gave a 500 as well.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from examples.booking_site import create_app
from recommender import Recommender

from .booking_site.forms import read_page


@pytest.fixture(scope="module")
def app(recommender: Recommender) -> Flask:
    return create_app(recommender=recommender)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def post_gate(client: FlaskClient, so_far: str, **fields: str) -> tuple[int, str]:
    form = {"block": "gate", "answers_so_far": so_far, "shown": list(fields), **fields}
    response = client.post("/questionnaire", data=form)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("key", ["\\ud800", "\\udfff\\ud800", "a\\u0000b", "x" * 5_000])
def test_an_odd_earlier_key_is_shown_as_a_problem(client: FlaskClient, key: str) -> None:
    status, html = post_gate(client, '{"' + key + '": 1}', age="40")
    assert status == 422
    assert "is not a questionnaire field" in html.lower()
    html.encode("utf-8")


def test_a_surrogate_value_is_shown_escaped(client: FlaskClient) -> None:
    status, html = post_gate(client, json.dumps({"side": "\ud800"}), age="40")
    assert status == 422
    assert "\\ud800" in html


def test_a_red_flag_still_ends_the_questionnaire_beside_an_odd_key(client: FlaskClient) -> None:
    status, html = post_gate(client, '{"\\ud800": 1}', age="40", stroke_signs="yes")
    assert status == 200
    assert read_page(html).page == "stop"


@pytest.mark.parametrize(
    "so_far",
    ['{"side": ' + "[" * 5_000 + "]" * 5_000 + "}", "[" * 20_000, '{"age": 1' + "0" * 5_000 + "}"],
    ids=["deep-value", "deep-brackets", "huge-int"],
)
def test_earlier_answers_too_deep_to_read_ask_to_start_again(
    client: FlaskClient, so_far: str
) -> None:
    status, html = post_gate(client, so_far, age="40")
    assert status == 422
    assert "earlier answers could not be read" in html
