"""A consult's answers as an HL7 FHIR R4 `QuestionnaireResponse`, and back again.

The response mirrors the `Questionnaire` of `fhir_questionnaire`: the same groups, each
answered question by its field name, each answer as that questionnaire codes it. It holds
only the answers: no name, date of birth or other identifier of the person, because the
questionnaire asks for none (the age in years is an answer like any other).

A list answer is one `answer` per chosen value; a list left empty (no allergies, say) is the
question's item with no `answer`, so "none of these" stays apart from "not asked". A follow-up
that was not asked has no item at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ..contract.fields import field_specs
from ..contract.recommendation import RuleBaseInfo
from ..intake.answers import parse_answers
from ..intake.questions import Question
from ..rulebase.conditions import predicate
from ..rulebase.schema import FieldTest
from .fhir_questionnaire import (
    FIELD_SYSTEM_PREFIX,
    Json,
    by_field,
    canonical,
    coding,
    field_system,
    group_link_id,
)


def questionnaire_response(
    questions: Sequence[Question],
    rulebase: RuleBaseInfo,
    answers: Mapping[str, Any],
    authored: datetime | None = None,
) -> Json:
    """The QuestionnaireResponse for `answers` (checked again here, like any answers).

    `questions` should be `Recommender.questions(include_clinician=True)`: when the answers
    hold a clinician's answer (the assessed cause) the response answers the clinician's
    variant of the questionnaire, otherwise the client's. `status` is `completed` for a
    complete questionnaire and `in-progress` for one not finished (which `recommend` accepts
    only when a red flag ended it early). `authored` must carry a time zone; it defaults to
    now, in UTC. An answer to a question these answers skip (`ask_when`: given anyway, as a v1
    questionnaire does) is left out, since FHIR allows no answer to a disabled item; `facesym
    verify` proves such an answer changes nothing.
    """
    values = parse_answers(dict(answers))
    fields = by_field(questions)
    unasked = [name for name in values.values if name not in fields]
    if unasked:
        raise ValueError(f"answers to fields with no question here: {', '.join(unasked)}")
    clinician = any(fields[name].for_clinician for name in values.values)
    asked = [q for q in questions if clinician or not q.for_clinician]
    when = authored or datetime.now(UTC)
    if when.utcoffset() is None:
        raise ValueError("authored needs a time zone (FHIR dateTime with a time requires one)")
    given = {k: v for k, v in values.values.items() if _is_asked(fields[k], values.values)}
    groups = [_group(block, asked, given) for block in dict.fromkeys(q.block for q in asked)]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(rulebase, include_clinician=clinician),
        "status": "completed" if values.complete else "in-progress",
        "authored": when.isoformat(timespec="seconds"),
        "item": [group for group in groups if group["item"]],
    }


def _is_asked(question: Question, answers: Mapping[str, Any]) -> bool:
    """False for a question whose `ask_when` test fails on these answers."""
    if question.ask_when is None:
        return True
    return predicate(FieldTest.model_validate(question.ask_when))(answers)


def _group(block: str, questions: Sequence[Question], answers: Mapping[str, Any]) -> Json:
    members = [q for q in questions if q.block == block]
    return {
        "linkId": group_link_id(block),
        "text": members[0].block_title,
        "item": [_item(q, answers[q.field]) for q in members if q.field in answers],
    }


def _item(question: Question, value: Any) -> Json:
    item: Json = {"linkId": question.field, "text": question.text}
    chosen = value if isinstance(value, list) else [value]
    if chosen:
        item["answer"] = [_answer(question, one) for one in chosen]
    return item


def _answer(question: Question, value: Any) -> Json:
    if question.kind == "boolean":
        return {"valueBoolean": value}
    if question.kind == "integer":
        return {"valueInteger": value}
    labels = {option.value: option.label for option in question.options}
    return {"valueCoding": coding(question.field, value, labels[value])}


def answers_from_response(response: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a QuestionnaireResponse of `questionnaire_response` holds, in the
    contract's field order (for a consult record read back from FHIR).

    Raises ValueError naming the linkId for an item that is not a facesym field or an
    answer not coded as this module codes it; the answers still need `parse_answers`.
    """
    found: dict[str, Any] = {}
    for group in response.get("item", []):
        for item in group.get("item", []):
            field = item["linkId"]
            found[field] = _read_item(field, item.get("answer", []))
    order = list(field_specs())
    return dict(sorted(found.items(), key=lambda pair: order.index(pair[0])))


def _read_item(field: str, answers: Sequence[Mapping[str, Any]]) -> Any:
    spec = field_specs().get(field)
    if spec is None:
        raise ValueError(f"item {field!r} is not a questionnaire field")
    values = [_read_answer(field, spec.kind, answer) for answer in answers]
    if spec.kind == "multi":
        return values
    if len(values) != 1:
        raise ValueError(f"item {field!r} needs exactly one answer, not {len(values)}")
    return values[0]


def _read_answer(field: str, kind: str, answer: Mapping[str, Any]) -> Any:
    if kind == "boolean" and "valueBoolean" in answer:
        return answer["valueBoolean"]
    if kind == "integer" and "valueInteger" in answer:
        return answer["valueInteger"]
    code = answer.get("valueCoding", {})
    if kind in ("choice", "multi") and code.get("system") == field_system(field):
        return code.get("code")
    raise ValueError(
        f"item {field!r}: expected a {kind} answer"
        + (f" coded in {FIELD_SYSTEM_PREFIX}{field}" if kind in ("choice", "multi") else "")
    )
