"""Consent, then a consult record (brief 8.1, 8.2 item I1): asked after "check your answers".

Only when the site keeps records (a `ConsultStore` was given): the person reads what is
kept, for how long and who sees it, and chooses. Yes: the consult is saved and its short
reference is kept in the session, shown on the result and booking pages (never in a URL).
No: the result is shown and nothing is stored. A red flag that stops the questionnaire
never reaches this page: its message is shown alone, first.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request, url_for
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from recommender.records import Consent, RecordsError, display_reference

from . import progress
from .consent_text import CONSENT_VERSION, NO, YES, consent_paragraphs, consent_wording
from .questionnaire_pages import go, unfinished
from .shared import site
from .stops import early_stop

CHOICE_FIELD = "choice"
GIVEN = "given"
DECLINED = "declined"
FAILED = "failed"
"""Consent was given but the record could not be saved: the result says so."""


def asks_consent(answers: dict[str, Any]) -> bool:
    """Whether these complete answers still wait for the person's choice about keeping them."""
    return (
        site().records is not None
        and progress.consent_choice() is None
        and early_stop(answers) is None
    )


def retention_days() -> int:
    store = site().records
    assert store is not None, "consent is asked only where records are kept"
    return store.retention.days


def show_consent() -> Response | str:
    """The consent page: what is kept, for how long, who sees it; yes or no."""
    answers = progress.answers()
    elsewhere = unfinished(answers)
    if elsewhere is not None:
        return elsewhere
    if site().records is None or early_stop(answers) is not None:
        return go(url_for(".show_result"))
    return render_template(
        "facesym/consent.html",
        paragraphs=consent_paragraphs(retention_days()),
        yes=YES,
        no=NO,
        choice_field=CHOICE_FIELD,
        back_url=url_for(".check_answers"),
    )


def give_consent() -> Response:
    """Keep the consult (yes) or nothing (no), then show the result."""
    answers = progress.answers()
    elsewhere = unfinished(answers)
    if elsewhere is not None:
        return elsewhere
    store = site().records
    choice = request.form.get(CHOICE_FIELD)
    if store is None or early_stop(answers) is not None:
        return go(url_for(".show_result"))
    if choice not in (GIVEN, DECLINED):
        return go(url_for(".show_consent"))
    if choice == DECLINED:
        progress.choose_consent(DECLINED, None)
        return go(url_for(".show_result"))
    if progress.reference() is not None:  # Back to this page and yes again: already kept
        return go(url_for(".show_result"))
    consent = Consent.to_wording(consent_wording(retention_days()), CONSENT_VERSION)
    recommendation = site().recommender.recommend(answers)
    try:
        reference = store.save_consult(answers, recommendation, consent)
    except (RecordsError, SQLAlchemyError) as error:
        # Never the answers in a log line: the error's type only.
        current_app.logger.error("consult record not saved: %s", type(error).__name__)
        progress.choose_consent(FAILED, None)
        return go(url_for(".show_result"))
    progress.choose_consent(GIVEN, reference)
    return go(url_for(".show_result"))


def shown_reference() -> str | None:
    """The reference as the person reads it (7KQ2M-XD9RA), when their answers are kept."""
    kept = progress.reference()
    return display_reference(kept) if kept else None
