"""Consent and the clinician's pages in Chromium (issue 14): a person reads the consent page,
says yes and sees their reference on the result and the booking page, or says no and nothing
is stored; a clinician signs in, finds that consult, reads it, prints it and exports it; and
a form on another site cannot post to this one. Each page passes `look` (axe-core, no sideways
scrolling, 44 px targets) and is screenshot; desktop with scripts, phone without."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask

from recommender import Recommender
from recommender.records import ConsultStore, User, new_key
from recommender.web import create_app

from .booking_site.browser import (
    Mode,
    Visit,
    answer_visible_questions,
    axe,
    browser,
    current_page,
    look,
    navigate,
    visiting,
)
from .booking_site.support import live_server
from .conftest import load_example
from .records_support import PASSWORD, Clock, fresh_database, open_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow
__all__ = ["axe", "browser"]  # fixtures, used by name

PERSON = "m1-weak-side-subtle"


MODES = [Mode("desktop-js", 1280, 900, True), Mode("phone-nojs", 390, 844, False)]


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, recommender: Recommender
) -> Iterator[ConsultStore]:
    url = fresh_database("sqlite", tmp_path_factory.mktemp("records"))
    with open_store(url, new_key(), recommender, Clock()) as opened:
        yield opened


@pytest.fixture(scope="module")
def admin(store: ConsultStore) -> User:
    return store.add_user("admin.sam", PASSWORD, "admin")


@pytest.fixture(scope="module")
def clinician(store: ConsultStore) -> User:
    return store.add_user("nurse.jo", PASSWORD, "clinician")


@pytest.fixture(scope="module")
def base_url(recommender: Recommender, store: ConsultStore) -> Iterator[str]:
    with live_server(create_app(recommender=recommender, records=store)) as url:
        yield url


@pytest.fixture(params=MODES, ids=[mode.name for mode in MODES])
def visit(
    request: pytest.FixtureRequest, browser: Browser, axe: str, base_url: str
) -> Iterator[Visit]:
    with visiting(browser, axe, base_url, request.param, prefix="consent-") as opened:
        yield opened


def to_consent_page(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base_url)
    for _ in range(20):
        if current_page(page) != "questionnaire":
            break
        answer_visible_questions(page, load_example(PERSON))
        navigate(page, lambda: page.click("button.continue"))
    assert current_page(page) == "check"
    navigate(page, lambda: page.click("a.see-result"))
    assert current_page(page) == "consent"


def test_yes_keeps_the_answers_and_shows_the_reference(
    visit: Visit, store: ConsultStore, admin: User
) -> None:
    page = visit.page
    before = {line.reference for line in store.list_consults(admin)}
    to_consent_page(visit)
    text = page.inner_text("main")
    assert "What we keep" in text and "How long" in text and "Who sees them" in text
    visit.look("consent")
    navigate(page, lambda: page.click("button.consent-yes"))
    assert current_page(page) == "result"
    [new] = [line for line in store.list_consults(admin) if line.reference not in before]
    assert page.inner_text(".reference-code") == new.shown_as
    assert new.reference not in page.url and new.shown_as not in page.url
    visit.look("result-with-reference")
    navigate(page, lambda: page.locator("button.book").first.click())
    assert current_page(page) == "book"
    assert page.inner_text(".reference-code") == new.shown_as
    assert new.shown_as not in page.url
    visit.look("booking-with-reference")


def test_no_shows_the_result_and_keeps_nothing(
    visit: Visit, store: ConsultStore, admin: User
) -> None:
    page = visit.page
    before = len(store.list_consults(admin))
    to_consent_page(visit)
    navigate(page, lambda: page.click("button.consent-no"))
    assert current_page(page) == "result"
    assert page.locator(".reference").count() == 0
    assert len(store.list_consults(admin)) == before
    visit.look("result-declined")


def test_a_clinician_reads_and_exports_the_consult_the_client_agreed_to(
    visit: Visit, store: ConsultStore, admin: User, clinician: User, tmp_path: Path
) -> None:
    page = visit.page
    to_consent_page(visit)
    navigate(page, lambda: page.click("button.consent-yes"))
    reference = page.inner_text(".reference-code")

    clinic = page.context.browser
    assert clinic is not None
    context = clinic.new_context(
        viewport=page.viewport_size, java_script_enabled=visit.mode.scripts, accept_downloads=True
    )
    try:
        staff = context.new_page()
        staff.goto(f"{visit.base_url}/clinic/")
        assert current_page(staff) == "clinic-login"
        look(staff, visit.auditor, f"clinic-{visit.mode.name}-login")
        staff.fill("#input-name", clinician.name)
        staff.fill("#input-password", PASSWORD)
        navigate(staff, lambda: staff.click("button.sign-in"))
        assert current_page(staff) == "clinic-consults"
        look(staff, visit.auditor, f"clinic-{visit.mode.name}-consults")
        navigate(staff, lambda: staff.click(f'tr[data-reference="{reference}"] a'))
        assert current_page(staff) == "clinic-consult"
        assert staff.locator("main").get_attribute("data-reference") == reference
        assert staff.locator("ol.rules li").count() > 0
        look(staff, visit.auditor, f"clinic-{visit.mode.name}-consult")
        staff.emulate_media(media="print")
        assert not staff.locator(".clinic-nav").is_visible(), "printing leaves the menu off"
        assert staff.locator("ol.rules").is_visible()
        staff.emulate_media(media="screen")
        with staff.expect_download() as download:
            staff.click("text=Export as JSON")
        saved = tmp_path / "consult.json"
        download.value.save_as(saved)
        assert json.loads(saved.read_text("utf-8"))["reference"] == reference
    finally:
        context.close()
    views = [e.user for e in store.access_log(admin, reference) if e.action == "view"]
    assert views == [clinician.name, clinician.name]  # the page, then the export


ATTACK = """<!doctype html><html lang="en"><title>Another site</title><main>
<form method="post" action="{target}/start-again"><button id="go">Win a prize</button></form>
</main></html>"""


def test_a_form_on_another_site_cannot_post_here(visit: Visit) -> None:
    page = visit.page
    to_consent_page(visit)  # the person has answers in progress on the clinic's site
    other = Flask("another_site")
    other.add_url_rule("/", "attack", lambda: ATTACK.format(target=visit.base_url))
    with live_server(other) as elsewhere:
        page.goto(elsewhere.replace("127.0.0.1", "localhost"))  # another origin
        navigate(page, lambda: page.click("#go"))
        assert current_page(page) == "form-refused"
        visit.look("form-refused")
    page.goto(f"{visit.base_url}/consent")
    assert current_page(page) == "consent", "the answers in progress were not cleared"
