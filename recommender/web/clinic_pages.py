"""The clinician's pages: the consult list, one consult's summary and exports, the access log.

Clinician data (category, options, cautions, fired rules) is shown here and nowhere else,
and only to a signed-in account; every record shown, in the list or alone, is written to
the access log by the store itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, render_template, request

from recommender.contract.recommendation import PATHWAYS, URGENCIES
from recommender.interop.consult_export import consult_record
from recommender.interop.fhir_export import fhir_response
from recommender.records import NotAllowedError, RecordNotFoundError, RecordsError, User
from recommender.records.record import ConsultRecord

from .clinic_auth import signed_in, store
from .layout import Layout
from .review import answer_words
from .shared import site


@dataclass(frozen=True)
class AnswerGroup:
    """One part of the questionnaire, as it was asked, with the answers given in it."""

    title: str
    rows: list[tuple[str, str]]


def viewer() -> User:
    user = signed_in()
    assert user is not None, "clinic views run only after require_sign_in"
    return user


def answer_groups(layout: Layout, answers: Mapping[str, Any]) -> list[AnswerGroup]:
    """The answers grouped by the questionnaire's parts, in its order; any answer no part
    shows (the clinician's own assessment) last, under its field name."""
    groups, shown = [], set()
    for block in layout.blocks:
        rows = []
        for question in block.questions:
            if question.field in answers:
                rows.append(
                    (question.question.text, answer_words(question, answers[question.field]))
                )
                shown.add(question.field)
        if rows:
            groups.append(AnswerGroup(block.title, rows))
    other = [(name, json.dumps(value)) for name, value in answers.items() if name not in shown]
    if other:
        groups.append(AnswerGroup("Other answers", other))
    return groups


def consults() -> tuple[str, int]:
    """Current consults, newest first, filtered by pathway and urgency; red flags marked."""
    pathway = request.args.get("pathway") or None
    urgency = request.args.get("urgency") or None
    problem = None
    try:
        lines = store().list_consults(viewer(), pathway=pathway, urgency=urgency)
    except NotAllowedError:
        abort(403)
    except RecordsError as error:
        lines, problem = [], str(error)
    page = render_template(
        "facesym/clinic/consults.html",
        lines=lines,
        pathways=PATHWAYS,
        urgencies=URGENCIES,
        pathway=pathway,
        urgency=urgency,
        problem=problem,
        user=viewer(),
    )
    return page, 400 if problem else 200


def _read(reference: str) -> ConsultRecord:
    try:
        return store().read_consult(reference, viewer())
    except RecordNotFoundError:
        abort(404)
    except NotAllowedError:
        abort(403)


def consult(reference: str) -> str:
    """One consult's summary, printable (each view is in the access log)."""
    record = _read(reference)
    summary = site().recommender.clinician_summary(record.recommendation)
    return render_template(
        "facesym/clinic/consult.html",
        record=record,
        summary=summary,
        groups=answer_groups(site().layout, record.answers),
        user=viewer(),
    )


def _download(data: object, name: str, mimetype: str) -> Response:
    response = Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def consult_json(reference: str) -> Response:
    """The record as `consult_export.consult_record` gives it, plus its reference and consent."""
    record = _read(reference)
    data = consult_record(record.answers, record.recommendation)
    data["reference"] = record.shown_as
    data["consent"] = {
        "given_at": record.consent.given_at.isoformat(),
        "wording_version": record.consent.wording_version,
        "wording_sha256": record.consent.wording_sha256,
    }
    return _download(data, f"consult-{record.shown_as}.json", "application/json")


def consult_fhir(reference: str) -> Response:
    """The answers as a FHIR R4 QuestionnaireResponse, authored when consent was given."""
    record = _read(reference)
    data = fhir_response(site().recommender, record.answers, authored=record.consent.given_at)
    return _download(data, f"consult-{record.shown_as}.fhir.json", "application/fhir+json")


def access_log() -> str:
    """Who viewed, listed, erased or purged which record, and when: for admins only."""
    try:
        entries = store().access_log(viewer())
    except NotAllowedError:
        abort(403)
    return render_template("facesym/clinic/access_log.html", entries=entries, user=viewer())
