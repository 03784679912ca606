"""End to end: a person fills in the example booking site in headless Chromium.

The browser is Debian's `chromium` (or any Chromium/Chrome on PATH, or `$FACESYM_CHROMIUM`),
driven by Playwright for Python through `executable_path`: Playwright's own browser download
is never used. Without a browser the tests skip with the reason, except under CI, where they
fail. Each test saves a screenshot of the page it ends on under artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from recommender import Recommendation, Recommender
from recommender.rulebase.yamlio import load_yaml
from recommender.views.client import NEXT_STEP_WORDS
from recommender.views.client_text import ClientTextChecker
from recommender.web import create_app
from recommender.web.safety import forbidden_text, is_adult

from .booking_site.audit import Auditor
from .booking_site.browser import (
    answer_visible_questions,
    axe,
    browser,
    current_page,
    look,
    navigate,
)
from .booking_site.support import live_server
from .conftest import load_example

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow
__all__ = ["axe", "browser"]  # fixtures, used by name


@pytest.fixture(scope="module")
def base_url(recommender: Recommender) -> Iterator[str]:
    with live_server(create_app(recommender=recommender)) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 900, "height": 900}, locale="en-GB")
    opened = context.new_page()
    script_errors: list[str] = []
    opened.on("pageerror", lambda error: script_errors.append(str(error)))
    opened.set_default_timeout(15_000)
    try:
        yield opened
        assert script_errors == [], f"script errors on the page: {script_errors}"
    finally:
        context.close()


@pytest.fixture
def auditor(browser: Browser, axe: str, base_url: str) -> Iterator[Auditor]:
    made = Auditor(browser, base_url, axe)
    try:
        yield made
    finally:
        made.close()


def fill_questionnaire(
    page: Page, base_url: str, answers: dict[str, Any], recommender: Recommender
) -> list[str]:
    """Go through the questionnaire block by block, then confirm on the check page; return
    the block titles seen.

    Every block's text is checked as a client reads it (see `assert_client_page`)."""
    page.goto(base_url)
    titles: list[str] = []
    while current_page(page) == "questionnaire":
        assert_client_page(page, recommender)
        titles.append(page.inner_text("h1"))
        assert len(titles) < 20, f"the questionnaire does not move on: {titles}"
        answer_visible_questions(page, answers)
        navigate(page, lambda: page.click("button.continue"))
        errors = page.locator(".field-error, .error-summary").all_inner_texts()
        assert errors == [], f"the page refused valid answers: {errors}"
    if current_page(page) == "check":
        assert_client_page(page, recommender)
        navigate(page, lambda: page.click("a.see-result"))
    return titles


_CHECKERS: dict[int, ClientTextChecker] = {}

OTHER_TEXT = """() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll("fieldset.question").forEach((fieldset) => fieldset.remove());
    return copy.textContent;
}"""


def assert_client_page(
    page: Page, recommender: Recommender, shown: Recommendation | None = None
) -> None:
    """What a client can read on this page is clean, and nothing only a clinician may see is
    anywhere in it: the library's scanner (medicine and product names, promises, internal
    codes such as option values, service codes, category codes and rule ids) on the visible
    text, each question with its own field (whose options may name a person's own tablets);
    for a result, none of its cautions, caution texts, rule ids or rationales in the HTML."""
    checker = _CHECKERS.setdefault(id(recommender), ClientTextChecker(recommender.rulebase))
    problems = []
    for fieldset in page.locator("fieldset.question:visible").all():
        field = fieldset.get_attribute("data-field") or ""
        problems += [f"{field}: {p}" for p in checker.problems(fieldset.inner_text(), field)]
    problems += checker.problems(page.evaluate(OTHER_TEXT))
    assert problems == [], f"{current_page(page)} page: {problems}"
    html = page.content()
    if current_page(page) != "questionnaire":
        assert forbidden_text(html) == [], "a medicine, brand or price is on the page"
    text = page.inner_text("body").lower()
    for pressure in ("limited time", "discount", "offer ends", "book now", "today only", "£"):
        assert pressure not in text
    if shown is not None:
        rulebase = recommender.rulebase
        secrets = [
            *shown.cautions,
            *(rulebase.cautions[c].text for c in shown.cautions if c in rulebase.cautions),
            *(firing.rule for firing in shown.explanation),
            *(firing.rationale for firing in shown.explanation),
        ]
        assert [secret for secret in secrets if secret in html] == []
        assert "toxin" not in html.lower() and "category" not in text


def assert_cards_in_order(page: Page, recommendation: Recommendation) -> None:
    shown = page.locator("ol.cards > li.card h2").all_inner_texts()
    assert shown == [card.summary for card in recommendation.cards]


