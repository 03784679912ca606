"""What text for clients must never say, and where that text lives in a rule base.

facesym never names a prescription medicine or an injectable product in client-facing text
(CAP rule 12.12; brief 0.1 items 3 and 5, 4d), never promises or quantifies results ("years
younger"; brief 8.4, GMC), and never states a diagnosis. These are product guarantees, not
clinical rules, so they live here rather than in an editable rule base: the loader refuses a
rule base whose client-facing text breaks them, and a front end can check its own pages too.

One deliberate exception: the option labels of the blood-thinner question may name the
tablets a person already takes (warfarin, aspirin, clopidogrel), so they can recognise their
own medicine and answer the safety question correctly. That identifies; it does not promote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .schema import CardEntry, ExerciseCatalogue, QuestionFile, ServiceEntry

INJECTABLE_NAMES: tuple[str, ...] = (
    # Muscle-relaxing injections (prescription-only) and their brands.
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
    "daxxify",
    "jeuveau",
    # Fillers, the filler material, and the medicines used with or against them.
    "juvederm",
    "juvéderm",
    "restylane",
    "belotero",
    "teosyal",
    "radiesse",
    "sculptra",
    "profhilo",
    "ellanse",
    "ellansé",
    "hyaluronic",
    "hyaluronidase",
    "hyalase",
    "hylenex",
    "lidocaine",
    "lignocaine",
)
MEDICINE_NAMES: tuple[str, ...] = (
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
MEDICINES_MAY_BE_NAMED_IN_OPTIONS_OF: frozenset[str] = frozenset({"bleeding_risk"})

PROMISES: tuple[str, ...] = (
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
YOUNGER: tuple[str, ...] = (r"\byears? younger\b", r"\blook(s|ing)? younger\b", r"\byears off\b")
DIAGNOSES: tuple[str, ...] = (
    r"\byou have (a |an )?(stroke|bell'?s|palsy|tumou?r|cancer|abscess|body dysmorphic|bdd|"
    r"condylar|masseter|hemifacial|parry|scleroderma|tmd)",
    r"\byou are suitable for\b",
)


def _words(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")", re.IGNORECASE)


_INJECTABLES = _words(INJECTABLE_NAMES)
_MEDICINES = _words(MEDICINE_NAMES)
_CLAIMS = [
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, patterns in (("promise", PROMISES), ("younger", YOUNGER), ("diagnosis", DIAGNOSES))
    for pattern in patterns
]


def wording_problems(text: str, field: str = "") -> list[str]:
    """What is wrong with one client-facing text; `field` names the question it labels."""
    found = [f"names {m.group(0).lower()!r}" for m in _INJECTABLES.finditer(text)]
    if field not in MEDICINES_MAY_BE_NAMED_IN_OPTIONS_OF:
        found += [f"names {m.group(0).lower()!r}" for m in _MEDICINES.finditer(text)]
    found += [f"{kind} {m.group(0)!r}" for kind, pattern in _CLAIMS if (m := pattern.search(text))]
    return found


@dataclass(frozen=True)
class ClientText:
    """One piece of client-facing text and where it is."""

    catalogue: str  # "cards", "services", "questions" or "exercises"
    where: str
    text: str
    field: str = ""


def client_texts(
    cards: Mapping[str, CardEntry],
    services: Mapping[str, ServiceEntry],
    questions: QuestionFile,
    exercises: ExerciseCatalogue,
) -> Iterator[ClientText]:
    """Every client-facing string of a rule base (clinician cautions and rationales excluded)."""
    for card_id, card in cards.items():
        yield ClientText("cards", f"card {card_id} summary", card.summary)
        yield ClientText("cards", f"card {card_id} detail", card.detail)
    for code, service in services.items():
        yield ClientText("services", f"service {code} label", service.label)
        yield ClientText("services", f"service {code} description", service.description)
    for block, title in questions.blocks.items():
        yield ClientText("questions", f"block {block}", title)
    for question in questions.questions:
        where = f"question {question.id}"
        yield ClientText("questions", f"{where} text", question.text)
        if question.help:
            yield ClientText("questions", f"{where} help", question.help)
        for value, label in question.options.items():
            yield ClientText("questions", f"{where} option {value}", label, question.field)
    for exercise_id, exercise in exercises.exercises.items():
        for name in ("name", "area", "how_to", "dose", "targets", "caution"):
            text = getattr(exercise, name)
            if text:
                yield ClientText("exercises", f"exercise {exercise_id} {name}", text)
        for index, text in enumerate(exercise.steps, start=1):
            yield ClientText("exercises", f"exercise {exercise_id} step {index}", text)
        where = f"exercise {exercise_id} illustration text"
        yield ClientText("exercises", where, exercise.illustration.text)
    for side, text in exercises.side_emphasis.items():
        yield ClientText("exercises", f"side_emphasis {side}", text)
    marks = exercises.illustration_side_marks
    yield ClientText("exercises", "illustration_side_marks left", marks.left)
    yield ClientText("exercises", "illustration_side_marks right", marks.right)
    for phase in exercises.schedule:
        for text in (
            phase.phase,
            phase.weeks,
            phase.frequency,
            phase.what,
            *(phase.session or {}).values(),
        ):
            yield ClientText("exercises", f"schedule {phase.phase}", text)
    yield ClientText("exercises", "session note", exercises.session.note)
    for index, text in enumerate(exercises.stop_if, start=1):
        yield ClientText("exercises", f"stop_if item {index}", text)
