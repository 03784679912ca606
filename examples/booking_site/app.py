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

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request

from recommender import (
    AnswersError,
    EvaluationError,
    FieldProblem,
    Recommendation,
    Recommender,
)
from recommender.client_text import ClientTextChecker
from recommender.client_view import ClientRecommendation

from .forms import SHOWN, SO_FAR, FormData, chosen_values, field_errors, read_block
from .layout import Block, Layout, form_text
from .safety import Service, bookable, ends_questionnaire, forbidden_text, is_adult, unsafe_view

RULES_ENV = "FACESYM_RULES"
"""Environment variable naming a clinic's own rules directory (default: the shipped rules)."""
MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class Site:
    """Everything shared by the request threads; built once, never changed."""

    recommender: Recommender
    layout: Layout
    checker: ClientTextChecker

    @property
    def services(self) -> dict[str, Service]:
        return dict(self.recommender.rulebase.services)

    def for_client(self, recommendation: Recommendation) -> ClientRecommendation:
        return self.recommender.for_client(recommendation)


def create_app(recommender: Recommender | None = None, rules: str | Path | None = None) -> Flask:
    """The web app around one shared recommender.

    Pass a `Recommender` to share one you already have, or `rules` (a clinic's own rules
    directory); otherwise `$FACESYM_RULES` if set, else the rule base shipped with facesym.
    """
    if recommender is None:
        directory = rules or os.environ.get(RULES_ENV)
        recommender = Recommender.from_path(directory) if directory else Recommender.default()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["facesym"] = Site(
        recommender=recommender,
        layout=Layout(recommender),
        checker=ClientTextChecker(recommender.rulebase),
    )
    app.add_template_filter(form_text, "formtext")
    _routes(app)
    return app


def site() -> Site:
    found: Site = current_app.extensions["facesym"]
    return found


# -- the questionnaire pages ------------------------------------------------------------------


