"""The example booking site without a browser: its JSON API, its pages over plain HTTP (as a
browser without scripts would use them), and the page's own safety checks."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from recommender import AnswersError, FieldProblem, Recommendation, Recommender, RuleBaseError
from recommender.contract.recommendation import Card
from recommender.proof.client_check import view_texts
from recommender.views.client import NEXT_STEP_WORDS
from recommender.views.client_text import ClientTextChecker
from recommender.web import create_app
from recommender.web.safety import bookable, forbidden_text, is_adult

from .booking_site.forms import PageForm, block_form, read_page, with_token
from .booking_site.support import live_server
from .conftest import load_example

CLINICIAN_ONLY = {"category", "injectable_options", "cautions", "explanation", "red_flags"}
EXAMPLES = (
    "m1-weak-side-subtle",
    "m2-overactive-within-weeks",
    "n0-photos-reassurance",
    "s1-skeletal-bite",
    "stroke-signs-stopped-at-gate",
)


@pytest.fixture(scope="module")
def app(recommender: Recommender) -> Flask:
    return create_app(recommender=recommender)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def post_json(client: FlaskClient, path: str, body: Any) -> tuple[int, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    response = client.post(path, data=text, content_type="application/json")
    return response.status_code, response.get_json()


def library_problems(recommender: Recommender, answers: Any) -> list[dict[str, object]]:
    with pytest.raises(AnswersError) as caught:
        recommender.recommend(answers)
    return [problem.as_dict() for problem in caught.value.problems]


def injectables_codes(recommender: Recommender) -> set[str]:
    return {code for code, s in recommender.rulebase.services.items() if s.injectables}


# -- JSON: POST answers -> recommendation ---------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_json_recommendation_is_the_librarys_client_view(
    client: FlaskClient, recommender: Recommender, name: str
) -> None:
    answers = load_example(name)
    response = client.post("/api/recommendation", json=answers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    full = recommender.recommend(answers)
    body = response.get_json()
    assert body == recommender.for_client(full).model_dump(mode="json")
    assert not CLINICIAN_ONLY & set(body)
    text = json.dumps(body)
    for value in (*full.cautions, *(firing.rule for firing in full.explanation)):
        assert value not in text
    assert (
        ClientTextChecker(recommender.rulebase).scan(view_texts(recommender.for_client(full))) == []
    )


def test_json_red_flag_from_partial_answers_has_nothing_to_book(client: FlaskClient) -> None:
    status, body = post_json(client, "/api/recommendation", {"age": 67, "stroke_signs": "yes"})
    assert status == 200
    assert body["get_help_now"] is True and "999" in body["how_soon"]
    assert all(card["booking"] is None for card in body["cards"])
    assert body["exercise_programme"] is None


def test_json_under_18_gets_no_injectables(client: FlaskClient, recommender: Recommender) -> None:
    status, body = post_json(
        client, "/api/recommendation", load_example("m2-overactive-within-weeks") | {"age": 17}
    )
    assert status == 200
    injectables = {s.label for s in recommender.rulebase.services.values() if s.injectables}
    assert not {card["booking"]["name"] for card in body["cards"] if card["booking"]} & injectables


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"age": 150}, "age"),
        ({"age": "forty"}, "age"),
        ({"side": "middle"}, "side"),
        ({"regions": []}, "regions"),
        ({"bite_problems": "yes"}, "bite_problems"),
        ({"agee": 45}, "agee"),
    ],
)
def test_json_bad_value_is_a_422_naming_the_field(
    client: FlaskClient, recommender: Recommender, change: dict[str, Any], field: str
) -> None:
    answers = load_example("m1-weak-side-subtle") | change
    status, body = post_json(client, "/api/recommendation", answers)
    assert status == 422
    assert body == {"errors": library_problems(recommender, answers)}
    (error,) = body["errors"]
    assert error["field"] == field
    assert set(error) == {"field", "message", "allowed"} and error["message"]


def test_json_every_problem_is_listed_with_allowed_values(client: FlaskClient) -> None:
    answers = load_example("m1-weak-side-subtle") | {"age": -1, "side": "up", "goal": "now"}
    status, body = post_json(client, "/api/recommendation", answers)
    assert status == 422
    by_field = {error["field"]: error for error in body["errors"]}
    assert set(by_field) == {"age", "side", "goal"}
    assert "left" in by_field["side"]["allowed"]
    assert by_field["age"]["allowed"] == ["a whole number from 0 to 120"]


def test_json_incomplete_answers_without_a_red_flag_list_what_is_missing(
    client: FlaskClient, recommender: Recommender
) -> None:
    answers = {"age": 40, "stroke_signs": "no"}
    status, body = post_json(client, "/api/recommendation", answers)
    assert status == 422
    assert body == {"errors": library_problems(recommender, answers)}
    assert {"sudden_weakness", "regions", "goal"} <= {error["field"] for error in body["errors"]}


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "", "null", '"text"'])
def test_json_that_is_not_an_answers_object_is_a_422(client: FlaskClient, body: str) -> None:
    status, reply = post_json(client, "/api/recommendation", body)
    assert status == 422
    assert [error["field"] for error in reply["errors"]] == ["answers"]


def test_json_oversized_body_and_wrong_method(client: FlaskClient) -> None:
    response = client.post("/api/recommendation", data="x" * 70_000)
    assert response.status_code == 413
    assert "error" in (response.get_json() or {})
    assert client.get("/api/recommendation").status_code == 405


def test_json_next_question_drives_the_questionnaire(
    client: FlaskClient, recommender: Recommender
) -> None:
    status, body = post_json(client, "/api/next-question", {})
    assert status == 200
    first = recommender.questions()[0].model_dump(mode="json")
    # The listing's total counts every question a client can be asked; the next question's
    # counts those this person is asked as far as the answers tell (none yet: no follow-ups).
    usual = sum(1 for q in recommender.questions() if q.enable_when is None)
    assert body["question"] == first | {"total": usual}
    assert body["stopped_early"] is False

    status, body = post_json(client, "/api/next-question", {"age": 67, "stroke_signs": "yes"})
    assert (status, body) == (200, {"question": None, "stopped_early": True})

    status, body = post_json(client, "/api/next-question", load_example("m1-weak-side-subtle"))
    assert (status, body) == (200, {"question": None, "stopped_early": False})

    status, body = post_json(client, "/api/next-question", {"age": 300})
    assert status == 422 and body["errors"][0]["field"] == "age"


def test_json_questions_are_the_librarys(client: FlaskClient, recommender: Recommender) -> None:
    response = client.get("/api/questions")
    assert response.get_json() == [q.model_dump(mode="json") for q in recommender.questions()]


# -- many requests at once --------------------------------------------------------------------


def _requests() -> list[dict[str, Any] | str]:
    """32 bodies: every example, an under-18 variant, partial and invalid answers."""
    bodies: list[dict[str, Any] | str] = [load_example(name) for name in EXAMPLES]
    bodies.append(load_example("m2-overactive-within-weeks") | {"age": 17})
    bodies.append(load_example("m1-weak-side-subtle") | {"age": 121})
    bodies.append({"age": 30, "sudden_weakness": "not_sure", "stroke_signs": "no"})
    bodies.append("{broken")
    return [bodies[i % len(bodies)] for i in range(32)]


def _post(base_url: str, body: dict[str, Any] | str) -> tuple[int, str]:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        text = body if isinstance(body, str) else json.dumps(body)
        connection.request(
            "POST", "/api/recommendation", text, {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[str]:
    with live_server(app) as url:
        yield url


@pytest.mark.slow
def test_32_concurrent_requests_match_sequential_ones(server: str) -> None:
    bodies = _requests()
    sequential = [_post(server, body) for body in bodies]
    assert {status for status, _ in sequential} == {200, 422}

    start = threading.Barrier(len(bodies))

    def together(body: dict[str, Any] | str) -> tuple[int, str]:
        start.wait(timeout=30)
        return _post(server, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        concurrent = list(pool.map(together, bodies))
    assert concurrent == sequential


# -- the pages without scripts ----------------------------------------------------------------


def post_page(client: FlaskClient, path: str, data: dict[str, Any]) -> tuple[int, str]:
    """POST a form as a browser does: it must answer 303 See Other to a page of this site
    with no query string (no answer ever travels in a URL); then GET that page."""
    response = client.post(path, data=with_token(client, data))
    assert response.status_code == 303, response.status_code
    location = response.location
    assert location.startswith("/") and "?" not in location, location
    shown = client.get(location)
    return shown.status_code, shown.get_data(as_text=True)


def submit(client: FlaskClient, page: PageForm, answers: dict[str, Any]) -> tuple[int, str]:
    return post_page(client, "/questionnaire", block_form(page, answers))


def first_page(client: FlaskClient) -> PageForm:
    response = client.get("/", follow_redirects=True)
    return read_page(response.get_data(as_text=True))


def walk(client: FlaskClient, answers: dict[str, Any]) -> tuple[PageForm, str, list[str]]:
    """Answer every page in turn, as a browser without scripts, then confirm the answers on
    the check page when it comes; return the last page."""
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    page, blocks = read_page(html), []
    while page.page == "questionnaire":
        blocks.append(page.block)
        assert len(blocks) < 20, f"the questionnaire does not move on: {blocks}"
        _, html = submit(client, page, answers)
        page = read_page(html)
        assert page.errors == {}, page.errors
    if page.page == "check":
        html = client.get("/result").get_data(as_text=True)
        page = read_page(html)
    return page, html, blocks


@pytest.mark.parametrize("name", EXAMPLES[:4])
def test_pages_reach_the_librarys_result(
    client: FlaskClient, recommender: Recommender, name: str
) -> None:
    answers = load_example(name)
    expected = recommender.recommend(answers)
    page, html, blocks = walk(client, answers)
    assert page.page == "result"
    assert f"Your next step: <strong>{escape(NEXT_STEP_WORDS[expected.pathway])}</strong>" in html
    asked = [q.block for q in recommender.questions() if q.field in answers]
    # A follow-up question (one with enable_when) comes on its own page of the same part.
    follow_ups = [q.block for q in recommender.questions() if q.field in answers and q.enable_when]
    assert list(dict.fromkeys(blocks)) == list(dict.fromkeys(asked))
    assert len(blocks) == len(dict.fromkeys(asked)) + len(follow_ups)
    positions = [html.index(str(escape(card.summary))) for card in expected.cards]
    assert positions == sorted(positions), "cards are shown in the library's order"
    view = recommender.for_client(expected)
    assert page.buttons == [
        card.booking
        for card in expected.cards
        if bookable(card.booking, view, recommender.rulebase.services, answers["age"])
    ]
    assert forbidden_text(html) == []


def test_adult_overactive_muscle_may_book_the_consultation(
    client: FlaskClient, recommender: Recommender
) -> None:
    page, _, _ = walk(client, load_example("m2-overactive-within-weeks"))
    assert injectables_codes(recommender) & set(page.buttons)


def test_under_18_pages_show_no_injectables_button(
    client: FlaskClient, recommender: Recommender
) -> None:
    page, html, _ = walk(client, load_example("m2-overactive-within-weeks") | {"age": 17})
    assert page.page == "result"
    for code in injectables_codes(recommender):
        assert code not in html


def test_stroke_signs_end_the_gate_page_without_scripts(client: FlaskClient) -> None:
    page, html, blocks = walk(client, {"age": 67, "stroke_signs": "yes"})
    assert blocks == ["gate"]
    assert page.page == "stop" and '<h1>Call <a class="tel" href="tel:999">999</a>' in html
    assert "<form" not in html and "<button" not in html


def test_a_mistyped_age_does_not_hide_a_stroke_warning(client: FlaskClient) -> None:
    form = {"block": "gate", "shown": ["age", "stroke_signs"], "age": "6o", "stroke_signs": "yes"}
    _, html = post_page(client, "/questionnaire", form)
    assert read_page(html).page == "stop"


def test_one_stopping_answer_ends_the_page_with_the_rest_unanswered(client: FlaskClient) -> None:
    """Without scripts, Continue with only the stroke question answered (and every other
    question of the safety page blank) goes straight to the red-flag message."""
    page = first_page(client)
    form = block_form(page, {"stroke_signs": "yes"})
    status, html = post_page(client, "/questionnaire", form)
    assert (status, read_page(html).page) == (200, "stop")
    assert 'href="tel:999"' in html
    assert client.get("/check-answers").location == "/result", "no check page after a stop"


def test_questions_carry_no_required_attribute(client: FlaskClient) -> None:
    """The browser never blocks Continue: a red flag must be sendable with the page unfinished."""
    html = first_page_html(client)
    assert " required" not in html and "novalidate" in html


def first_page_html(client: FlaskClient) -> str:
    return client.get("/", follow_redirects=True).get_data(as_text=True)


def test_a_blank_answer_is_asked_for_beside_its_question(client: FlaskClient) -> None:
    first = first_page(client)
    answers = load_example("m1-weak-side-subtle")
    del answers["eye_closure"]
    _, html = submit(client, first, answers)
    page = read_page(html)
    assert page.block == "gate" and list(page.errors) == ["eye_closure"]
    assert 'name="age"' in html
    assert 'value="45"' in html, "answers given are kept"
    # The error summary links to the first answer of the question.
    assert 'href="#input-eye_closure-1"' in html and 'id="input-eye_closure-1"' in html


def test_a_refused_value_is_shown_again_and_linked_from_the_summary(client: FlaskClient) -> None:
    answers = load_example("m1-weak-side-subtle") | {"age": 150}
    _, html = submit(client, first_page(client), answers)
    page = read_page(html)
    assert list(page.errors) == ["age"] and "0 to 120" in page.errors["age"]
    assert 'value="150"' in html and 'href="#input-age"' in html
    summary = html[html.index('href="#input-age"') : html.index("</a>", html.index("#input-age"))]
    assert "years? 150 is not allowed." in summary, "the question, then the problem"
    # Reloading shows the page as saved: the refused value was never kept.
    again = client.get("/questions/gate").get_data(as_text=True)
    assert read_page(again).errors == {} and 'value="150"' not in again


def test_bad_and_blank_answers_are_all_shown_in_one_pass(client: FlaskClient) -> None:
    answers = load_example("m1-weak-side-subtle") | {"regions": []}
    del answers["visible"], answers["movement"]
    page = read_page(submit(client, first_page(client), answers)[1])
    assert page.block == "concern"
    errors = read_page(submit(client, page, answers)[1]).errors
    assert set(errors) == {"regions", "visible", "movement"}
    assert errors["visible"] == "Please answer this question."


def test_a_follow_up_question_appears_after_its_answer_without_scripts(
    client: FlaskClient, recommender: Recommender
) -> None:
    answers = load_example("m1-weak-side-subtle") | {"first_noticed": "after_event"}
    page = first_page(client)
    while page.block != "course":
        page = read_page(submit(client, page, answers)[1])
    assert "event" in page.hidden_questions, "the follow-up waits for its answer"

    again = read_page(submit(client, page, answers)[1])
    assert again.block == "course" and again.errors == {}
    assert ("event", "choice") in again.questions, "now it is asked"

    answers["event"] = "weight_change"
    after = read_page(submit(client, again, answers)[1])
    assert after.page == "questionnaire" and after.block != "course"
    while after.page == "questionnaire":
        after = read_page(html := submit(client, after, answers)[1])
    assert after.page == "check"
    event = next(q for q in recommender.questions() if q.field == "event")
    label = next(o.label for o in event.options if o.value == "weight_change")
    assert f"<dt>{escape(event.text)}</dt>" in html
    assert f'<dd class="answer">{escape(label)}</dd>' in html


def test_the_page_script_is_told_when_to_stop(client: FlaskClient) -> None:
    def check(**answers: str) -> bool:
        form = {"block": "gate", "shown": list(answers), **answers}
        reply = client.post("/questionnaire/check", data=with_token(client, form)).get_json()
        assert isinstance(reply, dict)
        return bool(reply["stop"])

    assert check(age="67", stroke_signs="yes")
    assert check(age="not a number", stroke_signs="not_sure")
    assert not check(age="67", stroke_signs="no")
    assert not check(age="67")


def test_pages_are_private_and_load_nothing_from_elsewhere(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_clinics_own_rules_directory(rules_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for app in (create_app(rules=rules_copy), _app_from_environment(rules_copy, monkeypatch)):
        loaded: Recommender = app.extensions["facesym"].recommender
        try:
            assert loaded.rulebase.path.resolve() == rules_copy.resolve()
            assert app.test_client().get("/").status_code == 200
        finally:
            loaded.close()


def _app_from_environment(rules: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("FACESYM_RULES", str(rules))
    return create_app()


def test_a_faulty_rules_directory_stops_the_site_from_starting(rules_copy: Path) -> None:
    (rules_copy / "catalogue" / "services.yaml").write_text(
        "services: [not, a, mapping]\n", encoding="utf-8"
    )
    with pytest.raises(RuleBaseError):
        create_app(rules=rules_copy)


# -- the page's own safety checks ---------------------------------------------------------------


def _with_card(recommendation: Recommendation, **card: Any) -> Recommendation:
    extra = Card(
        id="extra",
        summary=card.get("summary", "A consultation about injectable options."),
        detail=card.get("detail", "Talk it through face to face."),
        indicator="info",
        source=[],
        booking=card.get("booking"),
    )
    return recommendation.model_copy(update={"cards": [extra, *recommendation.cards]})


def _submit_result(
    client: FlaskClient,
    recommender: Recommender,
    monkeypatch: pytest.MonkeyPatch,
    made: Recommendation,
    age: int,
) -> str:
    """Walk the pages for a person of `age` while the library answers with `made`."""
    monkeypatch.setattr(recommender, "recommend", lambda answers: made)
    _, html, _ = walk(client, load_example("m1-weak-side-subtle") | {"age": age})
    return html


def test_no_injectables_button_under_18_even_if_a_rule_base_offered_one(
    client: FlaskClient, recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = sorted(injectables_codes(recommender))[0]
    made = _with_card(recommender.recommend(load_example("m1-weak-side-subtle")), booking=code)
    assert code not in _submit_result(client, recommender, monkeypatch, made, age=17)
    assert f'data-service="{code}"' in _submit_result(
        client, recommender, monkeypatch, made, age=18
    )


def test_no_booking_beside_a_red_flag_even_if_a_card_carried_one(
    client: FlaskClient, recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    red = recommender.recommend({"age": 67, "stroke_signs": "yes"})
    made = _with_card(red, booking="EX-COACH", summary="Learn some exercises.")
    html = _submit_result(client, recommender, monkeypatch, made, age=40)
    assert 'data-page="stop"' in html and "<button" not in html and "<form" not in html


@pytest.mark.parametrize("detail", ["Ask about Botox at the clinic.", "Book EX-COACH now."])
def test_a_result_naming_a_medicine_or_a_code_is_withheld_from_page_and_api(
    client: FlaskClient, recommender: Recommender, monkeypatch: pytest.MonkeyPatch, detail: str
) -> None:
    base = recommender.recommend(load_example("m1-weak-side-subtle"))
    made = _with_card(base, detail=detail)
    html = _submit_result(client, recommender, monkeypatch, made, age=40)
    assert 'data-page="withheld"' in html
    assert detail not in html and "<button" not in html
    status, body = post_json(client, "/api/recommendation", load_example("m1-weak-side-subtle"))
    assert status == 500 and set(body) == {"error"}


def test_a_result_naming_a_medicine_is_withheld(
    client: FlaskClient, recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = recommender.recommend(load_example("m1-weak-side-subtle"))
    made = _with_card(base, detail="Ask about Botox at the clinic.")
    html = _submit_result(client, recommender, monkeypatch, made, age=40)
    assert 'data-page="withheld"' in html
    assert "Botox" not in html and "<button" not in html


@pytest.mark.parametrize(
    ("age", "adult"),
    [(18, True), (45, True), (17, False), (None, False), (True, False), ("30", False)],
)
def test_only_a_whole_number_age_of_18_or_more_is_adult(age: object, adult: bool) -> None:
    assert is_adult(age) is adult


def test_bookable_checks_code_age_and_red_flags(recommender: Recommender) -> None:
    services = recommender.rulebase.services
    code = sorted(injectables_codes(recommender))[0]
    result = recommender.for_client(recommender.recommend(load_example("m1-weak-side-subtle")))
    red = recommender.for_client(recommender.recommend({"age": 67, "stroke_signs": "yes"}))
    assert bookable(code, result, services, 30) is services[code]
    assert bookable(code, result, services, 17) is None
    assert bookable(code, red, services, 30) is None
    assert bookable("NO-SUCH-CODE", result, services, 30) is None
    assert bookable(None, result, services, 30) is None


@pytest.mark.parametrize(
    ("injectables", "age", "status"),
    [(True, "30", 200), (True, "17", 403), (True, None, 403), (False, None, 200)],
)
def test_the_booking_step_refuses_injectables_for_under_18s(
    client: FlaskClient,
    recommender: Recommender,
    injectables: bool,
    age: str | None,
    status: int,
) -> None:
    """The age is the one kept with the answers; an age field in the booking form is ignored."""
    services = recommender.rulebase.services
    code = sorted(code for code, s in services.items() if s.injectables is injectables)[0]
    if age is not None:
        with client.session_transaction() as session:
            session["answers"] = {"age": int(age)}
    status_shown, _ = post_page(client, "/book", {"service": code, "age": "40"})
    assert status_shown == status


def test_an_unknown_service_cannot_be_booked(client: FlaskClient) -> None:
    assert post_page(client, "/book", {"service": "NO-SUCH-SERVICE"})[0] == 404


def test_forbidden_text_finds_names_and_prices() -> None:
    assert forbidden_text("Ask about BOTOX today") == ["BOTOX"]
    assert forbidden_text("from £199") == ["£1"]
    assert forbidden_text("a consultation about injectable options") == []


def test_json_422_still_carries_a_red_flag_in_the_valid_answers(client: FlaskClient) -> None:
    status, body = post_json(client, "/api/recommendation", {"age": "abc", "stroke_signs": "yes"})
    assert status == 422
    assert [error["field"] for error in body["errors"]] == ["age"]
    assert body["red_flag"]["get_help_now"] is True
    assert not CLINICIAN_ONLY & set(body["red_flag"])
    assert all(card["booking"] is None for card in body["red_flag"]["cards"])


def test_an_unexpected_answers_error_is_shown_by_question_not_by_field_name(
    client: FlaskClient, recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(answers: object) -> Recommendation:
        raise AnswersError([FieldProblem("first_noticed", "'soon' is not an allowed value")])

    page, _, _ = walk(client, load_example("m1-weak-side-subtle"))  # the real library
    assert page.page == "result"
    monkeypatch.setattr(recommender, "recommend", refuse)
    response = client.get("/result")
    assert response.status_code == 303
    html = client.get(response.location).get_data(as_text=True)
    question = next(q for q in recommender.questions() if q.field == "first_noticed")
    assert read_page(html).block == recommender.questions()[0].block
    assert 'class="general-error"' in html
    assert str(escape(question.text)) in html and "first_noticed:" not in html
    assert client.get("/check-answers").location.startswith("/questions/"), "answers forgotten"
