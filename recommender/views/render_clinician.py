"""The clinician's summary as terminal text, shown only with `--for clinician`.

Everything here is for the prescriber: the likely category (never a diagnosis), the
injectable options, the cautions with their texts, red flags and the rules that fired.
"""

from __future__ import annotations

from ..contract.recommendation import Firing, Recommendation
from .clinician import ClinicianSummary
from .render import WIDTH, wrap
from .style import heading, quiet


def render_firing(number: int, firing: Firing, width: int = WIDTH) -> list[str]:
    title = wrap(f"{firing.rule}  (stage: {firing.stage})", "     ", f"  {number}. ", width)
    lines = [heading(text) for text in title]
    matched = ", ".join(f"{name}={value}" for name, value in firing.matched.items())
    if matched:
        lines += wrap(f"Matched: {matched}", "       ", "     ", width)
    lines += wrap(firing.rationale, "     ", width=width)
    if firing.evidence:
        lines += wrap(f"Evidence: {', '.join(firing.evidence)}", "       ", "     ", width)
    if firing.awaiting_review:
        lines += wrap(
            f"Awaiting prescriber sign-off: {firing.awaiting_review}", "       ", "     ", width
        )
    return lines


def render_clinician(
    summary: ClinicianSummary, *, explain: bool = False, width: int = WIDTH
) -> str:
    """The summary; `explain` adds each rule's matched answers, rationale and evidence.
    Wrapped to `width` without cutting a word, like the client's text above it."""
    lines = [
        heading("For the clinician (not to be shown to the client)"),
        *wrap(
            f"Likely category (not a diagnosis): {summary.category_words} ({summary.category})",
            width=width,
        ),
    ]
    options = ", ".join(summary.injectable_options) or "none"
    lines += wrap(f"Injectable options that may be discussed: {options}", width=width)
    if summary.red_flags:
        lines += wrap(f"Red flags: {', '.join(summary.red_flags)}", width=width)
    for question in summary.not_asked:
        lines += wrap(f"Not asked (cannot change this result): {question}", width=width)
    if summary.cautions:
        lines.append("  Cautions:")
        for caution in summary.cautions:
            lines += wrap(f"{caution.id}: {caution.text}", "      ", "    - ", width)
    if explain:
        lines += ["", heading("Why: every rule that fired")]
        for number, firing in enumerate(summary.rules, start=1):
            lines += render_firing(number, firing, width)
    else:
        rules = ", ".join(firing.rule for firing in summary.rules) or "none"
        lines += wrap(f"Rules that fired: {rules}.", width=width)
        hint = wrap("(Add --explain for each rule's reasons and evidence.)", width=width)
        lines += [quiet(text) for text in hint]
    lines += ["", quiet(f"Rule base: {summary.rulebase}")]
    return "\n".join(lines)


def render_clinician_line(rec: Recommendation) -> str:
    """One line per recommendation for a clinician's batch run: codes and the first card."""
    urgency = f" ({rec.urgency})" if rec.urgency else ""
    first = f": {rec.cards[0].summary}" if rec.cards else ""
    return f"{rec.pathway}{urgency}, category {rec.category}{first}"
