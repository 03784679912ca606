"""The facesym web app: the client pages as a whole Flask app (`facesym serve` runs it).

Flask, not FastAPI: the library's `recommend` is plain blocking Python (durable-rules runs
in C under the call), so an async framework would only push every call to a thread pool;
Flask's threaded request model matches the library's "one Recommender shared by all
threads" exactly, its Jinja templates escape all text by default, and its test client and
werkzeug server need nothing beyond Flask itself.

One `Recommender` is built when the app is created and shared by every request thread (the
library is thread-safe and compiling a rule base takes a moment, so never build one per
request). Under a pre-forking server each worker process builds its own app, once.

Every page and the public JSON API serve the client's view of a recommendation only
(`Recommender.for_client`); the full recommendation, the clinician's view, stays on the
server. The one internal value a page carries is a booking's service code, in the hidden
field of its booking form: it is how the clinic's booking step knows what was chosen, and
it is never shown.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from recommender import Recommender

from .blueprint import MAX_BODY, booking_blueprint
from .clinic_blueprint import clinic_blueprint
from .headers import private_headers

if TYPE_CHECKING:
    from recommender.records import ConsultStore

RULES_ENV = "FACESYM_RULES"
"""Environment variable naming a clinic's own rules directory (default: the shipped rules)."""
SECRET_ENV = "FACESYM_SITE_SECRET"
"""Environment variable holding the key that signs the session cookie (set it when several
worker processes serve the site, so that each accepts the others' cookies)."""

__all__ = ["MAX_BODY", "RULES_ENV", "SECRET_ENV", "create_app", "load_recommender"]


def load_recommender(rules: str | Path | None = None) -> Recommender:
    """The rule base in `rules`, else `$FACESYM_RULES`, else the one shipped with facesym."""
    directory = rules or os.environ.get(RULES_ENV)
    return Recommender.from_path(directory) if directory else Recommender.default()


def create_app(
    recommender: Recommender | None = None,
    rules: str | Path | None = None,
    secret_key: str | bytes | None = None,
    banner: str | None = None,
    records: ConsultStore | None = None,
) -> Flask:
    """The web app around one shared recommender.

    Pass a `Recommender` to share one you already have, or `rules` (a clinic's own rules
    directory); otherwise `$FACESYM_RULES` if set, else the rule base shipped with facesym.
    The session cookie is signed with `secret_key`, else `$FACESYM_SITE_SECRET`, else a
    random key made now (answers in progress are then lost when the site restarts).
    `banner` is a line shown at the top of every page (`facesym serve --dev` uses it).
    `records` keeps consults the person agrees to (see `consult_pages`); none by default.
    """
    if recommender is None:
        recommender = load_recommender(rules)
    app = Flask(__name__, static_folder=None)  # the blueprint serves its own /static
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY,
        SECRET_KEY=secret_key or os.environ.get(SECRET_ENV) or secrets.token_hex(32),
        SESSION_COOKIE_NAME="facesym_answers",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.context_processor(lambda: {"facesym_banner": banner})  # the clinic's pages too
    app.register_blueprint(booking_blueprint(recommender, banner, records))
    if records is not None:  # the clinician's pages need records to show
        app.register_blueprint(clinic_blueprint(records), url_prefix="/clinic")
    app.after_request(private_headers)  # also on a 404 or 405 outside the blueprint's views
    return app
