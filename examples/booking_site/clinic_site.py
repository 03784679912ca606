"""A clinic's own Flask site, with facesym's questionnaire and result pages under /consult/.

Run it from the checkout: `flask --app examples.booking_site.clinic_site run`. The clinic
keeps its own pages, templates and static files; facesym's pages carry their own templates
(under `facesym/`) and static files (at `/consult/static/`), so neither shadows the other.
"""

from __future__ import annotations

import os
import secrets

from flask import Flask

from recommender.web import booking_blueprint
from recommender.web.app import load_recommender

HOME = """<!doctype html><html lang="en"><title>Clinic</title>
<main><h1>Welcome to the clinic</h1>
<p><a href="/consult/">Answer the questions about your face</a></p></main></html>"""


def create_app() -> Flask:
    """The clinic's site: its own home page, and facesym's pages under /consult/."""
    app = Flask(__name__)
    # The answers in progress live in the session cookie, signed with this key.
    app.config["SECRET_KEY"] = os.environ.get("CLINIC_SECRET_KEY") or secrets.token_hex(32)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.add_url_rule("/", "home", lambda: HOME)
    app.register_blueprint(booking_blueprint(load_recommender()), url_prefix="/consult")
    return app
