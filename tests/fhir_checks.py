"""Checks that an exported resource is valid FHIR R4 (4.0.1), for the FHIR export tests.

Two model libraries parse every resource, and each must accept it:

- `fhirclient` (SMART Health IT), whose models are generated from FHIR 4.0.1 itself: it
  refuses an element R4 does not define, a missing required element and a wrong type.
- `fhir.resources` (pydantic 2), through its R4B models: it also refuses malformed primitives
  (a dateTime, a code with spaces) and two `value[x]` choices at once. Its releases that
  modelled plain R4 (6.x) need pydantic 1, which cannot sit beside this project's pydantic 2.
  R4B is not R4 in general, so `test_r4b_models_have_the_r4_elements` checks that for the two
  resources used here both libraries know exactly the same elements.

Neither library checks bindings or invariants, so the R4 code sets of the coded elements we
write and the invariants that can apply (que-*, qrs-*) are checked here, and a response is
checked against its questionnaire (links, options, cardinality, enableWhen).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire as R4BQuestionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as R4BQuestionnaireResponse,
)
from fhirclient.models.questionnaire import Questionnaire as R4Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse as R4Response

Json = Mapping[str, Any]

# R4 value sets (hl7.org/fhir/R4): publication-status, item-type, questionnaire-enable-operator,
# questionnaire-enable-behavior, questionnaire-answers-status.
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string",
    "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip
ENABLE_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
ENABLE_BEHAVIOURS = {"all", "any"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
NAME_PATTERN = re.compile(r"[A-Z]([A-Za-z0-9_]){0,254}")  # que-0


class InvalidResourceError(AssertionError):
    """The resource breaks FHIR R4; the message says where."""


def walk(items: list[Json], depth: int = 0) -> Iterator[tuple[Json, int]]:
    """Every item of a Questionnaire or response (answers' nested items too), with depth."""
    for item in items:
        yield item, depth
        yield from walk(item.get("item", []), depth + 1)
        for answer in item.get("answer", []):
            yield from walk(answer.get("item", []), depth + 1)


def _parse_with_models(resource: Json, r4: Any, r4b: Any) -> None:
    try:
        r4(dict(resource), strict=True)
    except Exception as error:  # fhirclient raises FHIRValidationError or TypeError
        raise InvalidResourceError(f"fhirclient (R4 4.0.1) refused it: {error}") from error
    try:
        r4b.model_validate(dict(resource))
    except Exception as error:
        raise InvalidResourceError(f"fhir.resources (R4B) refused it: {error}") from error


def check_questionnaire(resource: Json) -> None:
    """Raise `InvalidResourceError` unless `resource` is a valid R4 Questionnaire."""
    _parse_with_models(resource, R4Questionnaire, R4BQuestionnaire)
    problems: list[str] = []
    if resource["status"] not in PUBLICATION_STATUS:
        problems.append(f"status {resource['status']!r}")
    if "name" in resource and not NAME_PATTERN.fullmatch(resource["name"]):
        problems.append(f"que-0: name {resource['name']!r}")
    items = [item for item, _ in walk(resource.get("item", []))]
    link_ids = [item["linkId"] for item in items]
    repeated = {link for link in link_ids if link_ids.count(link) > 1}
    if repeated:
        problems.append(f"que-2: linkIds used more than once: {sorted(repeated)}")
    by_link = dict(zip(link_ids, items, strict=True))
    for item in items:
        problems += [f"{item['linkId']}: {p}" for p in _item_problems(item, by_link)]
    if problems:
        raise InvalidResourceError("; ".join(problems))


def _item_problems(item: Json, by_link: Mapping[str, Json]) -> list[str]:
    kind = item["type"]
    problems = [] if kind in ITEM_TYPES else [f"type {kind!r} is not an R4 item type"]
    if kind == "group" and not item.get("item"):
        problems.append("que-1: a group needs items")
    if kind == "display" and (item.get("item") or "required" in item or "repeats" in item):
        problems.append("que-1/que-6: a display item has no items, required or repeats")
    if "answerOption" in item and kind not in ("choice", "open-choice"):
        problems.append("que-5: answerOption on a non-choice item")
    conditions = item.get("enableWhen", [])
    if len(conditions) > 1 and item.get("enableBehavior") not in ENABLE_BEHAVIOURS:
        problems.append("que-12: several enableWhen need enableBehavior")
    for condition in conditions:
        if condition["operator"] not in ENABLE_OPERATORS:
            problems.append(f"enableWhen operator {condition['operator']!r}")
        target = by_link.get(condition["question"])
        if target is None:
            problems.append(f"enableWhen names no item {condition['question']!r}")
        elif "answerCoding" in condition and condition["answerCoding"] not in [
            _bare(option["valueCoding"]) for option in target.get("answerOption", [])
        ]:
            problems.append(f"enableWhen code {condition['answerCoding']} is not an option")
    return problems


def _bare(coding: Json) -> dict[str, Any]:
    return {"system": coding["system"], "code": coding["code"]}


def check_response(resource: Json, questionnaire: Json) -> None:
    """Raise `InvalidResourceError` unless `resource` is a valid R4 QuestionnaireResponse that
    answers `questionnaire` as FHIR requires (same items, options, cardinality, enableWhen)."""
    _parse_with_models(resource, R4Response, R4BQuestionnaireResponse)
    problems: list[str] = []
    if resource["status"] not in RESPONSE_STATUS:
        problems.append(f"status {resource['status']!r}")
    expected = f"{questionnaire['url']}|{questionnaire['version']}"
    if resource["questionnaire"] != expected:
        problems.append(f"questionnaire {resource['questionnaire']!r}, expected {expected!r}")
    for item, _ in walk(resource.get("item", [])):
        if item.get("item") and item.get("answer"):
            problems.append(f"qrs-1: {item['linkId']} has both items and answers")
    answered = _answers_by_link(resource)
    problems += _conformance(questionnaire.get("item", []), resource.get("item", []), answered)
    if resource["status"] == "completed":
        problems += _missing_required(questionnaire.get("item", []), answered)
    if problems:
        raise InvalidResourceError("; ".join(problems))


def _answers_by_link(resource: Json) -> dict[str, list[Json]]:
    return {
        item["linkId"]: item.get("answer", [])
        for item, _ in walk(resource.get("item", []))
        if "item" not in item
    }


def _conformance(
    defined: list[Json], given: list[Json], answered: Mapping[str, list[Json]]
) -> list[str]:
    """Each response item matches a questionnaire item at the same level, in order, that is
    enabled by the answers, and its answers are what that item allows."""
    by_link = {item["linkId"]: item for item in defined}
    order = [item["linkId"] for item in defined]
    problems: list[str] = []
    positions = [order.index(item["linkId"]) for item in given if item["linkId"] in by_link]
    if positions != sorted(positions):
        problems.append(f"items out of the questionnaire's order: {[i['linkId'] for i in given]}")
    for item in given:
        definition = by_link.get(item["linkId"])
        if definition is None:
            problems.append(f"{item['linkId']} is not an item of the questionnaire here")
            continue
        if item.get("text") != definition.get("text"):
            problems.append(f"{item['linkId']}: text differs from the questionnaire's")
        if not _enabled(definition, answered):
            problems.append(f"{item['linkId']} is answered but not enabled")
        problems += _answer_problems(definition, item.get("answer", []))
        questions = [child for child in definition.get("item", []) if child["type"] != "display"]
        problems += _conformance(questions, item.get("item", []), answered)
    return problems


def _answer_problems(definition: Json, answers: list[Json]) -> list[str]:
    link, kind = definition["linkId"], definition["type"]
    problems = []
    if len(answers) > 1 and not definition.get("repeats"):
        problems.append(f"{link}: several answers to an item that does not repeat")
    value_key = {"choice": "valueCoding", "integer": "valueInteger", "boolean": "valueBoolean"}
    options = [option["valueCoding"] for option in definition.get("answerOption", [])]
    for answer in answers:
        keys = [key for key in answer if key.startswith("value")]
        if keys != [value_key.get(kind)]:
            problems.append(f"{link}: answer {keys} for a {kind} item")
        elif kind == "choice" and answer["valueCoding"] not in options:
            problems.append(f"{link}: {answer['valueCoding']} is not one of its options")
        elif kind == "integer":
            problems += _bound_problems(definition, answer["valueInteger"])
    return problems


def _bound_problems(definition: Json, value: int) -> list[str]:
    bounds = {ext["url"].rsplit("/", 1)[1]: ext["valueInteger"] for ext in definition["extension"]}
    if not bounds["minValue"] <= value <= bounds["maxValue"]:
        return [f"{definition['linkId']}: {value} is outside its minValue..maxValue"]
    return []


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "!=": operator.ne,
}


