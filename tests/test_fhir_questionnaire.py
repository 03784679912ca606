"""The FHIR R4 Questionnaire export: valid R4, and faithful to the rule base's questions."""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Mapping
from typing import Any

import pytest
from fhir.resources.R4B import questionnaire as r4b_questionnaire
from fhir.resources.R4B import questionnaireresponse as r4b_response
from fhirclient.models import questionnaire as r4_questionnaire
from fhirclient.models import questionnaireresponse as r4_response

from recommender import Recommender, default_rules_path
from recommender.contract.fields import field_specs
from recommender.intake.questions import EnableWhen
from recommender.interop.fhir_export import fhir_questionnaire, rulebase_info
from recommender.interop.fhir_questionnaire import computable_name, questionnaire_resource
from recommender.rulebase.yamlio import load_yaml

from .fhir_checks import InvalidResourceError, check_questionnaire, walk

Json = dict[str, Any]


@pytest.fixture(scope="module")
def resource(recommender: Recommender) -> Json:
    return fhir_questionnaire(recommender)


def questions_yaml() -> dict[str, Any]:
    text = (default_rules_path() / "catalogue" / "questions.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(text)
    return data


def question_items(resource: Json) -> list[Mapping[str, Any]]:
    return [item for item, depth in walk(resource["item"]) if depth == 1]


def test_r4b_models_have_the_r4_elements() -> None:
    """fhir.resources validates through R4B: for Questionnaire and QuestionnaireResponse it
    must know the same elements as the R4 4.0.1 models, or its verdict would not be R4's."""
    pairs = [(r4_questionnaire, r4b_questionnaire), (r4_response, r4b_response)]
    compared = 0
    for r4_module, r4b_module in pairs:
        # fhirclient ships no types, so its model classes are type[Any] (isclass says object)
        r4_classes: list[tuple[str, type[Any]]] = inspect.getmembers(r4_module, inspect.isclass)
        for name, r4_class in r4_classes:
            if r4_class.__module__ != r4_module.__name__:
                continue
            r4_elements = {prop[1] for prop in r4_class().elementProperties()}
            r4b_class = getattr(r4b_module, name)
            r4b_elements = {
                field.alias or key
                for key, field in r4b_class.model_fields.items()
                if not (field.alias or key).startswith("_") and key != "fhir_comments"
            }
            assert r4_elements == r4b_elements, name
            compared += 1
    assert compared == 8  # 2 resources, 6 backbone elements


def test_the_default_questionnaire_is_valid_r4(resource: Json) -> None:
    check_questionnaire(resource)


def test_the_clinician_variant_is_valid_r4_and_named_apart(recommender: Recommender) -> None:
    clinician = fhir_questionnaire(recommender, include_clinician=True)
    check_questionnaire(clinician)
    assert clinician["url"] == fhir_questionnaire(recommender)["url"] + ":clinician"
    assert [item["linkId"] for item in question_items(clinician)][-1] == "assessed_cause"


def test_the_checks_can_fail(resource: Json) -> None:
    """The validation refuses broken resources, so its passing means something."""
    unknown = copy.deepcopy(resource)
    unknown["item"][0]["item"][0]["answerValue"] = "x"  # not an R4 element
    no_link = copy.deepcopy(resource)
    del no_link["item"][0]["item"][0]["linkId"]  # required
    r5_type = copy.deepcopy(resource)
    r5_type["item"][0]["item"][1]["type"] = "coding"  # R5's name for choice
    twice = copy.deepcopy(resource)
    twice["item"][1]["item"][0]["linkId"] = "age"
    bad_target = copy.deepcopy(resource)
    follow_up = next(item for item in question_items(bad_target) if "enableWhen" in item)
    follow_up["enableWhen"][0]["answerCoding"]["code"] = "maybe"
    for broken in (unknown, no_link, r5_type, twice, bad_target):
        with pytest.raises(InvalidResourceError):
            check_questionnaire(broken)


def test_metadata_comes_from_the_rule_base(recommender: Recommender, resource: Json) -> None:
    base = recommender.rulebase
    assert resource["status"] == "draft"  # not signed off by the prescriber yet
    assert resource["url"] == f"urn:facesym:questionnaire:{base.name}"
    assert resource["version"] == base.version
    assert resource["name"] == "FacesymDefault"
    assert base.name in resource["title"]
    assert resource["identifier"] == [
        {"system": "urn:facesym:rulebase-fingerprint", "value": base.fingerprint}
    ]


def test_every_askable_question_once_in_order(recommender: Recommender, resource: Json) -> None:
    items = question_items(resource)
    asked = recommender.questions()
    assert [item["linkId"] for item in items] == [q.field for q in asked]
    assert [item["prefix"] for item in items] == [q.id for q in asked]
    assert [item["text"] for item in items] == [q.text for q in asked]
    assert "assessed_cause" not in {item["linkId"] for item, _ in walk(resource["item"])}


def test_one_group_per_block_with_its_title(resource: Json) -> None:
    data = questions_yaml()
    asked_blocks = list(dict.fromkeys(q["block"] for q in data["questions"] if q.get("ask", True)))
    groups = resource["item"]
    assert [group["linkId"] for group in groups] == [f"block.{b}" for b in asked_blocks]
    assert [group["text"] for group in groups] == [data["blocks"][b] for b in asked_blocks]
    assert all(group["type"] == "group" for group in groups)
    for group in groups:
        fields = {q["field"] for q in data["questions"] if q["block"] == group["linkId"][6:]}
        assert {item["linkId"] for item in group["item"]} == fields


def test_options_are_the_contract_values(recommender: Recommender, resource: Json) -> None:
    labels = {q.field: {str(o.value): o.label for o in q.options} for q in recommender.questions()}
    for item in question_items(resource):
        spec = field_specs()[item["linkId"]]
        if spec.kind in ("choice", "multi"):
            codings = [option["valueCoding"] for option in item["answerOption"]]
            assert tuple(c["code"] for c in codings) == spec.values
            assert {c["system"] for c in codings} == {f"urn:facesym:field:{spec.name}"}
            assert [c["display"] for c in codings] == [labels[spec.name][v] for v in spec.values]
            assert item["type"] == "choice"
            assert item.get("repeats", False) is (spec.kind == "multi")
        else:
            assert "answerOption" not in item
            assert item["type"] == spec.kind


def test_integer_bounds_are_the_standard_extensions(resource: Json) -> None:
    age = next(item for item in question_items(resource) if item["linkId"] == "age")
    spec = field_specs()["age"]
    assert age["extension"] == [
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": spec.minimum},
        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": spec.maximum},
    ]


def test_required_means_an_answer_is_needed(recommender: Recommender, resource: Json) -> None:
    """Required where the contract needs an answer; a list that may be left empty is not,
    because FHIR's required means at least one answer. Of the follow-ups only `event` is
    (contract C3); the v1.1 follow-ups may be missing from a valid questionnaire."""
    items = {item["linkId"]: item for item in question_items(resource)}
    for question in recommender.questions():
        spec = field_specs()[question.field]
        may_be_empty = spec.kind == "multi" and spec.min_items == 0
        wanted = (spec.required and not may_be_empty) or question.field == "event"
        wanted = wanted or question.ask_when is not None  # required wherever it is asked
        assert items[question.field]["required"] is wanted, question.field
    assert items["allergies"]["required"] is False
    assert items["regions"]["required"] is True
    assert items["one_side_twitching"]["required"] is False


def test_enable_when_matches_questions_yaml(resource: Json) -> None:
    items = {item["linkId"]: item for item in question_items(resource)}
    conditional = 0
    for question in questions_yaml()["questions"]:
        if not question.get("ask", True):
            continue
        item = items[question["field"]]
        condition = question.get("enable_when")
        skip = question.get("ask_when")
        if skip is not None:  # asked only when a test on an earlier answer holds
            operator = next(op for op in skip if op != "field")
            symbol = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}[operator]
            assert item["enableWhen"] == [
                {"question": skip["field"], "operator": symbol, "answerInteger": skip[operator]}
            ]
            continue
        if condition is None:
            assert "enableWhen" not in item and "enableBehavior" not in item
            continue
        conditional += 1
        target = condition["field"]
        expected = [
            {
                "question": target,
                "operator": "=",
                "answerCoding": {"system": f"urn:facesym:field:{target}", "code": value},
            }
            for value in condition["one_of"]
        ]
        assert item["enableWhen"] == expected
        assert item.get("enableBehavior") == ("any" if len(expected) > 1 else None)
    assert conditional >= 6  # rule base 0.3.0 has six follow-up questions