def next_step(page: Page) -> str:
    return page.inner_text("p.next-step strong")


def booking_buttons(page: Page) -> list[str]:
    return [
        button.get_attribute("data-service") or "" for button in page.locator("button.book").all()
    ]


def expected_buttons(
    recommender: Recommender, recommendation: Recommendation, age: int
) -> list[str]:
    services = recommender.rulebase.services
    codes = [card.booking for card in recommendation.cards if card.booking in services]
    return [code for code in codes if code and (not services[code].injectables or is_adult(age))]


def test_exercise_programme_person_sees_cards_programme_and_schedule(
    page: Page, base_url: str, recommender: Recommender, auditor: Auditor
) -> None:
    answers = load_example("m1-weak-side-subtle")
    expected = recommender.recommend(answers)
    assert expected.pathway == "exercise_programme"
    assert expected.exercise_programme is not None

    titles = fill_questionnaire(page, base_url, answers, recommender)

    asked_blocks = {q.block_title for q in recommender.questions() if q.field in answers}
    assert set(titles) == asked_blocks and len(titles) == len(asked_blocks)
    assert current_page(page) == "result"
    assert next_step(page) == NEXT_STEP_WORDS["exercise_programme"]
    assert_cards_in_order(page, expected)
    assert booking_buttons(page) == expected_buttons(recommender, expected, answers["age"])
    assert booking_buttons(page), "an exercise-programme result offers a bookable step"
    for code in booking_buttons(page):
        label = recommender.rulebase.services[code].label
        assert label in page.inner_text(f'button.book[data-service="{code}"]')

    programme = expected.exercise_programme
    section = page.locator("#programme")
    assert section.is_visible()
    names = section.locator(".exercise h4").all_inner_texts()
    assert [name.split(" (")[0] for name in names] == [
        f"{e.number}. {e.name}" for e in programme.exercises
    ]
    rows = section.locator("table.schedule tbody tr")
    assert rows.count() == len(programme.schedule)
    assert [row.split("\t")[0].split(" check-in")[0] for row in rows.all_inner_texts()] == [
        phase.phase for phase in programme.schedule
    ]
    assert section.locator("tr.review").count() == sum(p.review for p in programme.schedule)
    assert section.locator("ul.stop-if li").count() == len(programme.stop_if)
    assert programme.side_emphasis in section.inner_text()
    assert_client_page(page, recommender, expected)
    look(page, auditor, "exercise-programme-result")

    code = booking_buttons(page)[0]
    navigate(page, lambda: page.click(f'button.book[data-service="{code}"]'))
    assert current_page(page) == "book"
    assert page.inner_text("h1") == recommender.rulebase.services[code].label
    assert code not in page.inner_text("body")
    assert_client_page(page, recommender, expected)
    look(page, auditor, "booking-step")


def test_stroke_signs_stop_the_questionnaire_at_once(
    page: Page, base_url: str, recommender: Recommender, auditor: Auditor
) -> None:
    expected = recommender.recommend({"age": 67, "stroke_signs": "yes"})
    assert expected.urgency == "emergency"

    page.goto(base_url)
    assert current_page(page) == "questionnaire"
    page.fill("#input-age", "67")
    # Choosing the answer is enough: the page goes to the warning without "Continue".
    navigate(page, lambda: page.click('#q-stroke_signs input[value="yes"]'))

    assert current_page(page) == "stop"
    assert page.locator("main").get_attribute("data-urgency") is None  # no codes on pages
    alert = page.locator("[role=alert]")
    assert alert.is_visible()
    assert alert.locator("h1").inner_text() == expected.cards[0].summary
    assert alert.locator("article").count() == len(expected.cards)
    assert "999" in alert.inner_text()
    assert "non-urgent advice" in page.inner_text("main")
    # Nothing to book, nothing to sell, and no more questions.
    assert page.locator("form, button, #programme, ol.cards").count() == 0
    hrefs = page.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert all(href.startswith("tel:") or href == "#main" for href in hrefs), hrefs
    assert_client_page(page, recommender, expected)
    look(page, auditor, "stroke-signs-stop")


