"""Whether answers so far end the questionnaire with a red flag (brief 0.1 item 1 and 3.4:
red flags first, and their message shown alone).

Shared by the pages (on Continue) and the page script's check (after every answer), so a
stop is decided the same way with scripts on or off.
"""

from __future__ import annotations

from typing import Any

from recommender import AnswersError, FieldProblem, Recommendation

from .safety import ends_questionnaire
from .shared import site


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


def stops_with_valid_answers(
    answers: dict[str, Any], problems: list[FieldProblem]
) -> Recommendation | None:
    """Whether the answers that are valid already show an emergency or urgent red flag.

    A mistyped age must never hide a stroke warning, so on invalid answers the page still
    checks the valid ones for a red flag before it asks for corrections.
    """
    return early_stop(valid_only(answers, problems))


def valid_only(answers: dict[str, Any], problems: list[FieldProblem]) -> dict[str, Any]:
    refused = {problem.field for problem in problems}
    return {name: value for name, value in answers.items() if name not in refused}


def missing_in(answers: dict[str, Any]) -> list[FieldProblem]:
    """The library's list of required answers still missing."""
    try:
        site().recommender.recommend(answers)
    except AnswersError as error:
        return [p for p in error.problems if p.field not in answers]
    return []
