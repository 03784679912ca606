"""The booking-site example: a questionnaire page, a result page and a JSON API over facesym.

Flask, not FastAPI: the library's `recommend` is plain blocking Python (durable-rules runs
in C under the call), so an async framework would only push every call to a thread pool;
Flask's threaded request model matches the library's "one Recommender shared by all
threads" exactly, its Jinja templates escape all text by default, and its test client and
werkzeug server need nothing beyond Flask itself.

One `Recommender` is built when the app is created and shared by every request thread (the
library is thread-safe and compiling a rule base takes a moment, so never build one per
request). Under a multi-process server each worker process builds its own, once.

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

from flask import Flask, Response, current_app, jsonify, render_template
from werkzeug.wrappers import Response as WerkzeugResponse

from recommender import AnswersError, EvaluationError, Recommender
from recommender.client_text import ClientTextChecker

from . import api, progress, questionnaire_pages, result_pages
from .forms import field_errors
from .layout import Layout, form_text
from .phone_links import phone_links
from .progress import Draft
from .shared import Site, site

RULES_ENV = "FACESYM_RULES"
"""Environment variable naming a clinic's own rules directory (default: the shipped rules)."""
SECRET_ENV = "FACESYM_SITE_SECRET"
"""Environment variable holding the key that signs the session cookie (set it when several
worker processes serve the site, so that each accepts the others' cookies)."""
MAX_BODY = 64 * 1024

__all__ = ["MAX_BODY", "RULES_ENV", "SECRET_ENV", "Site", "create_app"]


def create_app(
    recommender: Recommender | None = None,
    rules: str | Path | None = None,
    secret_key: str | bytes | None = None,
) -> Flask:
    """The web app around one shared recommender.

    Pass a `Recommender` to share one you already have, or `rules` (a clinic's own rules
    directory); otherwise `$FACESYM_RULES` if set, else the rule base shipped with facesym.
    The session cookie is signed with `secret_key`, else `$FACESYM_SITE_SECRET`, else a
    random key made now (answers in progress are then lost when the site restarts).
    """
    if recommender is None:
        directory = rules or os.environ.get(RULES_ENV)
        recommender = Recommender.from_path(directory) if directory else Recommender.default()
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY,
        SECRET_KEY=secret_key or os.environ.get(SECRET_ENV) or secrets.token_hex(32),
        SESSION_COOKIE_NAME="facesym_answers",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.extensions["facesym"] = Site(
        recommender=recommender,
        layout=Layout(recommender),
        checker=ClientTextChecker(recommender.rulebase),
    )
    app.add_template_filter(form_text, "formtext")
    app.add_template_filter(phone_links, "phonelinks")
    _routes(app)
    _safeguards(app)
    return app


def _routes(app: Flask) -> None:
    pages = questionnaire_pages
    results = result_pages
    app.add_url_rule("/", view_func=pages.start, methods=["GET"])
    app.add_url_rule("/questions/<block_id>", view_func=pages.show_block, methods=["GET"])
    app.add_url_rule("/questionnaire", view_func=pages.submit_block, methods=["POST"])
    app.add_url_rule("/start-again", view_func=pages.start_again, methods=["POST"])
    app.add_url_rule("/check-answers", view_func=pages.check_answers, methods=["GET"])
    app.add_url_rule("/result", view_func=results.show_result, methods=["GET"])
    app.add_url_rule("/result/programme.pdf", view_func=results.programme_pdf, methods=["GET"])
    app.add_url_rule("/result/programme.ics", view_func=results.programme_calendar, methods=["GET"])
    app.add_url_rule("/book", view_func=results.choose_booking, methods=["POST"])
    app.add_url_rule("/booking", view_func=results.show_booking, methods=["GET"])
    app.add_url_rule("/questionnaire/check", view_func=api.check_block, methods=["POST"])
    app.add_url_rule("/api/recommendation", view_func=api.api_recommendation, methods=["POST"])
    app.add_url_rule("/api/next-question", view_func=api.api_next_question, methods=["POST"])
    app.add_url_rule("/api/questions", view_func=api.api_questions, methods=["GET"])


def _safeguards(app: Flask) -> None:
    @app.after_request
    def private(response: Response) -> Response:
        # Answers are health data: nothing cached, nothing sent on to other sites.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'self'; form-action 'self'"
        return response

    @app.errorhandler(AnswersError)
    def refused(error: AnswersError) -> WerkzeugResponse:
        """Kept answers the library no longer accepts: start again, saying why, by question."""
        layout = site().layout
        given = {problem.field: None for problem in error.problems}
        _, problems = field_errors(error.problems, layout, (), given)  # by question, not field
        progress.forget()
        progress.keep_draft(Draft(layout.first.id, general=problems))
        return questionnaire_pages.go(questionnaire_pages.part_url(layout.first))

    @app.errorhandler(EvaluationError)
    def failed(error: EvaluationError) -> tuple[str, int]:
        current_app.logger.error("recommendation withheld: %s", error)
        return render_template("withheld.html"), 500

    @app.errorhandler(413)
    def too_large(error: Exception) -> Response:
        response = jsonify({"error": f"request body over {MAX_BODY} bytes"})
        response.status_code = 413
        return response
