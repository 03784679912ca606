"""Render a recommendation as plain text for an 80-column terminal."""

from __future__ import annotations

import textwrap

from .recommendation import Recommendation

WIDTH = 80
PATHWAY_TITLES = {
    "red_flag": "Get medical help first",
    "clinician_conversation": "Talk it through with a clinician",
    "medical_first": "See your GP or dentist first",
    "specialist_referral": "See a specialist",
    "consultation_injectables": "Consultation about injectable options",
    "exercise_programme": "Facial exercise programme",
    "reassurance": "Reassurance",
}


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def render_text(rec: Recommendation) -> str:
    """The recommendation as readable text: next step, cards, programme, cautions, why."""
    lines = [f"Next step: {PATHWAY_TITLES[rec.pathway]}"]
    if rec.urgency:
        lines.append(f"Urgency: {rec.urgency}")
    for card in rec.cards:
        marker = {"critical": "!!", "warning": "!", "info": "-"}[card.indicator]
        lines += ["", f"{marker} {card.summary}", _wrap(card.detail)]
        if card.booking:
            lines.append(f"  Book: {card.booking}")
    programme = rec.exercise_programme
    if programme is not None:
        lines += ["", "Your exercise programme"]
        for exercise in programme.exercises:
            lines += [
                f"  {exercise.id} {exercise.name} ({exercise.dose})",
                _wrap(exercise.how_to, "      "),
            ]
        lines += ["", _wrap(programme.side_emphasis), "", "  Schedule"]
        for phase in programme.schedule:
            review = " (review)" if phase.review else ""
            lines.append(
                f"  weeks {phase.weeks:<12} {phase.phase}{review}: {phase.frequency},"
                f" {phase.session}"
            )
        lines += ["", "  Stop and get advice if:"] + [
            _wrap(item, "  - ") for item in programme.stop_if
        ]
    if rec.cautions:
        lines += ["", "For the prescriber: " + ", ".join(rec.cautions)]
    lines += [
        "",
        "Why: " + ", ".join(firing.rule for firing in rec.explanation),
        f"Rule base: {rec.rulebase.name} {rec.rulebase.version} ({rec.rulebase.fingerprint[:12]})",
    ]
    return "\n".join(lines)
