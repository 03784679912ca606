"""The questionnaire as an HL7 FHIR R4 (4.0.1) `Questionnaire` resource, as plain JSON.

Other systems (an electronic record, a form renderer) can then show the same questions and
read answers back without knowing facesym. The resource is built from `Question`s alone, so
wording, order, options and follow-up conditions stay those of the rule base's
`questions.yaml`; nothing here decides anything clinical.

Choices made for the mapping, each so that a response reads back to the contract's answers
without a lookup table:

- `linkId` of a question is its contract field name (`sudden_weakness`): fixed by the
  contract, never renamed, and the very key of an answers file. The rule base's question id
  (`A3`) goes in `prefix`, the label FHIR has for a question's number. A block's group is
  `block.<id>`, because a block id may equal a field name (`course`).
- An answer option is a `valueCoding` whose `code` is the contract's value, `display` the
  option's label and `system` a URN of the field (`urn:facesym:field:side`).
- `required` follows FHIR's meaning, "at least one answer", where the contract needs one: the
  contract's required fields, except a list that may be left empty (such as `allergies`),
  where choosing none is itself the answer. Of the follow-ups, only those the contract needs
  once enabled (`event` after `after_event`) are required; the v1.1 follow-ups may be left
  unanswered (a saved v1 answers file has none), so they are not, though facesym always asks
  them. As in FHIR, a follow-up is required only while it is enabled.
- Help is a child `display` item with the standard `itemControl` code `help`.
- The clinician-only question (the assessed cause) is left out. It is included only with
  `include_clinician=True`, which makes a different resource: its `url` ends `:clinician`, so
  a client form can never be mistaken for the clinician's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..contract.errors import AnswersError
from ..contract.fields import field_specs
from ..contract.recommendation import RuleBaseInfo
from ..intake.answers import parse_answers
from ..intake.questions import Question

Json = dict[str, Any]

FHIR_VERSION = "4.0.1"
URL_PREFIX = "urn:facesym:questionnaire:"
CLINICIAN_SUFFIX = ":clinician"
FIELD_SYSTEM_PREFIX = "urn:facesym:field:"
FINGERPRINT_SYSTEM = "urn:facesym:rulebase-fingerprint"
GROUP_PREFIX = "block."
HELP_SUFFIX = ".help"

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"

ITEM_TYPES = {"choice": "choice", "multi": "choice", "integer": "integer", "boolean": "boolean"}
"""facesym's field kinds as R4 item types (a list is a repeating `choice`)."""


def field_system(field: str) -> str:
    """The code system of one field's answer values."""
    return FIELD_SYSTEM_PREFIX + field


def questionnaire_url(rulebase: RuleBaseInfo, include_clinician: bool = False) -> str:
    """The canonical url of the questionnaire of a rule base (its clinician variant apart)."""
    url = URL_PREFIX + rulebase.name
    return url + CLINICIAN_SUFFIX if include_clinician else url


def canonical(rulebase: RuleBaseInfo, include_clinician: bool = False) -> str:
    """`url|version`, how a QuestionnaireResponse names the exact questionnaire it answers."""
    return f"{questionnaire_url(rulebase, include_clinician)}|{rulebase.version}"


def computable_name(rulebase_name: str) -> str:
    """A FHIR `name` (letters and digits, starting with a capital) from `facesym-default`."""
    words = "".join(c if c.isalnum() else " " for c in rulebase_name).split()
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name[:1].isalpha() else "Facesym" + name


def coding(field: str, value: str, display: str | None = None) -> Json:
    """One answer value as a Coding of its field's system."""
    found: Json = {"system": field_system(field), "code": value}
    if display is not None:
        found["display"] = display
    return found


def questionnaire_resource(
    questions: Sequence[Question], rulebase: RuleBaseInfo, include_clinician: bool = False
) -> Json:
    """The Questionnaire for these questions (as `Recommender.questions()` lists them).

    `include_clinician` must match how the questions were listed: it names the resource, and
    clinician questions given without it are refused rather than shown on a client's form.
    """
    clinician_only = [q.field for q in questions if q.for_clinician]
    if clinician_only and not include_clinician:
        raise ValueError(
            f"clinician-only questions {clinician_only} given without include_clinician=True"
        )
    title = "facesym questionnaire" + (
        " with the clinician's questions" if include_clinician else ""
    )
    return {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(rulebase, include_clinician),
        "identifier": [{"system": FINGERPRINT_SYSTEM, "value": rulebase.fingerprint}],
        "version": rulebase.version,
        "name": computable_name(rulebase.name),
        "title": f"{title} ({rulebase.name} {rulebase.version})",
        # Draft until the clinic's prescriber has signed the rule base off.
        "status": "draft",
        "experimental": False,
        "subjectType": ["Patient"],
        "item": [_group(block, questions, by_field(questions)) for block in _blocks(questions)],
    }


