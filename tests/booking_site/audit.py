"""axe-core in the browser tests: every page checked for serious or critical problems.

axe-core is not in this repository: `.ci/run` installs it from the npm registry into
build/axe-core (`npm install --prefix build/axe-core axe-core@4.10`), or `$FACESYM_AXE`
names its `axe.min.js`. Without it the tests skip locally and fail in CI (see `unavailable`).

A page with scripts off cannot run axe (its timers never fire), so every page is audited
the same way: its HTML as the person's browser has it now is loaded into a separate
scripts-on page of the same size, on the same site, and axe runs there. The page under test
is never changed, and its Content-Security-Policy stays in force.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .support import ROOT, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

AXE_ENV = "FACESYM_AXE"
AXE_DEFAULT = ROOT / "build" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
}"""

AXE_LOADED = "() => typeof axe === 'object' && typeof axe.run === 'function'"


def axe_source() -> str:
    """The text of axe.min.js; skip (fail in CI) when it has not been installed."""
    named = os.environ.get(AXE_ENV)
    path = Path(named) if named else AXE_DEFAULT
    if not path.is_file():
        install = "npm install --prefix build/axe-core axe-core@4.10"
        unavailable(f"axe-core not found at {path}: {install}, or set {AXE_ENV}")
    return path.read_text(encoding="utf-8")


@dataclass
class Auditor:
    """A scripts-on page kept beside the page under test, for axe."""

    browser: Browser
    base_url: str
    source: str
    audited: list[str] = field(default_factory=list)
    _context: BrowserContext | None = None
    _page: Page | None = None

    def _open(self, viewport: ViewportSize) -> Page:
        if self._page is None:
            self._context = self.browser.new_context(
                viewport=viewport, locale="en-GB", java_script_enabled=True, bypass_csp=True
            )
            self._page = self._context.new_page()
            self._page.set_default_timeout(30_000)
            self._page.goto(f"{self.base_url}/api/questions")
        return self._page

    def serious_problems(self, page: Page) -> list[dict[str, Any]]:
        """axe's serious and critical violations on the page as it stands."""
        size = page.viewport_size or {"width": 1280, "height": 900}
        twin = self._open({"width": size["width"], "height": size["height"]})
        twin.set_content(page.content(), wait_until="load")
        # set_content rewrites the document but keeps its window (document.open no longer
        # makes a new global), so axe is injected once per twin, not once per audit.
        if not twin.evaluate(AXE_LOADED):
            twin.add_script_tag(content=self.source)
        found: list[dict[str, Any]] = twin.evaluate(RUN_AXE)
        self.audited.append(page.url)
        return [problem for problem in found if problem["impact"] in BLOCKING]

    def close(self) -> None:
        if self._context is not None:
            self._context.close()


def scroll_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    width: int = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return max(width, 0)
