"""Every piece of patient-facing text in the rule base is free of medicine and brand names,
promises, "years younger" claims and diagnoses (brief 0.1 items 3 and 5, 4d, 8.4; CAP 12.12).

Patient-facing text: card summaries and details, question text, help and option labels,
service labels and descriptions (shown on the booking site), and the exercise catalogue
(name, area, how-to, dose, targets, caution, side emphasis, schedule, stop-if list).
Clinician cautions (cautions.yaml) and rule rationales are clinician-facing and not scanned.

The word lists and the scanner are the library's (recommender/wording.py), which the loader
also applies, so a clinic's edited rule base cannot reintroduce a medicine name either. The
one exception (tablet names in the blood-thinner question's options) is explained there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from recommender import Recommender, RuleBaseError
from recommender.rulebase.wording import client_texts, wording_problems
from recommender.rulebase.yamlio import load_yaml


def patient_texts(recommender: Recommender) -> Iterator[tuple[str, str, str]]:
    """(where, field name or "", text) for every patient-facing string in the rule base."""
    rulebase = recommender.rulebase
    texts = client_texts(rulebase.cards, rulebase.services, rulebase.questions, rulebase.exercises)
    for item in texts:
        yield f"{item.catalogue}: {item.where}", item.field, item.text


def problems_in(text: str, field: str = "") -> list[str]:
    return wording_problems(text, field)


def test_there_is_patient_text_to_scan(recommender: Recommender) -> None:
    texts = list(patient_texts(recommender))
    kinds = {where.split(":")[0] for where, _, _ in texts}
    assert kinds == {"cards", "services", "questions", "exercises"}
    assert len(texts) > 200


def test_no_patient_text_names_a_medicine_promises_or_diagnoses(recommender: Recommender) -> None:
    failures = [
        f"{where}: {', '.join(found)}: {text!r}"
        for where, field, text in patient_texts(recommender)
        if (found := problems_in(text, field))
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "bad",
    [
        "Book your Botox consultation today",
        "A muscle-relaxing toxin could help",
        "Juvederm adds volume",
        "Please stop your warfarin first",
        "Our results are guaranteed",
        "Clinically proven to even out your face",
        "This will fix your asymmetry",
        "Look 3 years younger in 20 weeks",
        "Women looked about three years younger",
        "You have Bell's palsy",
        "You are suitable for injections",
    ],
)
def test_the_scanner_catches_what_it_must(bad: str) -> None:
    assert problems_in(bad), bad


def test_medicine_names_are_allowed_only_where_people_recognise_their_own(
    recommender: Recommender,
) -> None:
    questions = recommender.rulebase.questions.questions
    question = next(q for q in questions if q.field == "bleeding_risk")
    assert not problems_in(question.options["warfarin"], "bleeding_risk")
    assert problems_in(question.options["warfarin"], "regions")
    assert not problems_in("A consultation about injectable options is the next step.")


def test_a_rule_base_naming_a_medicine_for_clients_does_not_load(rules_copy: Path) -> None:
    manifest = load_yaml((rules_copy / "rulebase.yaml").read_text(encoding="utf-8"))
    cards_file = rules_copy / manifest["catalogue"]["cards"]
    data = load_yaml(cards_file.read_text(encoding="utf-8"))
    card_id = next(iter(data["cards"]))
    data["cards"][card_id]["detail"] = "Ask us about Botox."
    cards_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(RuleBaseError) as error:
        Recommender.from_path(rules_copy)
    assert error.value.file == manifest["catalogue"]["cards"]
    assert f"card {card_id} detail" in str(error.value)
    assert "'botox'" in str(error.value)


REASONS = ("because", "so that", "this helps", "we ask so")
EXAMPLES = ("for example", "e.g.")


def test_every_question_has_help_saying_why_it_is_asked_with_an_example(
    recommender: Recommender,
) -> None:
    """`help` at a question must add something: why it is asked, and an example answer."""
    failures = []
    for question in recommender.questions(include_clinician=True):
        help_text = " ".join((question.help or "").split())
        lowered = help_text.lower()
        if not help_text or lowered == " ".join(question.text.split()).lower():
            failures.append(f"{question.id}: no help beyond the question")
            continue
        if not any(word in lowered for word in REASONS):
            failures.append(f"{question.id}: help gives no reason: {help_text!r}")
        if not any(word in lowered for word in EXAMPLES):
            failures.append(f"{question.id}: help gives no example: {help_text!r}")
    assert not failures, "\n".join(failures)
