"""What a client may see of a recommendation: its own models, built from the full one.

The full `Recommendation` is the contract and the clinician's view. A client sees only the
next step in words, how soon, the cards and the exercise programme (brief 0.1 items 2, 3
and 5, 8.4; CAP Code 12.12). This is a separate model, not the contract with fields
blanked: a field added to `Recommendation` can never reach a client unless someone adds it
here too, and `verify_client` fails on any client field whose source it does not know.

Every piece of text in a `ClientRecommendation` comes from one finite catalogue part of the
rule base (card texts, service names, exercise and programme texts, region labels) or from
the two word tables below; `TEXT_SOURCES` names that part for each text field.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from ..contract.constants import STOPPING_URGENCIES
from ..contract.errors import RuleGapError
from ..contract.recommendation import Card, ExerciseProgramme, Indicator, Recommendation
from ..rulebase._illustrations import svg_markup
from ..rulebase.model import RuleBase

NEXT_STEP_WORDS: Mapping[str, str] = {
    "red_flag": "Get medical help first",
    "clinician_conversation": "Talk it through with a clinician",
    "medical_first": "See your GP or dentist first",
    "specialist_referral": "See a specialist",
    "consultation_injectables": "A face-to-face consultation about treatment options",
    "exercise_programme": "A facial exercise programme",
    "reassurance": "Reassurance",
}
"""The contract's pathways in plain words (brief 8.3)."""

HOW_SOON_WORDS: Mapping[str, str] = {
    "emergency": "Now: call 999 or go to A&E.",
    "urgent": (
        "Today: contact your GP for a same-day appointment, or call NHS 111"
        " (or the service the message below names). If a message below says call 999,"
        " do that first."
    ),
    "soon": (
        "In the next week or two: book an appointment with the GP, dentist or clinic the"
        " message below names."
    ),
    "routine": (
        "When convenient: see your GP or dentist first; other options can wait until then."
    ),
}
"""The contract's urgency codes as what the person should do (brief 0, urgency table)."""

REGIONS_FIELD = "regions"

SIDE_MARKS = ("left", "right")
"""Answers to "which side looks different" that the drawings mark (brief 6.4)."""


