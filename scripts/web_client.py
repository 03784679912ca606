"""A plain HTTP client for the facesym web app: cookies, the forms' token, one page at a time.

Used by `web_smoke.py` and `web_throughput.py` (not tests): standard library only, so the
scripts run against any `facesym serve`, including one in CI, with nothing else installed.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

TIMEOUT = 15.0
"""Seconds any one request may take."""


@dataclass
class Page:
    """What the scripts read from a page: its kind, and its form's block, token and questions."""

    kind: str = ""
    block: str = ""
    token: str = ""
    questions: list[tuple[str, str]] = field(default_factory=list)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "main":
            self.page.kind = found.get("data-page") or ""
        elif tag == "input" and found.get("type") == "hidden":
            if found.get("name") == "block":
                self.page.block = found.get("value") or ""
            elif found.get("name") == "csrf_token" and not self.page.token:
                self.page.token = found.get("value") or ""
        elif tag == "fieldset" and "data-field" in found and "hidden" not in found:
            self.page.questions.append((found["data-field"] or "", found.get("data-kind") or ""))


def read_page(html: str) -> Page:
    reader = _PageReader()
    reader.feed(html)
    return reader.page


def form_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Browser:
    """One visitor: keeps the cookies the site sets and follows its redirects."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def _connection(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.base_url)
        return http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=TIMEOUT
        )

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = self._connection()
        try:
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, str]:
        """GET a page, following redirects within the site."""
        for _ in range(10):
            status, headers, text = self.request("GET", path)
            if status not in (302, 303):
                return status, text
            path = headers["location"]
        raise RuntimeError(f"too many redirects from {path}")

    def post_form(self, path: str, form: dict[str, object]) -> tuple[int, str]:
        """POST a form; the site must answer 303, and the page it leads to is returned."""
        body = urlencode(form, doseq=True)
        status, headers, _ = self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 303:
            raise AssertionError(f"POST {path} answered {status}, expected 303")
        return self.get(headers["location"])

    def post_json(self, path: str, body: object) -> tuple[int, object]:
        status, _, text = self.request(
            "POST", path, json.dumps(body), {"Content-Type": "application/json"}
        )
        return status, json.loads(text)


def block_form(page: Page, answers: dict[str, object]) -> dict[str, object]:
    """The form a browser sends for this page: each shown question's answer, if given."""
    form: dict[str, object] = {"block": page.block, "csrf_token": page.token, "shown": []}
    shown: list[str] = []
    for name, kind in page.questions:
        shown.append(name)
        if name in answers:
            value = answers[name]
            form[name] = (
                [form_value(v) for v in value]
                if kind == "multi" and isinstance(value, list)
                else form_value(value)
            )
    form["shown"] = shown
    return form


def answer_all(browser: Browser, answers: dict[str, object], most_pages: int = 30) -> Page:
    """Answer page after page as a browser without scripts would; return the last page."""
    _, html = browser.get("/")
    page = read_page(html)
    for _ in range(most_pages):
        if page.kind != "questionnaire":
            return page
        _, html = browser.post_form("/questionnaire", block_form(page, answers))
        page = read_page(html)
    raise AssertionError(f"the questionnaire did not end within {most_pages} pages")


def wait_until_answering(base_url: str, within: float) -> None:
    """Poll the site until it answers a request, or fail after `within` seconds."""
    deadline = time.monotonic() + within
    browser = Browser(base_url)
    while True:
        try:
            browser.request("GET", "/api/questions")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
