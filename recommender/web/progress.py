"""The person's answers between pages, kept in Flask's signed session cookie.

Every page POST redirects to a GET (so Back and Reload never ask to resend a form), and the
answers have to survive that redirect somewhere. They never go in a URL, and this example
has no database (storing answers needs consent, a later step), so they live in the session
cookie: signed with the app's secret key (a visitor cannot change them unnoticed), HttpOnly
(no script reads them), SameSite=Lax (no other site's form sends them), and gone when the
browser closes or the person starts again. The library still validates them on every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import session

ANSWERS = "answers"
DRAFT = "draft"
BOOKING = "booking"
CONSENT = "consent"
"""The person's choice about keeping these answers: "given" or "declined"."""
REFERENCE = "reference"
"""The consult record's reference, once the answers are kept."""


@dataclass(frozen=True)
class Draft:
    """What a refused page showed: the values as given and the problems, for one GET."""

    block: str
    values: dict[str, Any] = field(default_factory=dict)
    beside: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)


def answers() -> dict[str, Any]:
    """The answers accepted so far (a copy: change it, then `save` it)."""
    kept = session.get(ANSWERS)
    return dict(kept) if isinstance(kept, dict) else {}


def save(accepted: dict[str, Any]) -> None:
    """Keep the answers; a consent choice (and any reference) was about the answers before
    this change, so it is asked again."""
    session[ANSWERS] = accepted
    session.pop(DRAFT, None)
    session.pop(CONSENT, None)
    session.pop(REFERENCE, None)


def consent_choice() -> str | None:
    choice = session.get(CONSENT)
    return choice if choice in ("given", "declined", "failed") else None


def choose_consent(choice: str, reference: str | None) -> None:
    session[CONSENT] = choice
    if reference is None:
        session.pop(REFERENCE, None)
    else:
        session[REFERENCE] = reference


def reference() -> str | None:
    kept = session.get(REFERENCE)
    return kept if isinstance(kept, str) else None


DRAFT_TEXT = 120
"""Longest refused value or message kept for the next page: a browser drops a cookie over
about 4 KB, and with it every answer, so a pasted essay is shown cut short instead."""


def _short(value: Any) -> Any:
    return value[:DRAFT_TEXT] if isinstance(value, str) else value


def keep_draft(draft: Draft) -> None:
    """Show these values and problems on the next GET of the draft's block."""
    session[DRAFT] = {
        "block": draft.block,
        "values": {name: _short(value) for name, value in draft.values.items()},
        "beside": {name: _short(text) for name, text in draft.beside.items()},
        "general": [_short(text) for text in draft.general],
    }


def take_draft(block: str) -> Draft:
    """The draft for this block, once (a later GET shows the page as saved)."""
    kept = session.pop(DRAFT, None)
    if not isinstance(kept, dict) or kept.get("block") != block:
        return Draft(block)
    return Draft(
        block=block,
        values=dict(kept.get("values") or {}),
        beside=dict(kept.get("beside") or {}),
        general=list(kept.get("general") or []),
    )


def choose_booking(code: str) -> None:
    session[BOOKING] = code


def chosen_booking() -> str:
    code = session.get(BOOKING)
    return code if isinstance(code, str) else ""


def forget() -> None:
    """Start again: nothing of the last person's answers is kept."""
    session.clear()