class _Client(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientBooking(_Client):
    """A step the person can book, by its name (the service code is for the clinic)."""

    name: str
    about: str


class ClientCard(_Client):
    """One message for the person, most important first."""

    summary: str
    detail: str
    indicator: Indicator = Field(
        description="How much attention it needs: info, warning, critical."
    )
    booking: ClientBooking | None


class ClientIllustration(_Client):
    """An exercise's drawing: SVG to show inline, and the same move in words."""

    svg: str = Field(
        description=(
            "The drawing as SVG markup, checked when the rule base loaded (plain shapes only:"
            " no script, link or image), with the person's side marked where it applies."
        )
    )
    text: str = Field(description="The text alternative: the drawing in plain words.")


class ClientExercise(_Client):
    number: int = Field(description="Its place in the session, from 1, on every surface.")
    name: str
    area: str
    how_to: str
    steps: list[str]
    dose: str
    caution: str | None
    seconds: int = Field(description="How long it takes, with the rests between its sets.")
    illustration: ClientIllustration


class ClientSchedulePhase(_Client):
    phase: str
    weeks: str
    first_week: int = Field(description="`weeks` as numbers: week 1 starts the routine.")
    last_week: int | None = Field(description="Null: the phase has no end.")
    frequency: str
    every_days: int | None = Field(description="A routine's fixed interval in days, or null.")
    session: str | None = Field(description="What a session is; null for a routine phase.")
    minutes: int | None = Field(description="A routine phase: minutes per session, computed.")
    what: str
    review: bool = Field(description="A review with the clinic falls in this phase.")


class ClientProgramme(_Client):
    areas: list[str] = Field(description="The parts of the face it covers, in words.")
    exercises: list[ClientExercise]
    side_emphasis: str
    illustration_note: str | None = Field(
        description="What the side mark on the drawings means, when they carry one."
    )
    session_minutes: int = Field(description="One session of the routine, from the exercises.")
    rounds: int = Field(description="Times through the exercise list in one session.")
    rest_between_sets_seconds: int
    rest_between_exercises_seconds: int
    session_note: str
    schedule: list[ClientSchedulePhase]
    stop_if: list[str]


class ClientRecommendation(_Client):
    """The recommendation as a client may see it: no category, options, cautions or rules."""

    next_step: str = Field(description="The next step in plain words.")
    how_soon: str | None = Field(description="How soon to get medical care, or null.")
    get_help_now: bool = Field(
        description="True for an emergency or urgent red flag: show only its message."
    )
    stopped_early: bool = Field(
        description="True when a safety answer ended the questionnaire early."
    )
    cards: list[ClientCard]
    exercise_programme: ClientProgramme | None


TEXT_SOURCES: Mapping[str, str] = {
    "next_step": "next_step_words",
    "how_soon": "how_soon_words",
    "cards.summary": "card_summary",
    "cards.detail": "card_detail",
    "cards.booking.name": "service_name",
    "cards.booking.about": "service_about",
    "exercise_programme.areas": "region_label",
    "exercise_programme.exercises.name": "exercise_text",
    "exercise_programme.exercises.area": "exercise_text",
    "exercise_programme.exercises.how_to": "exercise_text",
    "exercise_programme.exercises.steps": "exercise_text",
    "exercise_programme.exercises.dose": "exercise_text",
    "exercise_programme.exercises.caution": "exercise_text",
    "exercise_programme.exercises.illustration.text": "illustration_text",
    "exercise_programme.side_emphasis": "side_emphasis",
    "exercise_programme.illustration_note": "illustration_note",
    "exercise_programme.session_note": "session_note",
    "exercise_programme.schedule.phase": "schedule_text",
    "exercise_programme.schedule.weeks": "schedule_text",
    "exercise_programme.schedule.frequency": "schedule_text",
    "exercise_programme.schedule.session": "schedule_text",
    "exercise_programme.schedule.what": "schedule_text",
    "exercise_programme.stop_if": "stop_if",
}
"""Each text field of the client view (dotted path, lists flattened) and the catalogue part
it is filled from. `verify_client` proves the two agree and that every part is clean."""

MARKUP_FIELDS: Mapping[str, str] = {
    "exercise_programme.exercises.illustration.svg": "illustration_svg",
}
"""Fields holding SVG markup rather than words: each value is one of the drawings the loader
checked, as `illustrations.svg_markup` renders it; `verify_client` proves that, and scans the
drawings' own words (title and description) as client text."""

NUMBER_FIELDS = frozenset(
    {
        "exercise_programme.exercises.number",
        "exercise_programme.exercises.seconds",
        "exercise_programme.session_minutes",
        "exercise_programme.rounds",
        "exercise_programme.rest_between_sets_seconds",
        "exercise_programme.rest_between_exercises_seconds",
        "exercise_programme.schedule.minutes",
        "exercise_programme.schedule.first_week",
        "exercise_programme.schedule.last_week",
        "exercise_programme.schedule.every_days",
    }
)
"""The whole-number fields of the client view: counts and durations computed from the
catalogue's numbers. A number carries no words, so only these named ones are allowed; any
other number is a finding in `verify_client`, like a text with no source."""


def region_labels(rulebase: RuleBase) -> Mapping[str, str]:
    """The regions question's option labels: how the person named each part of the face."""
    for question in rulebase.questions.questions:
        if question.field == REGIONS_FIELD:
            return question.options
    raise RuleGapError(f"the rule base has no question for {REGIONS_FIELD}")


def _booking(card: Card, rulebase: RuleBase) -> ClientBooking | None:
    if card.booking is None:
        return None
    service = rulebase.services.get(card.booking)
    if service is None:  # the loader refuses unknown codes; never show a bare code
        raise RuleGapError(f"card {card.id} books an unknown service")
    return ClientBooking(name=service.label, about=service.description)


def marked_side(programme: ExerciseProgramme) -> str | None:
    """The side to mark on front-view drawings: the one the person noticed, if just one."""
    return programme.side if programme.side in SIDE_MARKS else None


def illustration(rulebase: RuleBase, exercise_id: str, side: str | None) -> ClientIllustration:
    """One exercise's drawing for a client, its side marked if it is a front view."""
    picture = rulebase.exercises.exercises[exercise_id].illustration
    drawing = rulebase.drawings[exercise_id]
    mark = side if picture.shows_side else None
    return ClientIllustration(svg=svg_markup(drawing, mark, picture.text), text=picture.text)


def _illustration_note(programme: ExerciseProgramme, rulebase: RuleBase) -> str | None:
    side = marked_side(programme)
    catalogue = rulebase.exercises
    shown = [catalogue.exercises[e.id].illustration.shows_side for e in programme.exercises]
    if side is None or not any(shown):
        return None
    marks = catalogue.illustration_side_marks
    return marks.left if side == "left" else marks.right


def _programme(programme: ExerciseProgramme, rulebase: RuleBase) -> ClientProgramme:
    labels = region_labels(rulebase)
    side = marked_side(programme)
    return ClientProgramme(
        areas=[labels[region] for region in programme.regions],
        exercises=[
            ClientExercise(
                number=e.number,
                name=e.name,
                area=e.area,
                how_to=e.how_to,
                steps=list(e.steps),
                dose=e.dose,
                caution=e.caution,
                seconds=e.seconds,
                illustration=illustration(rulebase, e.id, side),
            )
            for e in programme.exercises
        ],
        side_emphasis=programme.side_emphasis,
        illustration_note=_illustration_note(programme, rulebase),
        session_minutes=programme.session_minutes,
        rounds=programme.rounds,
        rest_between_sets_seconds=programme.rest_between_sets_seconds,
        rest_between_exercises_seconds=programme.rest_between_exercises_seconds,
        session_note=programme.session_note,
        schedule=[
            ClientSchedulePhase(
                phase=p.phase,
                weeks=p.weeks,
                first_week=p.first_week,
                last_week=p.last_week,
                frequency=p.frequency,
                every_days=p.every_days,
                session=p.session,
                minutes=p.minutes,
                what=p.what,
                review=p.review,
            )
            for p in programme.schedule
        ],
        stop_if=list(programme.stop_if),
    )


def client_view(recommendation: Recommendation, rulebase: RuleBase) -> ClientRecommendation:
    """The client's view of a recommendation made with `rulebase` (for its service names and
    region labels). Cards keep their order and count, so a front end can pair them."""
    urgency = recommendation.urgency
    return ClientRecommendation(
        next_step=NEXT_STEP_WORDS[recommendation.pathway],
        how_soon=HOW_SOON_WORDS[urgency] if urgency else None,
        get_help_now=recommendation.pathway == "red_flag" or urgency in STOPPING_URGENCIES,
        stopped_early=recommendation.stopped_early,
        cards=[
            ClientCard(
                summary=card.summary,
                detail=card.detail,
                indicator=card.indicator,
                booking=_booking(card, rulebase),
            )
            for card in recommendation.cards
        ],
        exercise_programme=(
            _programme(recommendation.exercise_programme, rulebase)
            if recommendation.exercise_programme is not None
            else None
        ),
    )
