"""The clinician's pages under /clinic/ (issue 14), on SQLite and PostgreSQL: sign-in with
argon2 accounts, rate-limited; every page refused to anyone not signed in; the consult
list and one consult's summary and exports; the access log for admins; tokens on forms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from recommender import Recommender
from recommender.interop.consult_export import consult_record
from recommender.interop.fhir_response import answers_from_response
from recommender.records import ConsultStore, User, new_key
from recommender.views.clinician import CATEGORY_WORDS
from recommender.web import create_app
from recommender.web.clinic_auth import CLINIC_SESSION
from recommender.web.csrf import TOKEN_FIELD

from .booking_site.forms import read_page, session_token
from .conftest import load_example
from .records_support import BACKENDS, PASSWORD, Clock, consent, fresh_database, open_store

CLINIC_VIEWS = "facesym_clinic."
OPEN = {"facesym_clinic.login", "facesym_clinic.sign_in"}


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path: Path, recommender: Recommender
) -> Iterator[ConsultStore]:
    url = fresh_database(request.param, tmp_path)
    with open_store(url, new_key(), recommender, Clock()) as opened:
        yield opened


@pytest.fixture
def app(store: ConsultStore, recommender: Recommender) -> Flask:
    return create_app(recommender=recommender, records=store)


@pytest.fixture
def admin(store: ConsultStore) -> User:
    return store.add_user("admin.sam", PASSWORD, "admin")


@pytest.fixture
def clinician(store: ConsultStore) -> User:
    return store.add_user("nurse.jo", PASSWORD, "clinician")


def saved(store: ConsultStore, recommender: Recommender, example: str) -> str:
    answers = load_example(example)
    return store.save_consult(answers, recommender.recommend(answers), consent(Clock()))


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD) -> Any:
    token = session_token(client, "/clinic/login")
    return client.post(
        "/clinic/login", data={"name": name, "password": password, TOKEN_FIELD: token}
    )


def shown(reference: str) -> str:
    return f"{reference[:5]}-{reference[5:]}"


# -- refused to anyone not signed in ----------------------------------------------------------


def test_every_clinic_url_refuses_an_anonymous_request(
    app: Flask, store: ConsultStore, recommender: Recommender
) -> None:
    reference = saved(store, recommender, "m1-weak-side-subtle")
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(CLINIC_VIEWS)]
    assert len(rules) >= 7
    client = app.test_client()
    for rule in rules:
        if rule.endpoint in OPEN:
            continue
        path = rule.rule.replace("<reference>", shown(reference))
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.open(path, method=method, data={TOKEN_FIELD: session_token(client)})
            assert response.status_code == 303, (method, path)
            assert response.location == "/clinic/login", (method, path)
            assert shown(reference) not in response.get_data(as_text=True)


def test_a_clients_reference_opens_nothing_but_their_own_result(
    app: Flask, store: ConsultStore, recommender: Recommender
) -> None:
    other = saved(store, recommender, "m2-overactive-within-weeks")
    client = app.test_client()
    with client.session_transaction() as session:  # a client who consented: their own ref
        session["answers"] = load_example("m1-weak-side-subtle")
        session["consent"] = "given"
        session["reference"] = saved(store, recommender, "m1-weak-side-subtle")
        own = session["reference"]
    result = client.get(f"/result?reference={shown(other)}").get_data(as_text=True)
    assert shown(own) in result and shown(other) not in result
    for path in (f"/clinic/consults/{shown(own)}", f"/clinic/consults/{shown(other)}"):
        assert client.get(path).location == "/clinic/login"


# -- signing in -------------------------------------------------------------------------------


def test_sign_in_opens_the_list_and_sign_out_closes_it(app: Flask, clinician: User) -> None:
    client = app.test_client()
    response = sign_in(client, clinician.name)
    assert response.status_code == 303 and response.location == "/clinic/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/clinic/").status_code == 200
    token = session_token(client)
    assert client.post("/clinic/logout", data={TOKEN_FIELD: token}).location == "/clinic/login"
    assert client.get("/clinic/").location == "/clinic/login"


def test_a_wrong_password_is_refused_without_saying_which_part(app: Flask, clinician: User) -> None:
    client = app.test_client()
    for name, password in ((clinician.name, "not the password"), ("nobody", PASSWORD)):
        response = sign_in(client, name, password)
        assert response.status_code == 401
        assert "The account name or password is not right." in response.get_data(as_text=True)
    assert client.get("/clinic/").location == "/clinic/login"


def test_failed_sign_ins_are_rate_limited(app: Flask, clinician: User) -> None:
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, clinician.name, "guess guess guess").status_code == 401
    blocked = sign_in(client, clinician.name)  # even the right password, for now
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert client.get("/clinic/").location == "/clinic/login"


def test_a_sign_in_form_without_its_token_is_refused(app: Flask, clinician: User) -> None:
    client = app.test_client()
    session_token(client, "/clinic/login")
    response = client.post("/clinic/login", data={"name": clinician.name, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/clinic/").location == "/clinic/login"


def test_a_sign_in_lasts_a_working_day(app: Flask, clinician: User) -> None:
    client = app.test_client()
    sign_in(client, clinician.name)
    with client.session_transaction() as session:
        old = datetime.now(UTC) - timedelta(hours=9)
        session[CLINIC_SESSION] = session[CLINIC_SESSION] | {"since": old.isoformat()}
    assert client.get("/clinic/").location == "/clinic/login"


def test_a_removed_or_changed_account_is_refused(
    app: Flask, clinician: User, store: ConsultStore
) -> None:
    client = app.test_client()
    sign_in(client, clinician.name)
    with client.session_transaction() as session:
        session[CLINIC_SESSION] = session[CLINIC_SESSION] | {"role": "admin"}  # not its role
    assert client.get("/clinic/").status_code == 403


# -- the list, the summary, the exports, the access log ---------------------------------------


def test_the_list_is_newest_first_filtered_with_red_flags_marked(
    app: Flask, store: ConsultStore, recommender: Recommender, clinician: User
) -> None:
    first = saved(store, recommender, "m1-weak-side-subtle")
    stroke = saved(store, recommender, "stroke-signs-stopped-at-gate")
    client = app.test_client()
    sign_in(client, clinician.name)
    html = client.get("/clinic/").get_data(as_text=True)
    assert html.index(shown(stroke)) < html.index(shown(first))
    row = html[html.index(f'data-reference="{shown(stroke)}"') :]
    assert 'class="red-flag"' in html and "Red flag: " in row.split("</tr>")[0]
    exercise = client.get("/clinic/?pathway=exercise_programme").get_data(as_text=True)
    assert shown(first) in exercise and shown(stroke) not in exercise
    urgent = client.get("/clinic/?urgency=emergency").get_data(as_text=True)
    assert shown(stroke) in urgent and shown(first) not in urgent


def test_a_bad_filter_names_the_field_and_its_values(app: Flask, clinician: User) -> None:
    client = app.test_client()
    sign_in(client, clinician.name)
    response = client.get("/clinic/?pathway=surgery")
    assert response.status_code == 400
    assert "pathway" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_one_consult_has_everything_the_prescriber_needs(
    app: Flask, store: ConsultStore, recommender: Recommender, clinician: User, admin: User
) -> None:
    answers = load_example("m2-overactive-within-weeks")
    reference = saved(store, recommender, "m2-overactive-within-weeks")
    full = recommender.recommend(answers)
    summary = recommender.clinician_summary(full)
    client = app.test_client()
    sign_in(client, clinician.name)
    html = client.get(f"/clinic/consults/{shown(reference).lower()}").get_data(as_text=True)
    assert read_page(html).page == "clinic-consult"
    assert str(escape(CATEGORY_WORDS[full.category])) in html
    for option in full.injectable_options:
        assert option in html
    for caution in summary.cautions:
        assert str(escape(caution.text)) in html
    for firing in full.explanation:
        assert f'data-rule="{firing.rule}"' in html
        assert str(escape(firing.rationale)) in html
    assert str(escape(summary.rulebase)) in html
    layout = app.extensions["facesym"].layout
    asked = [b.title for b in layout.blocks if any(f in answers for f in b.fields)]
    positions = [html.index(f"<h3>{escape(title)}</h3>") for title in asked]
    assert positions == sorted(positions), "answers grouped as the questionnaire asks them"
    views = [e for e in store.access_log(admin, reference) if e.action == "view"]
    assert [e.user for e in views] == [clinician.name]


def test_an_unknown_reference_is_a_404(app: Flask, clinician: User) -> None:
    client = app.test_client()
    sign_in(client, clinician.name)
    assert client.get("/clinic/consults/00000-00000").status_code == 404
    assert client.get("/clinic/consults/not-a-reference").status_code == 404


def test_the_exports_are_the_record_as_json_and_fhir(
    app: Flask, store: ConsultStore, recommender: Recommender, clinician: User
) -> None:
    answers = load_example("m1-weak-side-subtle")
    reference = saved(store, recommender, "m1-weak-side-subtle")
    client = app.test_client()
    sign_in(client, clinician.name)
    exported = client.get(f"/clinic/consults/{shown(reference)}/consult.json")
    assert exported.mimetype == "application/json"
    assert "attachment" in exported.headers["Content-Disposition"]
    body = exported.get_json()
    expected = consult_record(answers, recommender.recommend(answers))
    assert {k: body[k] for k in expected} == expected
    assert body["reference"] == shown(reference)
    fhir = client.get(f"/clinic/consults/{shown(reference)}/fhir.json")
    assert fhir.mimetype == "application/fhir+json"
    response = fhir.get_json(force=True)
    assert response["resourceType"] == "QuestionnaireResponse"
    assert answers_from_response(response) == expected["answers"]


def test_the_access_log_is_for_admins(
    app: Flask, store: ConsultStore, recommender: Recommender, clinician: User, admin: User
) -> None:
    reference = saved(store, recommender, "m1-weak-side-subtle")
    nurse = app.test_client()
    sign_in(nurse, clinician.name)
    nurse.get(f"/clinic/consults/{shown(reference)}")
    assert nurse.get("/clinic/access-log").status_code == 403
    boss = app.test_client()
    sign_in(boss, admin.name)
    html = boss.get("/clinic/access-log").get_data(as_text=True)
    assert read_page(html).page == "clinic-access-log"
    assert clinician.name in html and shown(reference) in html and "view" in html


def test_the_development_banner_is_on_the_clinic_pages_too(
    store: ConsultStore, recommender: Recommender
) -> None:
    banner = "Development mode, not for clients: 3 rules are not signed off."
    client = create_app(recommender=recommender, records=store, banner=banner).test_client()
    assert banner in client.get("/clinic/login").get_data(as_text=True)
    assert banner in client.get("/").get_data(as_text=True)
