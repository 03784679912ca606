"""The result (or the red-flag stop), its programme files, and the booking step.

All GETs built again from the answers kept in the session, so Back from the booking page,
or Reload on the result, always shows the same result and programme. Every page and file
is drawn from the client view only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, make_response, render_template, request, url_for
from werkzeug.wrappers import Response

from recommender import Recommendation
from recommender.views.client import ClientProgramme, ClientRecommendation

from . import progress
from .consult_pages import FAILED, asks_consent, shown_reference
from .downloads import ICS_NAME, PDF_NAME, calendar_file, next_monday, pdf_file, read_start
from .questionnaire_pages import go, unfinished
from .safety import bookable, ends_questionnaire, forbidden_text, is_adult, unsafe_view
from .shared import site

START_FIELD = "start"
BOOK_PAGE = "facesym/book.html"


def withheld_page(found: list[str]) -> tuple[str, int]:
    current_app.logger.error("result withheld: %d problems, first %s", len(found), found[0])
    return render_template("facesym/withheld.html"), 500


def render_result(
    recommendation: Recommendation,
    answers: dict[str, Any],
    start_error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The red-flag stop page, or the result page with its cards and programme, both drawn
    from the client view only. A booking button's hidden code comes from the full card at
    the same place (the client view keeps the cards' order and count)."""
    view = site().for_client(recommendation)
    found = unsafe_view(view, site().checker)
    if found:
        return withheld_page(found)
    if ends_questionnaire(view):
        said = any("non-urgent advice" in card.detail for card in view.cards)
        return render_template("facesym/stop.html", view=view, add_line=not said), 200
    services = site().services
    age = answers.get("age")
    cards = [
        (card, full.booking, bookable(full.booking, view, services, age))
        for card, full in zip(view.cards, recommendation.cards, strict=True)
    ]
    page = render_template(
        "facesym/result.html",
        view=view,
        cards=cards,
        programme=view.exercise_programme,
        start=request.args.get(START_FIELD) or next_monday(date.today()).isoformat(),
        start_error=start_error,
        back_url=url_for(".check_answers"),
        reference=shown_reference(),
        not_saved=progress.consent_choice() == FAILED,
    )
    found = forbidden_text(page)
    if found:
        return withheld_page(found)
    return page, status


def kept_result() -> tuple[Recommendation, dict[str, Any]] | Response:
    """The recommendation for the answers kept, or a redirect to the part still to answer."""
    answers = progress.answers()
    elsewhere = unfinished(answers)
    if elsewhere is not None:
        return elsewhere
    return site().recommender.recommend(answers), answers


def show_result() -> Response | tuple[str, int]:
    kept = kept_result()
    if isinstance(kept, Response):
        return kept
    if asks_consent(kept[1]):
        return go(url_for(".show_consent"))
    return render_result(*kept)


def offered_programme(
    recommendation: Recommendation,
) -> tuple[ClientProgramme | None, ClientRecommendation]:
    """The exercise programme a file may be made from: none beside a red flag, none when the
    client view fails the site's checks."""
    view = site().for_client(recommendation)
    if ends_questionnaire(view) or unsafe_view(view, site().checker):
        return None, view
    return view.exercise_programme, view


def no_programme() -> tuple[str, int]:
    return render_template("facesym/no_programme.html"), 404


def attachment(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def kept_programme() -> tuple[ClientProgramme, Recommendation, dict[str, Any]]:
    """The programme of the result kept, with that result and its answers. Anything else
    ends the request (Flask's `abort` with a page): a redirect to the part still to answer,
    or the page saying this result has no programme."""
    kept = kept_result()
    if isinstance(kept, Response):
        abort(kept)
    programme, _ = offered_programme(kept[0])
    if programme is None:
        abort(make_response(*no_programme()))
    return programme, *kept


def programme_pdf() -> Response:
    """The printable programme, as `facesym programme ANSWERS.json --pdf FILE` writes it."""
    programme, recommendation, _ = kept_programme()
    pdf = pdf_file(programme, recommendation, date.today())
    return attachment(pdf, "application/pdf", PDF_NAME)


def programme_calendar() -> Response | tuple[str, int]:
    """The schedule as calendar events from the day picked, as `--ics FILE --start DATE`."""
    programme, recommendation, answers = kept_programme()
    start = read_start(request.args.get(START_FIELD), date.today())
    if start is None:
        problem = "Please enter the start date as a date, for example 2027-01-04."
        return render_result(recommendation, answers, start_error=problem, status=400)
    return attachment(calendar_file(programme, recommendation, start), "text/calendar", ICS_NAME)


def choose_booking() -> Response:
    """The booking button: remember the service chosen, then show the booking step."""
    progress.choose_booking(request.form.get("service", ""))
    return go(url_for(".show_booking"))


def show_booking() -> tuple[str, int]:
    """Where the clinic's own booking system takes over; this example only shows the step.
    The age is the one kept with the answers, never a form field the visitor could change."""
    service = site().services.get(progress.chosen_booking())
    age = progress.answers().get("age")
    back = url_for(".show_result")
    reference = shown_reference()
    if service is None:
        return render_template(BOOK_PAGE, service=None, refused=False, back_url=back), 404
    if service.injectables and not is_adult(age):
        return render_template(BOOK_PAGE, service=service, refused=True, back_url=back), 403
    page = render_template(
        BOOK_PAGE, service=service, refused=False, back_url=back, reference=reference
    )
    return page, 200
