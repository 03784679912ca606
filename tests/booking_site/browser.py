"""Shared browser fixtures and steps for the booking-site tests in Chromium.

Navigation waits use Playwright's `expect_navigation`, which needs no script in the page,
so the same steps drive the site with JavaScript on and off.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from recommender.web.layout import form_text

from .audit import Auditor, axe_source, scroll_overflow
from .support import BROWSER_FLAGS, SCREENSHOTS, find_chromium, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TAP_TARGETS = "label.option, button, a.button, a.back-link, .change a"
MIN_TARGET = 44
"""CSS pixels: the smallest height of anything a person taps (WCAG 2.5.5's 44 by 44)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if importlib.util.find_spec("playwright") is None:
        unavailable("Playwright for Python is not installed (pip install --group test)")
    executable = find_chromium()
    if executable is None:
        unavailable("no Chromium found: apt-get install chromium, or set FACESYM_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(BROWSER_FLAGS)
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@dataclass(frozen=True)
class Mode:
    """A person's browser: its window size and whether scripts run."""

    name: str
    width: int
    height: int
    scripts: bool


@dataclass
class Visit:
    """One person's browser in one mode, and the auditor beside it; screenshots are named
    `{prefix}{mode}-{name}`."""

    page: Page
    mode: Mode
    auditor: Auditor
    base_url: str
    prefix: str = ""

    def look(self, name: str) -> None:
        look(self.page, self.auditor, f"{self.prefix}{self.mode.name}-{name}")


@contextmanager
def visiting(
    browser: Browser, axe: str, base_url: str, mode: Mode, prefix: str = ""
) -> Iterator[Visit]:
    """A fresh browser context in `mode` (downloads accepted), failing the test on any
    script error in its pages, with an axe auditor; both closed afterwards."""
    context = browser.new_context(
        viewport={"width": mode.width, "height": mode.height},
        locale="en-GB",
        java_script_enabled=mode.scripts,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    auditor = Auditor(browser, base_url, axe)
    try:
        yield Visit(page, mode, auditor, base_url, prefix)
        assert script_errors == [], f"script errors on the page: {script_errors}"
    finally:
        auditor.close()
        context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def look(page: Page, auditor: Auditor, name: str) -> None:
    """What every page must pass: axe finds nothing serious or critical, the page does not
    scroll sideways, every tap target is large enough; then a screenshot."""
    problems = auditor.serious_problems(page)
    assert problems == [], f"{name}: axe found {problems}"
    assert scroll_overflow(page) == 0, f"{name}: the page scrolls sideways"
    small = small_targets(page)
    assert small == [], f"{name}: tap targets under {MIN_TARGET}px high: {small}"
    screenshot(page, name)


def small_targets(page: Page) -> list[str]:
    found: list[str] = page.eval_on_selector_all(
        TAP_TARGETS,
        """(elements, least) => elements
            .filter((e) => e.offsetParent !== null)
            .filter((e) => e.getBoundingClientRect().height < least)
            .map((e) => e.outerHTML.slice(0, 80))""",
        MIN_TARGET,
    )
    return found


def navigate(page: Page, action: Callable[[], None]) -> None:
    """Run `action` and wait until the page it leads to has loaded (after any redirect)."""
    with page.expect_navigation():
        action()
    page.wait_for_load_state()


def current_page(page: Page) -> str:
    return page.locator("main").get_attribute("data-page") or ""


def answer(page: Page, field: str, kind: str, value: Any) -> None:
    """Answer one question the way a person would: type a number, click options."""
    if kind == "integer":
        page.fill(f"#input-{field}", form_text(value))
        return
    values = value if isinstance(value, list) else [value]
    for item in values:
        page.check(f'#q-{field} input[value="{form_text(item)}"]')


def visible_questions(page: Page) -> list[tuple[str, str]]:
    """The field and kind of each question the page shows now, read in one round trip to the
    browser (a round trip per attribute cost seconds a questionnaire)."""
    found: list[list[str]] = page.locator("fieldset.question:visible").evaluate_all(
        "(sets) => sets.map((s) => [s.dataset.field || '', s.dataset.kind || ''])"
    )
    return [(field, kind) for field, kind in found]


def answer_visible_questions(page: Page, answers: dict[str, Any]) -> list[str]:
    """Answer every question the page shows, including follow-ups that appear on the way."""
    done: list[str] = []
    while True:
        waiting = [(field, kind) for field, kind in visible_questions(page) if field not in done]
        if not waiting:
            return done
        for field, kind in waiting:
            assert field in answers, f"the page asked {field!r}, which this person did not answer"
            answer(page, field, kind, answers[field])
            done.append(field)
