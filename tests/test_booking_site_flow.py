"""The booking site's way through (issue 13), over plain HTTP as a browser without scripts:
POST -> redirect -> GET, Back links, the "check your answers" page, starting again, the
session cookie, and the programme files read back (PDF with pypdf, calendar with icalendar)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import icalendar
import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from recommender import Recommender
from recommender.intake.questions import usual_count
from recommender.programme.ics import week_start
from recommender.web import create_app
from recommender.web.csrf import SESSION_KEY
from recommender.web.downloads import next_monday

from .booking_site.forms import read_page, session_token, with_token
from .conftest import load_example
from .test_booking_site_api import first_page, post_page, submit, walk

PROGRAMME = "m1-weak-side-subtle"


@pytest.fixture(scope="module")
def app(recommender: Recommender) -> Flask:
    return create_app(recommender=recommender, secret_key="tests only")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def finish_questions(client: FlaskClient, answers: dict[str, Any]) -> str:
    """Answer every part; return the page after the last one (check answers, or a stop)."""
    page = first_page(client)
    html = ""
    while page.page == "questionnaire":
        _, html = submit(client, page, answers)
        page = read_page(html)
    return html


def test_every_answer_is_on_the_check_page_with_a_change_link(
    client: FlaskClient, recommender: Recommender
) -> None:
    answers = load_example(PROGRAMME)
    html = finish_questions(client, answers)
    assert read_page(html).page == "check"
    for question in recommender.questions():
        if question.field not in answers:
            continue
        assert f"<dt>{escape(question.text)}</dt>" in html
    assert html.count('class="answer-row"') == len(answers)
    blocks = dict.fromkeys(q.block for q in recommender.questions() if q.field in answers)
    for block in blocks:
        assert f'href="/questions/{block}">Change' in html
    assert 'href="/result"' in html, "the check page leads on to the result"
    multi = next(q for q in recommender.questions() if q.field == "regions")
    lips = next(o.label for o in multi.options if o.value == "lips")
    assert f'<dd class="answer">{escape(lips)}</dd>' in html


def test_change_from_the_check_page_returns_to_it(client: FlaskClient) -> None:
    answers = load_example(PROGRAMME)
    finish_questions(client, answers)
    page = read_page(client.get("/questions/goals").get_data(as_text=True))
    assert page.block == "goals" and not page.errors
    changed = answers | {"goal": "within_weeks"}
    _, html = submit(client, page, changed)
    assert read_page(html).page == "check", "after a change, straight back to the check page"


def test_each_part_after_the_first_has_a_back_link_to_the_part_before(
    client: FlaskClient, recommender: Recommender
) -> None:
    answers = load_example(PROGRAMME)
    page = first_page(client)
    assert 'class="back-link"' not in client.get("/").get_data(as_text=True)
    seen = [page.block]
    while page.page == "questionnaire":
        _, html = submit(client, page, answers)
        page = read_page(html)
        if page.page == "questionnaire":
            assert f'<a class="back-link" href="/questions/{seen[-1]}">Back</a>' in html
            seen.append(page.block)
    assert f'<a class="back-link" href="/questions/{seen[-1]}">Back</a>' in html
    result = client.get("/result").get_data(as_text=True)
    assert '<a class="back-link" href="/check-answers">Back</a>' in result


def test_reloading_and_going_back_never_lose_the_programme(client: FlaskClient) -> None:
    page, html, _ = walk(client, load_example(PROGRAMME))
    assert page.page == "result" and 'id="programme"' in html
    status, booking = post_page(client, "/book", {"service": page.buttons[0]})
    assert status == 200 and read_page(booking).page == "book"
    assert '<a class="back-link" href="/result">Back</a>' in booking
    again = client.get("/result").get_data(as_text=True)
    assert again == html, "the result is the same page every time it is shown"
    assert client.get("/check-answers").status_code == 200


def test_a_result_before_the_questions_are_done_goes_to_the_part_to_answer(
    client: FlaskClient,
) -> None:
    assert client.get("/result").location == "/questions/gate"
    assert client.get("/check-answers").location == "/questions/gate"
    assert client.get("/result/programme.pdf").location == "/questions/gate"
    assert client.get("/questions/no-such-part").location == "/questions/gate"


def test_the_session_cookie_is_signed_httponly_and_lax_and_start_again_clears_it(
    client: FlaskClient,
) -> None:
    form = {"block": "gate", "age": "45", "shown": "age"}
    response = client.post("/questionnaire", data=with_token(client, form))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires" not in cookie, "a browser-session cookie, gone when the browser closes"
    assert 'value="45"' in client.get("/").get_data(as_text=True)
    before = session_token(client)
    status, html = post_page(client, "/start-again", {})
    assert status == 200 and 'value="45"' not in html
    with client.session_transaction() as session:
        # Nothing of the answers is kept: only the first page's new form token.
        assert list(session) == [SESSION_KEY] and session[SESSION_KEY] != before


def test_a_cookie_signed_with_another_key_is_ignored(app: Flask, recommender: Recommender) -> None:
    other = create_app(recommender=recommender, secret_key="someone else")
    forger = other.test_client()
    form = {"block": "gate", "age": "45", "shown": "age"}
    forger.post("/questionnaire", data=with_token(forger, form))
    forged = forger.get_cookie("facesym_answers")
    assert forged is not None
    client = app.test_client()
    client.set_cookie("facesym_answers", forged.value)
    assert 'value="45"' not in client.get("/").get_data(as_text=True)


def test_no_answer_is_ever_in_a_url(client: FlaskClient) -> None:
    """Every page POST redirects to a path of this site with no query (`post_page` checks
    each one), and no link or form on the result page carries an answer."""
    answers = load_example(PROGRAMME)
    _, html, _ = walk(client, answers)
    for value in ("gradual_years", "one_side_less", "info_first", "with_expression"):
        assert value not in html


def test_the_pdf_is_the_clients_programme(client: FlaskClient, recommender: Recommender) -> None:
    answers = load_example(PROGRAMME)
    walk(client, answers)
    response = client.get("/result/programme.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    full = recommender.recommend(answers)
    programme = recommender.for_client(full).exercise_programme
    assert programme is not None
    assert "Your facial exercise programme" in flat
    for exercise in programme.exercises:
        assert " ".join(exercise.name.split()) in flat
    secrets = [*full.cautions, *(firing.rule for firing in full.explanation), full.category]
    assert [secret for secret in secrets if secret and secret in flat] == []
    assert "toxin" not in flat.lower()


def calendar_events(data: bytes) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def test_the_calendar_starts_on_the_day_picked(
    client: FlaskClient, recommender: Recommender
) -> None:
    answers = load_example(PROGRAMME)
    walk(client, answers)
    response = client.get("/result/programme.ics?start=2027-01-04")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = calendar_events(response.data)
    programme = recommender.for_client(recommender.recommend(answers)).exercise_programme
    assert programme is not None and len(events) == len(programme.schedule)
    # Week 1 begins on the day picked (week 0, a check-in, the week before), as the CLI writes.
    starts = {event.decoded("dtstart") for event in events}
    expected = {week_start(date(2027, 1, 4), phase.first_week) for phase in programme.schedule}
    assert starts == expected and date(2027, 1, 4) in starts


def test_the_calendar_starts_next_monday_unless_told_otherwise(client: FlaskClient) -> None:
    walk(client, load_example(PROGRAMME))
    html = client.get("/result").get_data(as_text=True)
    monday = next_monday(date.today())
    assert f'value="{monday.isoformat()}"' in html
    events = calendar_events(client.get("/result/programme.ics").data)
    assert monday in {event.decoded("dtstart") for event in events}
    assert min(event.decoded("dtstart") for event in events) >= monday - timedelta(weeks=1)


@pytest.mark.parametrize(
    ("today", "monday"),
    [(date(2027, 1, 4), date(2027, 1, 11)), (date(2027, 1, 10), date(2027, 1, 11))],
)
def test_next_monday_is_after_today(today: date, monday: date) -> None:
    assert next_monday(today) == monday
    assert next_monday(today) - today <= timedelta(days=7)


@pytest.mark.parametrize("start", ["04/01/2027", "2027-02-30", "soon"])
def test_a_start_that_is_not_a_date_is_refused_beside_the_field(
    client: FlaskClient, start: str
) -> None:
    walk(client, load_example(PROGRAMME))
    response = client.get("/result/programme.ics", query_string={"start": start})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and read_page(html).page == "result"
    assert "start date" in read_page(html).errors["start"]
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    "name", ["s1-skeletal-bite", "n0-photos-reassurance", "stroke-signs-stopped-at-gate"]
)
def test_no_programme_no_files(client: FlaskClient, recommender: Recommender, name: str) -> None:
    answers = load_example(name)
    assert recommender.for_client(recommender.recommend(answers)).exercise_programme is None
    _, html, _ = walk(client, answers)
    assert "programme.pdf" not in html and "programme.ics" not in html
    assert client.get("/result/programme.pdf").status_code == 404
    assert client.get("/result/programme.ics?start=2027-01-04").status_code == 404


def test_a_red_flag_on_a_later_part_skips_the_check_page(
    client: FlaskClient, recommender: Recommender
) -> None:
    answers = load_example(PROGRAMME) | {"course": "quickly_worse"}
    assert recommender.for_client(recommender.recommend(answers)).get_help_now
    html = finish_questions(client, answers)
    assert read_page(html).page == "stop"
    assert "<form" not in html and "<button" not in html
    assert client.get("/check-answers").location == "/result"
    assert client.get("/result/programme.pdf").status_code == 404


def test_the_first_part_says_about_how_long_it_takes(
    client: FlaskClient, recommender: Recommender
) -> None:
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    usual = usual_count(recommender.questions())
    assert f"About {usual} questions, which take about" in page
    assert 40 <= usual < len(recommender.questions())  # the follow-ups are not counted
