"""The consent wording (brief 8.1 and 8.2 item I1): what is kept, for how long, who sees it.

The words on the consent page are exactly these, and the record keeps their version and a
hash of the whole text, so it can always be shown which wording a person agreed to. Change
the text, and change `CONSENT_VERSION` with it.
"""

from __future__ import annotations

CONSENT_VERSION = "web-consent-2026-12"

YES = "Yes, keep my answers for my consultation"
NO = "No, do not keep my answers"


def consent_paragraphs(retention_days: int) -> tuple[str, ...]:
    """The explanation shown above the two buttons, in plain words."""
    return (
        "The clinic can keep your answers so that the clinician you see can read them before"
        " your appointment. It is up to you. If you say no, you still see your suggested next"
        " step, and nothing is kept.",
        "What we keep: your answers to these questions and the next step suggested to you."
        " We do not ask for your name or contact details here.",
        f"How long: {retention_days} days from today. Then your answers are deleted. You can"
        " ask the clinic to delete them sooner: give them the reference we will show you.",
        "Who sees them: only the clinic's clinicians, who sign in to read them. Each time"
        " anyone opens your answers, the clinic's records show who did and when. Your answers"
        " are stored encrypted.",
    )


def consent_wording(retention_days: int) -> str:
    """The whole text a person agrees to by choosing yes: the explanation and the yes button."""
    return "\n\n".join((*consent_paragraphs(retention_days), YES))
