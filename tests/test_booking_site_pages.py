"""Issue 13 in a real browser: the booking site in Chromium on a desktop and a 390 px phone,
with JavaScript on and off.

Every page met on the way is checked by `look`: axe-core reports no serious or critical
violation, the page does not scroll sideways, tap targets are at least 44 px high; and a
screenshot goes to artifacts/screenshots/. Without Chromium or axe-core the tests skip
locally and fail in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import icalendar
import pypdf
import pytest

from recommender import Recommender
from recommender.programme.ics import week_start
from recommender.web import create_app

from .booking_site.audit import Auditor
from .booking_site.browser import (
    Mode,
    Visit,
    answer_visible_questions,
    axe,
    browser,
    current_page,
    navigate,
    visiting,
)
from .booking_site.support import live_server
from .conftest import load_example

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow
__all__ = ["axe", "browser"]  # fixtures, used by name


MODES = [
    Mode("desktop-js", 1280, 900, True),
    Mode("desktop-nojs", 1280, 900, False),
    Mode("phone-js", 390, 844, True),
    Mode("phone-nojs", 390, 844, False),
]


@pytest.fixture(scope="module")
def base_url(recommender: Recommender) -> Iterator[str]:
    with live_server(create_app(recommender=recommender)) as url:
        yield url


@pytest.fixture(params=MODES, ids=[mode.name for mode in MODES])
def visit(
    request: pytest.FixtureRequest, browser: Browser, axe: str, base_url: str
) -> Iterator[Visit]:
    with visiting(browser, axe, base_url, request.param) as opened:
        yield opened


def assert_every_exercise_is_drawn(
    page: Page, recommender: Recommender, answers: dict[str, Any]
) -> None:
    """Each exercise shown has its drawing, inline, named by its text alternative, drawn
    large enough to see, with its steps; the side mark's caption is there when it applies."""
    view = recommender.for_client(recommender.recommend(answers))
    programme = view.exercise_programme
    assert programme is not None
    items = page.locator("#programme li.exercise")
    assert items.count() == len(programme.exercises)
    for index, exercise in enumerate(programme.exercises):
        item = items.nth(index)
        drawing = item.locator("figure.drawing svg[role=img]")
        assert drawing.count() == 1, exercise.name
        assert drawing.get_attribute("aria-label") == exercise.illustration.text
        box = drawing.bounding_box()
        assert box is not None and box["width"] >= 100 and box["height"] >= 60, exercise.name
        assert item.locator("ol.steps li").count() == len(exercise.steps)
        assert item.locator("h4").inner_text().startswith(f"{exercise.number}. {exercise.name}")
    if programme.illustration_note:
        assert programme.illustration_note in page.inner_text("#programme")


def test_a_programme_from_first_part_to_booking_and_back(
    visit: Visit, recommender: Recommender, tmp_path: Path
) -> None:
    page = visit.page
    answers = load_example("m1-weak-side-subtle")
    page.goto(visit.base_url)
    part = 0
    while current_page(page) == "questionnaire":
        part += 1
        assert part < 20
        visit.look(f"part-{part}")
        if part > 1:
            assert page.locator("a.back-link").is_visible(), "each later part has Back"
        answer_visible_questions(page, answers)
        navigate(page, lambda: page.click("button.continue"))
        assert page.locator(".field-error").count() == 0

    assert current_page(page) == "check"
    visit.look("check-answers")
    rows = page.locator(".answer-row")
    assert rows.count() == len(answers)
    assert rows.first.locator(".change a").is_visible()
    navigate(page, lambda: page.click("a.see-result"))

    assert current_page(page) == "result"
    assert page.locator("#programme").is_visible()
    assert_every_exercise_is_drawn(page, recommender, answers)
    visit.look("result")
    if visit.mode.width < 600:
        display = page.eval_on_selector("table.schedule td", "td => getComputedStyle(td).display")
        assert display == "block", "the schedule stacks on a phone"

    # Browser Back from the result is the check page, and Forward the same result again.
    page.go_back()
    assert current_page(page) == "check"
    page.go_forward()
    assert current_page(page) == "result" and page.locator("#programme").is_visible()

    check_downloads(page, recommender, answers, tmp_path)
    check_print(visit)

    navigate(page, lambda: page.locator("button.book").first.click())
    assert current_page(page) == "book"
    visit.look("booking")
    page.go_back()
    assert current_page(page) == "result", "Back from booking shows the result again"
    assert page.locator("#programme").is_visible()
    assert page.locator("table.schedule tbody tr").count() > 0


