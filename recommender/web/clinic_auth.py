"""Clinic sign-in for the /clinic/ pages: argon2-checked accounts, a session that expires,
every page refused to anyone not signed in, and failed sign-ins rate-limited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, render_template, request, session, url_for
from werkzeug.wrappers import Response

from recommender.records import ConsultStore, User

from . import csrf
from .login_limit import LoginLimiter
from .questionnaire_pages import go

CLINIC_SESSION = "clinic"
SESSION_HOURS = 8
"""A sign-in lasts a working day at most; then the clinician signs in again."""
LIMITER = "facesym_clinic_limiter"
STORE = "facesym_clinic_store"
OPEN_VIEWS = frozenset({"login", "sign_in"})
"""The only clinic views anyone may open: the sign-in page and its form."""


def store() -> ConsultStore:
    found: ConsultStore = current_app.extensions[STORE]
    return found


def limiter() -> LoginLimiter:
    found: LoginLimiter = current_app.extensions[LIMITER]
    return found


def signed_in() -> User | None:
    """The clinic account of this session, while its sign-in is current."""
    kept = session.get(CLINIC_SESSION)
    if not isinstance(kept, dict):
        return None
    try:
        since = datetime.fromisoformat(str(kept["since"]))
        user = User(name=str(kept["name"]), role=kept["role"])
    except (KeyError, ValueError, TypeError):
        return None
    if datetime.now(UTC) - since > timedelta(hours=SESSION_HOURS):
        session.pop(CLINIC_SESSION, None)
        return None
    return user


def require_sign_in() -> Response | None:
    """Before every clinic view: anyone not signed in goes to the sign-in page."""
    view = (request.endpoint or "").rpartition(".")[2]
    if view in OPEN_VIEWS or signed_in() is not None:
        return None
    return go(url_for(".login"))


def login() -> str:
    return render_template("facesym/clinic/login.html", problem=None)


def _keys(name: str) -> list[str]:
    return [f"name:{name.lower()}", f"address:{request.remote_addr or 'unknown'}"]


def sign_in() -> Response | tuple[str, int]:
    """Check the name and password; a new form token after signing in (no fixation)."""
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    keys = _keys(name)
    if limiter().blocked(keys):
        problem = (
            f"Too many attempts. Please wait {limiter().minutes} minutes, then try again, or"
            " ask the clinic's admin."
        )
        return render_template("facesym/clinic/login.html", problem=problem), 429
    user = store().verify_password(name, password) if name and password else None
    if user is None:
        limiter().failed(keys)
        problem = "The account name or password is not right."
        return render_template("facesym/clinic/login.html", problem=problem), 401
    limiter().succeeded(keys[:1])  # the account's count; the address keeps its own
    session[CLINIC_SESSION] = {
        "name": user.name,
        "role": user.role,
        "since": datetime.now(UTC).isoformat(),
    }
    session.pop(csrf.SESSION_KEY, None)  # a fresh token for the signed-in session
    return go(url_for(".consults"))


def sign_out() -> Response:
    session.pop(CLINIC_SESSION, None)
    session.pop(csrf.SESSION_KEY, None)
    return go(url_for(".login"))