def test_help_is_a_help_display_item(recommender: Recommender, resource: Json) -> None:
    items = {item["linkId"]: item for item in question_items(resource)}
    for question in recommender.questions():
        children = items[question.field].get("item", [])
        if question.help is None:
            assert children == []
            continue
        (help_item,) = children
        assert help_item["type"] == "display"
        assert help_item["text"] == question.help
        control = help_item["extension"][0]
        assert control["url"].endswith("/questionnaire-itemControl")
        assert control["valueCodeableConcept"]["coding"][0]["code"] == "help"


def test_clinician_questions_need_the_option(recommender: Recommender) -> None:
    with pytest.raises(ValueError, match="assessed_cause"):
        questionnaire_resource(
            recommender.questions(include_clinician=True), rulebase_info(recommender)
        )


@pytest.mark.parametrize(
    ("rulebase_name", "name"),
    [
        ("facesym-default", "FacesymDefault"),
        ("clinic_a 2", "ClinicA2"),
        ("2nd-site", "Facesym2ndSite"),
    ],
)
def test_computable_name_is_a_fhir_name(rulebase_name: str, name: str) -> None:
    assert computable_name(rulebase_name) == name
    assert re.fullmatch(r"[A-Z]([A-Za-z0-9_]){0,254}", name)


def test_enable_when_on_a_yes_no_or_number_answer(recommender: Recommender) -> None:
    """A clinic's rule base may make a question follow a yes/no or a number answer."""
    changed = {
        "palsy_history": EnableWhen(field="bite_problems", one_of=[True]),
        "pregnancy": EnableWhen(field="age", one_of=[16, 17]),
    }
    questions = [
        question.model_copy(update={"enable_when": changed[question.field]})
        if question.field in changed
        else question
        for question in recommender.questions()
    ]
    resource = questionnaire_resource(questions, rulebase_info(recommender))
    check_questionnaire(resource)
    items = {item["linkId"]: item for item in question_items(resource)}
    assert items["palsy_history"]["enableWhen"] == [
        {"question": "bite_problems", "operator": "=", "answerBoolean": True}
    ]
    assert items["pregnancy"]["enableWhen"] == [
        {"question": "age", "operator": "=", "answerInteger": 16},
        {"question": "age", "operator": "=", "answerInteger": 17},
    ]
    assert items["pregnancy"]["enableBehavior"] == "any"
