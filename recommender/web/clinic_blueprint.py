"""The clinician's pages under /clinic/, as a blueprint beside the client pages.

Every view but the sign-in page needs a signed-in clinic account; every form carries the
session's token; the same privacy headers as the client pages (no caching, no framing).
"""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from recommender.records import ConsultStore

from . import clinic_auth, clinic_pages, csrf
from .headers import private_headers
from .login_limit import LoginLimiter

CLINIC_NAME = "facesym_clinic"


def clinic_blueprint(records: ConsultStore, limiter: LoginLimiter | None = None) -> Blueprint:
    """The /clinic/ pages over this store (mount with url_prefix="/clinic"), beside a
    `booking_blueprint` of the same app (they share its recommender and page layout)."""
    blueprint = Blueprint(CLINIC_NAME, __name__, template_folder="templates")
    counter = limiter or LoginLimiter()

    def install(state: BlueprintSetupState) -> None:
        state.app.extensions[clinic_auth.STORE] = records
        state.app.extensions[clinic_auth.LIMITER] = counter

    blueprint.record_once(install)
    blueprint.context_processor(
        lambda: {"csrf_field": csrf.TOKEN_FIELD, "csrf_token": csrf.form_token}
    )

    @blueprint.before_request
    def guard() -> Response | tuple[str, int] | None:
        refused = clinic_auth.require_sign_in()
        if refused is not None:
            return refused
        if request.method == "POST" and not csrf.form_token_matches():
            return csrf.refused_form(url_for(".login"))
        return None

    blueprint.after_request(private_headers)
    add = blueprint.add_url_rule
    add("/login", "login", clinic_auth.login, methods=["GET"])
    add("/login", "sign_in", clinic_auth.sign_in, methods=["POST"])
    add("/logout", "sign_out", clinic_auth.sign_out, methods=["POST"])
    add("/", "consults", clinic_pages.consults, methods=["GET"])
    add("/consults/<reference>", "consult", clinic_pages.consult, methods=["GET"])
    add("/consults/<reference>/consult.json", "consult_json", clinic_pages.consult_json)
    add("/consults/<reference>/fhir.json", "consult_fhir", clinic_pages.consult_fhir)
    add("/access-log", "access_log", clinic_pages.access_log, methods=["GET"])
    return blueprint