def check_downloads(
    page: Page, recommender: Recommender, answers: dict[str, object], folder: Path
) -> None:
    """The result page's two files, read back: the PDF text and the calendar's first week."""
    with page.expect_download() as pdf_download:
        page.click("a.download-pdf")
    pdf_path = folder / "programme.pdf"
    pdf_download.value.save_as(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf_path).pages).split())
    programme = recommender.for_client(recommender.recommend(answers)).exercise_programme
    assert programme is not None
    assert "Your facial exercise programme" in text
    assert all(" ".join(e.name.split()) in text for e in programme.exercises)

    page.fill("#input-start", "2027-01-04")
    with page.expect_download() as ics_download:
        page.click("button.download-ics")
    ics_path = folder / "programme.ics"
    ics_download.value.save_as(ics_path)
    events = icalendar.Calendar.from_ical(ics_path.read_bytes()).walk("VEVENT")
    assert len(events) == len(programme.schedule)
    starts = {event.decoded("dtstart") for event in events}
    assert starts == {week_start(date(2027, 1, 4), p.first_week) for p in programme.schedule}


def check_print(visit: Visit) -> None:
    """Printed, the result is the programme without navigation, buttons or forms."""
    page = visit.page
    page.emulate_media(media="print")
    try:
        for hidden in ("form", ".button", "a.back-link", ".keep-plan", ".site-footer"):
            shown = [e for e in page.locator(hidden).all() if e.is_visible()]
            assert shown == [], f"{hidden} is printed"
        assert page.locator("#programme").is_visible()
        assert page.locator("table.schedule").is_visible()
        page.screenshot(path=str(_shot(visit, "result-print")), full_page=True)
    finally:
        page.emulate_media(media="screen")


def _shot(visit: Visit, name: str) -> Path:
    from .booking_site.support import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{visit.mode.name}-{name}.png"


def test_one_stopping_answer_ends_the_questionnaire(visit: Visit, recommender: Recommender) -> None:
    """Only the stroke question answered, eleven safety questions left blank: with scripts
    the page goes to the message at once, without them on Continue."""
    page = visit.page
    expected = recommender.recommend({"age": 67, "stroke_signs": "yes"})
    page.goto(visit.base_url)
    if visit.mode.scripts:
        navigate(page, lambda: page.click('#q-stroke_signs input[value="yes"]'))
    else:
        page.check('#q-stroke_signs input[value="yes"]')
        navigate(page, lambda: page.click("button.continue"))
    assert current_page(page) == "stop"
    alert = page.locator("[role=alert]")
    assert alert.locator("h1").inner_text() == expected.cards[0].summary
    call = alert.locator('a[href="tel:999"]').first
    assert call.is_visible() and call.inner_text() == "999"
    assert page.locator("form, button, #programme, ol.cards").count() == 0
    links = page.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert all(href.startswith("tel:") or href == "#main" for href in links), links
    visit.look("stop")


def test_an_error_summary_links_to_each_field(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base_url)
    page.fill("#input-age", "150")
    page.check('#q-stroke_signs input[value="no"]')
    navigate(page, lambda: page.click("button.continue"))
    assert current_page(page) == "questionnaire"
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    links = summary.locator("a[data-error-link]")
    errors = page.locator(".field-error")
    assert links.count() == errors.count() > 1
    for link in links.all():
        target = (link.get_attribute("href") or "").removeprefix("#")
        assert page.locator(f"#{target}").is_visible()
        field = link.get_attribute("data-error-link")
        assert page.locator(f"#q-{field} .field-error").is_visible()
    assert "0 to 120" in page.inner_text("#q-age .field-error")
    visit.look("errors")
    links.first.click()
    assert page.evaluate("() => location.hash") == "#input-age"
    if visit.mode.scripts:
        assert page.evaluate("() => document.activeElement.id") == "input-age"


def test_keyboard_skip_link_and_visible_focus(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 0, "the skip link shows on focus"
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style[0] != "none" and style[1] >= 3
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    page.keyboard.press("Tab")  # from the top of the main content: the first answer
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.id, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] == "input-age" and ring[1] != "none" and ring[2] >= 3
    screenshot_name = "focus-ring"
    page.screenshot(path=str(_shot(visit, screenshot_name)))


def test_a_result_without_a_programme_offers_no_files(visit: Visit) -> None:
    page = visit.page
    answers = load_example("s1-skeletal-bite")
    page.goto(visit.base_url)
    while current_page(page) == "questionnaire":
        answer_visible_questions(page, answers)
        navigate(page, lambda: page.click("button.continue"))
    navigate(page, lambda: page.click("a.see-result"))
    assert current_page(page) == "result"
    assert page.locator("#programme, .keep-plan").count() == 0
    visit.look("result-no-programme")
    page.goto(f"{visit.base_url}/result/programme.pdf")
    assert current_page(page) == "no-programme"
    visit.look("no-programme")


def test_the_audit_finds_a_serious_problem_when_there_is_one(
    browser: Browser, axe: str, base_url: str
) -> None:
    """The axe check can fail: a page with an unlabelled field and an image without
    alternative text is reported, so a clean report on the site's pages means something."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    auditor = Auditor(browser, base_url, axe)
    try:
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main>'
            '<img src="/static/site.css"><input type="text"></main></body></html>'
        )
        found = {problem["id"] for problem in auditor.serious_problems(page)}
        assert {"image-alt", "label"} <= found
    finally:
        auditor.close()
        context.close()
