"""Fill in the example site's questionnaire over HTTP, as a browser without scripts would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient

from recommender.web.csrf import SESSION_KEY, TOKEN_FIELD
from recommender.web.layout import form_text


@dataclass
class PageForm:
    """What a questionnaire page asks: its block and visible questions."""

    page: str = ""
    block: str = ""
    questions: list[tuple[str, str]] = field(default_factory=list)
    """(field, kind) of each question shown (not hidden)."""
    hidden_questions: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    """`data-service` of each booking button."""
    errors: dict[str, str] = field(default_factory=dict)
    token: str = ""
    """The form's cross-site request forgery token (hidden field)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = PageForm()
        self._error_for: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "main":
            self.form.page = found.get("data-page") or ""
        elif tag == "input" and found.get("type") == "hidden":
            if found.get("name") == "block":
                self.form.block = found.get("value") or ""
            elif found.get("name") == TOKEN_FIELD:
                self.form.token = found.get("value") or ""
        elif tag == "fieldset" and "data-field" in found:
            name = found["data-field"] or ""
            if "hidden" in found:
                self.form.hidden_questions.append(name)
            else:
                self.form.questions.append((name, found.get("data-kind") or ""))
        elif tag == "button" and "data-service" in found:
            self.form.buttons.append(found["data-service"] or "")
        elif tag == "p" and "data-error-for" in found:
            self._error_for = found["data-error-for"]

    def handle_data(self, data: str) -> None:
        if self._error_for:
            self.form.errors[self._error_for] = data.strip()
            self._error_for = None


def read_page(html: str) -> PageForm:
    reader = _Reader()
    reader.feed(html)
    return reader.form


def block_form(page: PageForm, answers: dict[str, Any]) -> dict[str, Any]:
    """The form data a browser sends for this page: each shown question's answer, if any."""
    data: dict[str, Any] = {"block": page.block, "shown": [], TOKEN_FIELD: page.token}
    for name, kind in page.questions:
        data["shown"].append(name)
        if name not in answers:
            continue
        value = answers[name]
        if kind == "multi":
            data[name] = [form_text(item) for item in value]
        else:
            data[name] = form_text(value)
    return data


def session_token(client: FlaskClient, first_page: str = "/") -> str:
    """The token this client's session holds (a page is opened first if it has none yet),
    as a browser would have it in every form of this site."""
    with client.session_transaction() as session:
        token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        client.get(first_page)
        with client.session_transaction() as session:
            token = session.get(SESSION_KEY)
    assert isinstance(token, str), "the site's pages put a form token in the session"
    return token


def with_token(client: FlaskClient, data: dict[str, Any], first_page: str = "/") -> dict[str, Any]:
    """The form data with the session's token, unless the data already has one."""
    return data if TOKEN_FIELD in data else {**data, TOKEN_FIELD: session_token(client, first_page)}