def test_seventeen_year_old_with_overactive_muscle_gets_no_injectables_booking(
    page: Page, base_url: str, recommender: Recommender, auditor: Auditor
) -> None:
    answers = load_example("m2-overactive-within-weeks") | {"age": 17}
    expected = recommender.recommend(answers)
    assert expected.injectable_options == []

    fill_questionnaire(page, base_url, answers, recommender)

    assert current_page(page) == "result"
    assert next_step(page) == NEXT_STEP_WORDS[expected.pathway]
    assert_cards_in_order(page, expected)
    assert_client_page(page, recommender, expected)
    services = recommender.rulebase.services
    injectables = {code for code, service in services.items() if service.injectables}
    assert injectables, "the rule base has an injectables service to withhold"
    shown = booking_buttons(page)
    assert shown == expected_buttons(recommender, expected, 17)
    assert not injectables & set(shown)
    html = page.content()
    for code in injectables:
        assert code not in html
        assert services[code].label not in page.inner_text("body")
    assert_client_page(page, recommender, expected)
    look(page, auditor, "under-18-overactive-result")


def test_a_bad_value_is_refused_beside_its_question(
    page: Page, base_url: str, recommender: Recommender, auditor: Auditor
) -> None:
    answers = load_example("m1-weak-side-subtle") | {"age": 150}
    page.goto(base_url)
    answer_visible_questions(page, answers)

    # The browser does not block the form (novalidate): the server refuses the value
    # through the library.
    navigate(page, lambda: page.click("button.continue"))

    assert current_page(page) == "questionnaire"
    assert page.locator("main").get_attribute("data-block") == "gate"
    errors = page.locator(".field-error")
    assert errors.count() == 1
    beside = page.locator("#q-age .field-error")
    assert beside.is_visible()
    assert "150" in beside.inner_text() and "0 to 120" in beside.inner_text()
    assert "error-age" in (page.get_attribute("#q-age", "aria-describedby") or "")
    # The other answers are kept, and nothing was recommended.
    assert page.input_value("#input-age") == "150"
    assert page.is_checked('#q-stroke_signs input[value="no"]')
    assert page.locator("ol.cards, button.book").count() == 0
    assert page.locator('.error-summary a[href="#input-age"]').is_visible()
    assert_client_page(page, recommender)
    look(page, auditor, "bad-value-error")


def test_a_follow_up_question_appears_and_goes_with_its_answer(
    page: Page, base_url: str, recommender: Recommender
) -> None:
    answers = load_example("m1-weak-side-subtle") | {
        "first_noticed": "after_event",
        "event": "weight_change",
    }
    page.goto(base_url)
    while page.locator("main").get_attribute("data-block") != "course":
        answer_visible_questions(page, answers)
        navigate(page, lambda: page.click("button.continue"))

    follow_up = page.locator("#q-event")
    assert follow_up.is_hidden()
    page.check('#q-first_noticed input[value="after_event"]')
    assert follow_up.is_visible()
    page.check('#q-first_noticed input[value="teens"]')
    assert follow_up.is_hidden()
    page.check('#q-first_noticed input[value="after_event"]')
    answer_visible_questions(page, answers)
    assert page.is_checked('#q-event input[value="weight_change"]')
    navigate(page, lambda: page.click("button.continue"))
    assert page.locator(".field-error").count() == 0

    while current_page(page) == "questionnaire":
        answer_visible_questions(page, answers)
        navigate(page, lambda: page.click("button.continue"))
    assert current_page(page) == "check"
    assert page.locator('.answer-row[data-block="course"]').count() == 4, "event is listed"
    navigate(page, lambda: page.click("a.see-result"))
    expected = recommender.recommend(answers)
    assert current_page(page) == "result"
    assert next_step(page) == NEXT_STEP_WORDS[expected.pathway]
    assert_cards_in_order(page, expected)
    assert_client_page(page, recommender, expected)


def test_a_result_showing_a_code_is_withheld(
    page: Page, rules_copy: Path, browser: Browser, axe: str
) -> None:
    """A clinic's rule base whose booking cards spell their service code: the loader accepts
    it (codes are not a wording rule), the site's own check on the client view does not."""
    manifest = load_yaml((rules_copy / "rulebase.yaml").read_text(encoding="utf-8"))
    path = rules_copy / manifest["catalogue"]["cards"]
    data = load_yaml(path.read_text(encoding="utf-8"))
    for card in data["cards"].values():
        if card.get("booking"):
            card["detail"] += f" Quote {card['booking']} when you call."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with Recommender.from_path(rules_copy) as broken, live_server(create_app(broken)) as url:
        fill_questionnaire(page, url, load_example("m1-weak-side-subtle"), broken)
        assert current_page(page) == "withheld"
        assert "Quote" not in page.content()
        assert page.locator('a[href="tel:999"]').is_visible()
        assert_client_page(page, broken)
        auditor = Auditor(browser, url, axe)
        try:
            look(page, auditor, "withheld-result")
        finally:
            auditor.close()
