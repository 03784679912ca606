"""The web pages mounted as a blueprint in a clinic's own Flask site (issue 14): every page,
form target, redirect and static file lives under the clinic's prefix, and the clinic's own
pages stay its own."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from examples.booking_site.clinic_site import create_app as clinic_app
from recommender import Recommender
from recommender.views.client import NEXT_STEP_WORDS
from recommender.web import booking_blueprint

from .booking_site.forms import block_form, read_page, with_token
from .conftest import load_example

PREFIX = "/consult"


@pytest.fixture(scope="module")
def mounted(recommender: Recommender) -> Flask:
    app = Flask("a_clinic")
    app.config["SECRET_KEY"] = "a-clinic-test-key"
    app.add_url_rule("/", "home", lambda: "the clinic's own home page")
    app.register_blueprint(booking_blueprint(recommender), url_prefix=PREFIX)
    return app


def post_then_get(client: FlaskClient, path: str, data: dict[str, Any]) -> str:
    response = client.post(path, data=with_token(client, data, f"{PREFIX}/"))
    assert response.status_code == 303
    assert response.location.startswith(f"{PREFIX}/"), response.location
    return client.get(response.location).get_data(as_text=True)


def test_a_whole_questionnaire_under_the_prefix(mounted: Flask, recommender: Recommender) -> None:
    answers = load_example("m1-weak-side-subtle")
    client = mounted.test_client()
    html = client.get(f"{PREFIX}/").get_data(as_text=True)
    assert f'action="{PREFIX}/questionnaire"' in html
    assert f'src="{PREFIX}/static/questionnaire.js"' in html
    page = read_page(html)
    while page.page == "questionnaire":
        html = post_then_get(client, f"{PREFIX}/questionnaire", block_form(page, answers))
        page = read_page(html)
        assert page.errors == {}
    assert page.page == "check"
    result = client.get(f"{PREFIX}/result")
    assert result.status_code == 200
    pathway = recommender.recommend(answers).pathway
    assert f"<strong>{escape(NEXT_STEP_WORDS[pathway])}</strong>" in result.get_data(as_text=True)
    assert result.headers["Cache-Control"] == "no-store"


def test_the_clinics_own_pages_are_left_alone(mounted: Flask) -> None:
    client = mounted.test_client()
    home = client.get("/")
    assert home.get_data(as_text=True) == "the clinic's own home page"
    assert "Cache-Control" not in home.headers  # facesym's headers are on its pages only
    css = client.get(f"{PREFIX}/static/site.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    css.close()


def test_the_body_limit_holds_on_the_mounted_api(mounted: Flask) -> None:
    client = mounted.test_client()
    response = client.post(
        f"{PREFIX}/api/recommendation", data="x" * 70_000, content_type="application/json"
    )
    assert response.status_code == 413


def test_the_example_clinic_site_mounts_the_pages() -> None:
    client = clinic_app().test_client()
    assert 'href="/consult/"' in client.get("/").get_data(as_text=True)
    started = client.get("/consult/")
    assert started.status_code == 200 and read_page(started.get_data(as_text=True)).block
