"""Cross-site request forgery: every state-changing request must come from this site's pages.

Forms carry a random token kept in the person's own session cookie (signed, HttpOnly), so
another site cannot know it; a POST without the matching token is refused. A small helper
rather than Flask-WTF: the pages build their forms from the library's questions, not from
WTForms, and the blueprint must protect its own routes without switching on protection
for the rest of a clinic's site. The JSON API has no forms: it takes only
`application/json` (which a cross-site form cannot send without the browser asking first)
and refuses a request whose `Origin` is another site's.
"""

from __future__ import annotations

import hmac
import secrets

from flask import jsonify, render_template, request, session
from werkzeug.wrappers import Response

TOKEN_FIELD = "csrf_token"
SESSION_KEY = "csrf"
JSON_TYPE = "application/json"


def form_token() -> str:
    """This session's token for the forms on the page (made on first use)."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_hex(32)  # hex: no word in it a text check could trip on
        session[SESSION_KEY] = token
    return token


def form_token_matches() -> bool:
    """Whether the posted form carries this session's token."""
    kept = session.get(SESSION_KEY)
    given = request.form.get(TOKEN_FIELD, "")
    return isinstance(kept, str) and hmac.compare_digest(kept.encode(), given.encode())


def same_origin() -> bool:
    """No `Origin` (a program, not a browser page), or this site's own."""
    origin = request.headers.get("Origin")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    return origin is None or origin == request.host_url.rstrip("/")


def refused_form(back_to: str) -> tuple[str, int]:
    """A form whose token is missing or out of date (cookie gone, or another site's form)."""
    return render_template("facesym/form_refused.html", back_to=back_to), 403


def refused_json(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def json_refusal() -> Response | None:
    """Why a JSON API request is refused, or None to go on."""
    if not same_origin():
        return refused_json(403, "requests from another site are refused")
    if request.mimetype != JSON_TYPE:
        return refused_json(415, f"send the body as JSON, with Content-Type: {JSON_TYPE}")
    return None