def by_field(questions: Sequence[Question]) -> dict[str, Question]:
    """The questions by their field name (their linkId)."""
    return {question.field: question for question in questions}


def group_link_id(block: str) -> str:
    return GROUP_PREFIX + block


def _blocks(questions: Sequence[Question]) -> list[str]:
    """The blocks in the order their first question is asked."""
    return list(dict.fromkeys(question.block for question in questions))


def _group(block: str, questions: Sequence[Question], fields: dict[str, Question]) -> Json:
    members = [question for question in questions if question.block == block]
    return {
        "linkId": group_link_id(block),
        "text": members[0].block_title,
        "type": "group",
        "item": [_question_item(question, fields) for question in members],
    }


def _question_item(question: Question, fields: dict[str, Question]) -> Json:
    item: Json = {
        "linkId": question.field,
        "prefix": question.id,
        "text": question.text,
        "type": ITEM_TYPES[question.kind],
        "required": contract_requires(question),
    }
    if question.multiple:
        item["repeats"] = True
    if question.kind == "integer":
        item["extension"] = [
            {"url": MIN_VALUE, "valueInteger": question.minimum},
            {"url": MAX_VALUE, "valueInteger": question.maximum},
        ]
    if question.kind in ("choice", "multi"):
        item["answerOption"] = [
            {"valueCoding": coding(question.field, str(option.value), option.label)}
            for option in question.options
        ]
    if question.enable_when is not None:
        conditions = [
            _enable_when(fields[question.enable_when.field], value)
            for value in question.enable_when.one_of
        ]
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = "any"
    if question.ask_when is not None:
        item["enableWhen"] = _ask_when(fields[question.ask_when["field"]], question.ask_when)
        if len(item["enableWhen"]) > 1:
            item["enableBehavior"] = "any"
    if question.help:
        item["item"] = [_help_item(question)]
    return item


_OPERATORS = {"equals": "=", "not_equals": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
"""The rules' comparison operators as FHIR enableWhen operators."""


def _ask_when(target: Question, test: Json) -> list[Json]:
    """A question asked only when a test on an earlier answer holds, as enableWhen: one
    condition, or one per value for `one_of` (any of them)."""
    operator = next(op for op in test if op != "field")
    values = test[operator] if operator == "one_of" else [test[operator]]
    symbol = "=" if operator == "one_of" else _OPERATORS.get(operator)
    if symbol is None:
        raise ValueError(f"question {target.field}: ask_when {operator} has no FHIR operator")
    conditions = []
    for value in values:
        condition = _enable_when(target, value)
        condition["operator"] = symbol
        conditions.append(condition)
    return conditions


def contract_requires(question: Question) -> bool:
    """Whether the contract needs at least one answer to the question once it is asked.

    Read off the contract's own validator: a follow-up counts as required when answers that
    enable it, and lack it, are reported as missing it.
    """
    spec = field_specs()[question.field]
    if spec.kind == "multi" and spec.min_items == 0:
        return False
    if question.ask_when is not None:
        return True  # skipped where the test fails; required wherever it is asked
    if question.enable_when is None:
        return spec.required
    target = field_specs()[question.enable_when.field]
    value = question.enable_when.one_of[0]
    enabling = {target.name: [value] if target.kind == "multi" else value}
    return spec.required or question.field in _missing_when(enabling)


def _missing_when(answers: dict[str, Any]) -> tuple[str, ...]:
    try:
        return parse_answers(answers).missing
    except AnswersError:  # an enabling answer that is not valid alone enables nothing
        return ()


def _enable_when(target: Question, value: str | bool | int) -> Json:
    """One condition: the earlier question's answer equals `value`."""
    condition: Json = {"question": target.field, "operator": "="}
    if target.kind == "boolean":
        condition["answerBoolean"] = value
    elif target.kind == "integer":
        condition["answerInteger"] = value
    else:
        condition["answerCoding"] = coding(target.field, str(value))
    return condition


def _help_item(question: Question) -> Json:
    return {
        "linkId": question.field + HELP_SUFFIX,
        "text": question.help,
        "type": "display",
        "extension": [
            {
                "url": ITEM_CONTROL,
                "valueCodeableConcept": {
                    "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help"}]
                },
            }
        ],
    }
