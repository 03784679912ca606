"""The JSON API, for sites with their own front end, and the questionnaire script's check.

Public: only the client's view of a recommendation is ever returned.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request

from recommender import AnswersError, EvaluationError

from . import progress
from .forms import FormData, read_block
from .safety import ends_questionnaire, unsafe_view
from .shared import site
from .stops import early_stop, stops_with_valid_answers


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
    submission = read_block(FormData.of(request.form), block, progress.answers())
    answers = submission.answers
    try:
        site().recommender.next_question(answers)
        stop = early_stop(answers)
    except AnswersError as error:
        stop = stops_with_valid_answers(answers, list(error.problems))
    return jsonify({"stop": stop is not None})
