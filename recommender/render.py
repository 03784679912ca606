"""A recommendation as text a person can read on an 80-column terminal.

Styled with click (see `cli_style`); `click.unstyle` gives the plain text. Pure formatting:
every decision shown here was made by the rule base.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from .cli_style import alarm, heading, quiet, warning
from .recommendation import Card, ExerciseProgramme, Firing, Recommendation, SchedulePhase
from .rulebase import RuleBase

WIDTH = 79
"""One short of 80, so no terminal wraps a full line on its own."""

PATHWAY_TITLES = {
    "red_flag": "Get medical help first",
    "clinician_conversation": "Talk it through with a clinician",
    "medical_first": "See your GP or dentist first",
    "specialist_referral": "See a specialist",
    "consultation_injectables": "A consultation about injectable options",
    "exercise_programme": "A facial exercise programme",
    "reassurance": "Reassurance",
}

URGENT = ("emergency", "urgent")


def wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    """Wrap to WIDTH; `first` replaces the indent on the first line (for bullets)."""
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]
) -> list[str]:
    """A plain table, each cell wrapped within its column; two spaces between columns."""

    def line(cells: Sequence[str]) -> list[str]:
        wrapped = [
            textwrap.wrap(cell, width) or [""] for cell, width in zip(cells, widths, strict=True)
        ]
        height = max(len(column) for column in wrapped)
        out = []
        for index in range(height):
            parts = [
                (column[index] if index < len(column) else "").ljust(width)
                for column, width in zip(wrapped, widths, strict=True)
            ]
            out.append(("  " + "  ".join(parts)).rstrip())
        return out

    lines = [heading(text) for text in line(headers)]
    lines.append("  " + "  ".join("-" * width for width in widths))
    for row in rows:
        lines += line(row)
    return lines


def red_flag_banner(rec: Recommendation) -> list[str]:
    """The critical cards of an emergency or urgent outcome, framed so they come first."""
    rule = alarm("=" * WIDTH)
    title = "EMERGENCY" if rec.urgency == "emergency" else "URGENT"
    lines = [rule, alarm(f"  {title}: please stop here and get medical help.")]
    for card in rec.cards:
        if card.indicator == "critical":
            lines += ["", *(alarm(text) for text in wrap(card.summary))]
            lines += wrap(card.detail)
    lines += [rule]
    return lines


def render_card(card: Card, rulebase: RuleBase | None) -> list[str]:
    marker = {"critical": alarm("!!"), "warning": warning("! "), "info": "* "}[card.indicator]
    summary = wrap(card.summary, "   ", first="")
    lines = [f"{marker} {heading(summary[0])}", *summary[1:]]
    lines += wrap(card.detail, "   ")
    if card.booking:
        service = rulebase.services.get(card.booking) if rulebase else None
        label = f"{service.label} ({card.booking})" if service else card.booking
        lines.append(f"   To book: {label}")
    return lines


def schedule_table(schedule: Sequence[SchedulePhase]) -> list[str]:
    rows = [
        (phase.weeks, phase.phase + (" *" if phase.review else ""), phase.frequency, phase.session)
        for phase in schedule
    ]
    lines = table(("Weeks", "Phase", "How often", "Each session"), rows, (10, 18, 22, 20))
    reviews = [phase for phase in schedule if phase.review]
    if reviews:
        lines += ["", "  * A review with the clinic:"]
        for phase in reviews:
            lines += wrap(f"week {phase.weeks}: {phase.what}", "      ", first="    - ")
    return lines


def render_programme(programme: ExerciseProgramme) -> list[str]:
    lines = [heading("Your exercise programme"), f"  Areas: {', '.join(programme.regions)}", ""]
    for exercise in programme.exercises:
        lines.append(f"  {exercise.id:<4} {heading(exercise.name)}  ({exercise.dose})")
        lines += wrap(exercise.how_to, "       ")
        if exercise.caution:
            lines += wrap(f"Take care: {exercise.caution}", "       ")
    lines += ["", "  Which side", *wrap(programme.side_emphasis, "    ")]
    lines += ["", "  Your 20-week schedule", *schedule_table(programme.schedule)]
    lines += ["", "  Stop and get advice if:"]
    for item in programme.stop_if:
        lines += wrap(item, "      ", first="    - ")
    return lines


def render_prescriber(rec: Recommendation, rulebase: RuleBase | None) -> list[str]:
    lines = [heading("For the prescriber (clinician use only)")]
    if rec.injectable_options:
        lines.append(
            f"  Injectable options that may be discussed: {', '.join(rec.injectable_options)}"
        )
    for caution in rec.cautions:
        known = rulebase.cautions.get(caution) if rulebase else None
        lines += wrap(f"{caution}: {known.text}" if known else caution, "    ", first="  - ")
    return lines


def render_firing(number: int, firing: Firing) -> list[str]:
    lines = [f"  {number}. {heading(firing.rule)}  (stage: {firing.stage})"]
    matched = ", ".join(f"{name}={value}" for name, value in firing.matched.items())
    if matched:
        lines += wrap(f"Matched: {matched}", "       ", first="     ")
    lines += wrap(firing.rationale, "     ")
    if firing.evidence:
        lines += wrap(f"Evidence: {', '.join(firing.evidence)}", "       ", first="     ")
    if firing.awaiting_review:
        lines += wrap(
            f"Awaiting prescriber sign-off: {firing.awaiting_review}", "       ", first="     "
        )
    return lines


def render_explanation(rec: Recommendation, explain: bool) -> list[str]:
    if not explain:
        rules = ", ".join(firing.rule for firing in rec.explanation) or "none"
        lines = wrap(f"Why: rules {rules}.", "  ", first="")
        lines.append(quiet("  (Run with --explain for each rule's reasons and evidence.)"))
        return lines
    lines = [heading("Why: every rule that fired")]
    for number, firing in enumerate(rec.explanation, start=1):
        lines += render_firing(number, firing)
    lines.append(f"  Likely category, for the clinician (not a diagnosis): {rec.category}")
    return lines


def render_recommendation(
    rec: Recommendation, rulebase: RuleBase | None = None, *, explain: bool = False
) -> str:
    """The whole recommendation: red flags first, next step, cards, programme, cautions, why."""
    lines: list[str] = []
    if rec.urgency in URGENT:
        lines += [*red_flag_banner(rec), ""]
    lines.append(heading(f"Your next step: {PATHWAY_TITLES[rec.pathway]}"))
    if rec.urgency:
        lines.append(f"  How soon: {rec.urgency}")
    if rec.stopped_early:
        lines += wrap(
            "The questionnaire stopped early because of a safety answer; "
            "the other questions are not needed now."
        )
    in_banner = rec.urgency in URGENT
    for card in rec.cards:
        if not (in_banner and card.indicator == "critical"):
            lines += ["", *render_card(card, rulebase)]
    if rec.exercise_programme is not None:
        lines += ["", *render_programme(rec.exercise_programme)]
    if rec.cautions or rec.injectable_options:
        lines += ["", *render_prescriber(rec, rulebase)]
    lines += ["", *render_explanation(rec, explain)]
    info = rec.rulebase
    lines += [
        "",
        quiet(f"Rule base: {info.name} {info.version}, fingerprint {info.fingerprint[:12]}"),
    ]
    return "\n".join(lines)


def render_summary(rec: Recommendation) -> str:
    """One line per recommendation, for batch runs: pathway, urgency, the first card."""
    urgency = f" ({rec.urgency})" if rec.urgency else ""
    first = f": {rec.cards[0].summary}" if rec.cards else ""
    return f"{rec.pathway}{urgency}{first}"
