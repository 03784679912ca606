"""The client pages and JSON API as a Flask blueprint, to mount in `create_app` or a clinic's site.

Everything the pages share (one recommender, its page layout, the client text checker) is
built once when the blueprint is made and put in the app's `extensions` on registration, so
request threads read it without locks. Templates live under `facesym/` and the blueprint's
own static folder, so a clinic's own `base.html` or `/static` never shadows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response as WerkzeugResponse

from recommender import AnswersError, EvaluationError, Recommender
from recommender.views.client_text import ClientTextChecker

from . import api, consult_pages, csrf, progress, questionnaire_pages, result_pages
from .forms import field_errors
from .headers import private_headers
from .layout import Layout, form_text
from .phone_links import phone_links
from .progress import Draft
from .shared import EXTENSION, Site, site

if TYPE_CHECKING:
    from recommender.records import ConsultStore

BLUEPRINT_NAME = "facesym"
MAX_BODY = 64 * 1024
"""Largest request body the pages and API read (a complete questionnaire is about 2 KB)."""


def booking_blueprint(
    recommender: Recommender, banner: str | None = None, records: ConsultStore | None = None
) -> Blueprint:
    """The questionnaire, result, booking pages and JSON API around one shared recommender.

    Mount it with `app.register_blueprint(booking_blueprint(recommender), url_prefix=...)`;
    the app must have a `SECRET_KEY` (the answers in progress live in its session cookie).
    `banner`, when given, is shown at the top of every page (development mode). With
    `records`, the person is asked after "check your answers" whether the clinic may keep
    them, and a consult record is saved if they agree; without it nothing is ever stored.
    """
    blueprint = Blueprint(
        BLUEPRINT_NAME,
        __name__,
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    shared = Site(
        recommender=recommender,
        layout=Layout(recommender),
        checker=ClientTextChecker(recommender.rulebase),
        records=records,
    )

    def install(state: BlueprintSetupState) -> None:
        state.app.extensions[EXTENSION] = shared

    blueprint.record_once(install)
    blueprint.context_processor(
        lambda: {
            "facesym_banner": banner,
            "facesym_keeps_records": records is not None,
            "csrf_field": csrf.TOKEN_FIELD,
            "csrf_token": csrf.form_token,
        }
    )
    blueprint.add_app_template_filter(form_text, "formtext")
    blueprint.add_app_template_filter(phone_links, "phonelinks")
    _routes(blueprint)
    _safeguards(blueprint)
    return blueprint


def _routes(blueprint: Blueprint) -> None:
    pages = questionnaire_pages
    results = result_pages
    add = blueprint.add_url_rule
    add("/", view_func=pages.start, methods=["GET"])
    add("/questions/<block_id>", view_func=pages.show_block, methods=["GET"])
    add("/questionnaire", view_func=pages.submit_block, methods=["POST"])
    add("/start-again", view_func=pages.start_again, methods=["POST"])
    add("/check-answers", view_func=pages.check_answers, methods=["GET"])
    add("/consent", view_func=consult_pages.show_consent, methods=["GET"])
    add("/consent", view_func=consult_pages.give_consent, methods=["POST"])
    add("/result", view_func=results.show_result, methods=["GET"])
    add("/result/programme.pdf", view_func=results.programme_pdf, methods=["GET"])
    add("/result/programme.ics", view_func=results.programme_calendar, methods=["GET"])
    add("/book", view_func=results.choose_booking, methods=["POST"])
    add("/booking", view_func=results.show_booking, methods=["GET"])
    add("/questionnaire/check", view_func=api.check_block, methods=["POST"])
    add("/api/recommendation", view_func=api.api_recommendation, methods=["POST"])
    add("/api/next-question", view_func=api.api_next_question, methods=["POST"])
    add("/api/questions", view_func=api.api_questions, methods=["GET"])


JSON_ENDPOINTS = frozenset({"api_recommendation", "api_next_question"})
"""The JSON API's POSTs (by view name): no form, so no form token; Origin and type instead."""


def _safeguards(blueprint: Blueprint) -> None:
    @blueprint.before_request
    def bounded_body() -> None:
        # Per request, so a clinic's own limit for the rest of its site is left alone.
        request.max_content_length = MAX_BODY
        if (request.content_length or 0) > MAX_BODY:
            abort(413)  # refused unread

    @blueprint.before_request
    def same_site_only() -> WerkzeugResponse | tuple[str, int] | None:
        """Every POST must come from this site: a form with its token, or JSON from here."""
        if request.method != "POST":
            return None
        view = (request.endpoint or "").rpartition(".")[2]
        if view in JSON_ENDPOINTS:
            return csrf.json_refusal()
        if not csrf.form_token_matches():
            return csrf.refused_form(url_for(".start"))
        return None

    blueprint.after_request(private_headers)

    @blueprint.errorhandler(AnswersError)
    def refused(error: AnswersError) -> WerkzeugResponse:
        """Kept answers the library no longer accepts: start again, saying why, by question."""
        layout = site().layout
        given = {problem.field: None for problem in error.problems}
        _, problems = field_errors(error.problems, layout, (), given)  # by question, not field
        progress.forget()
        progress.keep_draft(Draft(layout.first.id, general=problems))
        return questionnaire_pages.go(questionnaire_pages.part_url(layout.first))

    @blueprint.errorhandler(EvaluationError)
    def failed(error: EvaluationError) -> tuple[str, int]:
        current_app.logger.error("recommendation withheld: %s", error)
        return render_template("facesym/withheld.html"), 500

    @blueprint.errorhandler(413)
    def too_large(error: Exception) -> Response:
        response = jsonify({"error": f"request body over {MAX_BODY} bytes"})
        response.status_code = 413
        return response