def render_block(
    block: Block,
    answers: dict[str, Any],
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """One block of questions, pre-filled with any answers it already has."""
    so_far = {name: value for name, value in answers.items() if name not in block.fields}
    page = render_template(
        "questionnaire.html",
        block=block,
        blocks=site().layout.blocks,
        answers=answers,
        chosen=chosen_values(answers),
        so_far=json.dumps(so_far, separators=(",", ":")),
        errors=errors or {},
        general=general or [],
        so_far_name=SO_FAR,
        shown_name=SHOWN,
    )
    return page, status


def withheld_page(found: list[str]) -> tuple[str, int]:
    current_app.logger.error("result withheld: %d problems, first %s", len(found), found[0])
    return render_template("withheld.html"), 500


def render_result(recommendation: Recommendation, answers: dict[str, Any]) -> tuple[str, int]:
    """The red-flag stop page, or the result page with its cards and programme, both drawn
    from the client view only. A booking button's hidden code comes from the full card at
    the same place (the client view keeps the cards' order and count)."""
    view = site().for_client(recommendation)
    found = unsafe_view(view, site().checker)
    if found:
        return withheld_page(found)
    if ends_questionnaire(view):
        said = any("non-urgent advice" in card.detail for card in view.cards)
        return render_template("stop.html", view=view, add_line=not said), 200
    services = site().services
    age = answers.get("age")
    cards = [
        (card, full.booking, bookable(full.booking, view, services, age))
        for card, full in zip(view.cards, recommendation.cards, strict=True)
    ]
    page = render_template(
        "result.html",
        view=view,
        cards=cards,
        programme=view.exercise_programme,
        age=age if is_adult(age) else None,
    )
    found = forbidden_text(page)
    if found:
        return withheld_page(found)
    return page, 200


def stops_with_valid_answers(
    answers: dict[str, Any], problems: list[FieldProblem]
) -> Recommendation | None:
    """Whether the answers that are valid already show an emergency or urgent red flag.

    A mistyped age must never hide a stroke warning, so on invalid answers the page still
    checks the valid ones for a red flag before it asks for corrections.
    """
    return early_stop({k: v for k, v in answers.items() if k not in {p.field for p in problems}})


def early_stop(answers: dict[str, Any]) -> Recommendation | None:
    """The red-flag recommendation when these (partial) answers end the questionnaire."""
    recommender = site().recommender
    try:
        if recommender.next_question(answers) is not None:
            return None
        recommendation = recommender.recommend(answers)
    except AnswersError:
        return None
    return recommendation if ends_questionnaire(site().for_client(recommendation)) else None


def missing_in(answers: dict[str, Any]) -> list[FieldProblem]:
    """The library's list of required answers still missing."""
    try:
        site().recommender.recommend(answers)
    except AnswersError as error:
        return [p for p in error.problems if p.field not in answers]
    return []


def submit_block() -> tuple[str, int]:
    layout = site().layout
    block = layout.block(request.form.get("block", ""))
    if block is None:
        restart = ["Please start the questions again."]
        return render_block(layout.first, {}, general=restart, status=400)
    submission = read_block(FormData.of(request.form), block)
    answers = submission.answers
    if submission.problems:
        unreadable = [p.message for p in submission.problems]
        return render_block(layout.first, {}, general=unreadable, status=422)
    try:
        following = site().recommender.next_question(answers)
    except AnswersError as error:
        problems = list(error.problems)
        stop = stops_with_valid_answers(answers, problems)
        if stop is not None:
            return render_result(stop, answers)
        # Also ask for the answers left blank on this page, so that one pass shows every problem.
        valid = {k: v for k, v in answers.items() if k not in error.fields}
        problems += [p for p in missing_in(valid) if p.field in submission.shown]
        beside, elsewhere = field_errors(problems, layout, block.fields, answers)
        return render_block(block, answers, beside, elsewhere, status=422)
    if following is None:
        return render_result(site().recommender.recommend(answers), answers)
    target = layout.block(following.block) or block
    if target.number > block.number:
        return render_block(target, answers)
    # Something on this page (or an earlier one) is still to be answered: either left blank,
    # or a question that applies only now (a follow-up to an answer on this page).
    asked = submission.shown if target is block else frozenset(target.fields)
    blank = [p for p in missing_in(answers) if p.field in asked]
    beside, elsewhere = field_errors(blank, layout, target.fields, answers)
    return render_block(target, answers, beside, elsewhere, status=422 if beside else 200)


def book() -> tuple[str, int]:
    """Where the clinic's own booking system takes over; this example only shows the step."""
    code = request.form.get("service", "")
    service = site().services.get(code)
    age_text = request.form.get("age", "")
    age = int(age_text) if age_text.isdigit() else None
    if service is None:
        return render_template("book.html", service=None, refused=False), 404
    if service.injectables and not is_adult(age):
        return render_template("book.html", service=service, refused=True), 403
    return render_template("book.html", service=service, refused=False), 200


# -- JSON ------------------------------------------------------------------------------------


def problems_json(error: AnswersError) -> Response:
    """422 with each problem; plus the red flag (its client view) when the valid answers
    already show one."""
    body: dict[str, Any] = {"errors": [problem.as_dict() for problem in error.problems]}
    if error.red_flag is not None:
        body["red_flag"] = site().for_client(error.red_flag).model_dump(mode="json")
    response = jsonify(body)
    response.status_code = 422
    return response


def withheld_json() -> Response:
    response = jsonify({"error": "no recommendation could be made; please contact the clinic"})
    response.status_code = 500
    return response


def api_recommendation() -> Response:
    """POST answers (JSON) -> the client's view of the recommendation (JSON), or 422 with
    field errors. Public: the clinician's view is never served here."""
    try:
        recommendation = site().recommender.recommend(request.get_data())
    except AnswersError as error:
        return problems_json(error)
    except EvaluationError:
        current_app.logger.exception("recommendation failed")
        return withheld_json()
    view = site().for_client(recommendation)
    found = unsafe_view(view, site().checker)
    if found:
        current_app.logger.error("recommendation withheld: %s", found[0])
        return withheld_json()
    return Response(view.model_dump_json(), mimetype="application/json")


def api_next_question() -> Response:
    """POST the answers so far (JSON) -> the next question, or null when done or stopped."""
    recommender = site().recommender
    try:
        question = recommender.next_question(request.get_data() or b"{}")
        stopped = False
        if question is None:
            made = recommender.recommend(request.get_data() or b"{}")
            stopped = ends_questionnaire(site().for_client(made))
    except AnswersError as error:
        return problems_json(error)
    except EvaluationError:
        current_app.logger.exception("next question failed")
        return withheld_json()
    body = {
        "question": question.model_dump(mode="json") if question else None,
        "stopped_early": stopped,
    }
    return jsonify(body)


def api_questions() -> Response:
    """Every question, in order: the metadata a site's own front end renders its form from."""
    return jsonify([q.model_dump(mode="json") for q in site().recommender.questions()])


def check_block() -> Response:
    """For the page's script: do the answers on the page so far end the questionnaire?"""
    block = site().layout.block(request.form.get("block", ""))
    if block is None:
        return jsonify({"stop": False})
    submission = read_block(FormData.of(request.form), block)
    answers = submission.answers
    try:
        site().recommender.next_question(answers)
        stop = early_stop(answers)
    except AnswersError as error:
        stop = stops_with_valid_answers(answers, list(error.problems))
    return jsonify({"stop": stop is not None})


def _routes(app: Flask) -> None:
    @app.get("/")
    def start() -> tuple[str, int]:
        return render_block(site().layout.first, {})

    app.add_url_rule("/questionnaire", view_func=submit_block, methods=["POST"])
    app.add_url_rule("/questionnaire/check", view_func=check_block, methods=["POST"])
    app.add_url_rule("/book", view_func=book, methods=["POST"])
    app.add_url_rule("/api/recommendation", view_func=api_recommendation, methods=["POST"])
    app.add_url_rule("/api/next-question", view_func=api_next_question, methods=["POST"])
    app.add_url_rule("/api/questions", view_func=api_questions, methods=["GET"])

    @app.after_request
    def private(response: Response) -> Response:
        # Answers are health data: nothing cached, nothing sent on to other sites.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'self'; form-action 'self'"
        return response

    @app.errorhandler(AnswersError)
    def refused(error: AnswersError) -> tuple[str, int]:
        layout = site().layout
        given = {problem.field: None for problem in error.problems}
        _, problems = field_errors(error.problems, layout, (), given)  # by question, not field
        return render_block(layout.first, {}, general=problems, status=422)

    @app.errorhandler(EvaluationError)
    def failed(error: EvaluationError) -> tuple[str, int]:
        current_app.logger.error("recommendation withheld: %s", error)
        return render_template("withheld.html"), 500

    @app.errorhandler(413)
    def too_large(error: Exception) -> Response:
        response = jsonify({"error": f"request body over {MAX_BODY} bytes"})
        response.status_code = 413
        return response
