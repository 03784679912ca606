"""Every piece of patient-facing text in the rule base is free of medicine and brand names,
promises, "years younger" claims and diagnoses (brief 0.1 items 3 and 5, 4d, 8.4; CAP 12.12).

Patient-facing text: card summaries and details, question text, help and option labels,
service labels and descriptions (shown on the booking site), and the exercise catalogue
(name, area, how-to, dose, targets, caution, side emphasis, schedule, stop-if list).
Clinician cautions (cautions.yaml) and rule rationales are clinician-facing and not scanned.

Decision on medicine names in questions: injectable product and brand names (and the words
"toxin" and "botulinum") are banned everywhere. Names of medicines a person may already TAKE
are banned too, except in the option labels of the blood-thinner question (E5), where
"warfarin", "aspirin" and "clopidogrel" let people recognise their own tablets so the safety
answer is accurate; that identifies, it does not promote or recommend.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from recommender import Recommender

INJECTABLE_NAMES = (
    "botox",
    "botulinum",
    "toxin",
    "dysport",
    "azzalure",
    "bocouture",
    "xeomin",
    "vistabel",
    "letybo",
    "relfydess",
    "alluzience",
    "juvederm",
    "juvéderm",
    "restylane",
    "belotero",
    "teosyal",
    "radiesse",
    "sculptra",
    "profhilo",
    "ellanse",
    "hyaluronidase",
    "hylenex",
    "hyaluronic",
    "lidocaine",
    "lignocaine",
)
MEDICINE_NAMES = (
    "warfarin",
    "apixaban",
    "rivaroxaban",
    "edoxaban",
    "dabigatran",
    "heparin",
    "clopidogrel",
    "aspirin",
    "ibuprofen",
    "naproxen",
    "gentamicin",
    "aminoglycoside",
    "pyridostigmine",
    "prednisolone",
    "aciclovir",
    "valaciclovir",
)
MEDICINE_NAMES_ALLOWED_IN_OPTIONS = frozenset({"bleeding_risk"})
PROMISES = (
    r"\bguarantee",
    r"\bproven\b",
    r"\bclinically (proven|tested)",
    r"\bwill (fix|correct|cure|remove|erase|restore|make you)",
    r"\bpermanent(ly)? (result|fix)",
    r"\b100 ?%",
    r"\brisk[- ]free\b",
    r"\bno risks?\b",
    r"\binstant results?\b",
    r"\bperfect (symmetry|results?)\b",
)
YOUNGER = (r"\byears? younger\b", r"\blook(s|ing)? younger\b", r"\byears off\b")
DIAGNOSES = (
    r"\byou have (a |an )?(stroke|bell'?s|palsy|tumou?r|cancer|abscess|body dysmorphic|bdd|"
    r"condylar|masseter|hemifacial|parry|scleroderma|tmd)",
    r"\byou are suitable for\b",
)


def patient_texts(recommender: Recommender) -> Iterator[tuple[str, str, str]]:
    """(where, field name or "", text) for every patient-facing string in the rule base."""
    rulebase = recommender.rulebase
    for card_id, card in rulebase.cards.items():
        yield f"cards.{card_id}.summary", "", card.summary
        yield f"cards.{card_id}.detail", "", card.detail
    for code, service in rulebase.services.items():
        yield f"services.{code}.label", "", service.label
        yield f"services.{code}.description", "", service.description
    for question in rulebase.questions.questions:
        where = f"questions.{question.id}"
        yield f"{where}.text", "", question.text
        if question.help:
            yield f"{where}.help", "", question.help
        for value, label in question.options.items():
            yield f"{where}.options.{value}", question.field, label
    for title in rulebase.questions.blocks.values():
        yield "questions.blocks", "", title
    catalogue = rulebase.exercises
    for exercise_id, exercise in catalogue.exercises.items():
        where = f"exercises.{exercise_id}"
        for name in ("name", "area", "how_to", "dose", "targets", "caution"):
            text = getattr(exercise, name)
            if text:
                yield f"{where}.{name}", "", text
    for side, text in catalogue.side_emphasis.items():
        yield f"exercises.side_emphasis.{side}", "", text
    for phase in catalogue.schedule:
        where = f"exercises.schedule.{phase.phase}"
        for text in (phase.phase, phase.weeks, phase.frequency, phase.what):
            yield where, "", text
        for commitment, text in phase.session.items():
            yield f"{where}.session.{commitment}", "", text
    for index, text in enumerate(catalogue.stop_if):
        yield f"exercises.stop_if[{index}]", "", text


def problems_in(text: str, field: str = "") -> list[str]:
    """What is wrong with one patient-facing text (empty when it is fine)."""
    lowered = text.lower()
    found = [f"names {name!r}" for name in INJECTABLE_NAMES if name in lowered]
    if field not in MEDICINE_NAMES_ALLOWED_IN_OPTIONS:
        found += [f"names {name!r}" for name in MEDICINE_NAMES if name in lowered]
    for kind, patterns in (("promise", PROMISES), ("younger", YOUNGER), ("diagnosis", DIAGNOSES)):
        found += [f"{kind} {p!r}" for p in patterns if re.search(p, lowered)]
    return found


def test_there_is_patient_text_to_scan(recommender: Recommender) -> None:
    texts = list(patient_texts(recommender))
    kinds = {where.split(".")[0] for where, _, _ in texts}
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