def _enabled(definition: Json, answered: Mapping[str, list[Json]]) -> bool:
    """Whether an item is enabled (R4 enableWhen: "=" on any answer, and the comparisons on
    a number, as exported here)."""
    conditions = definition.get("enableWhen", [])
    if not conditions:
        return True
    results = []
    for condition in conditions:
        wanted = {key: value for key, value in condition.items() if key.startswith("answer")}
        given = answered.get(condition["question"], [])
        if condition["operator"] in _COMPARE:
            compare = _COMPARE[condition["operator"]]
            number = wanted["answerInteger"]
            results.append(any(compare(answer["valueInteger"], number) for answer in given))
            continue
        results.append(
            any(
                _bare(answer["valueCoding"]) == wanted["answerCoding"]
                if "answerCoding" in wanted
                else answer == {"value" + key[6:]: value for key, value in wanted.items()}
                for answer in given
            )
        )
    return any(results) if definition.get("enableBehavior") == "any" else all(results)


def _missing_required(defined: list[Json], answered: Mapping[str, list[Json]]) -> list[str]:
    """Required, enabled questions a completed response leaves without an answer."""
    return [
        f"{item['linkId']}: required but not answered"
        for item, _ in walk(defined)
        if item.get("required") and _enabled(item, answered) and not answered.get(item["linkId"])
    ]
