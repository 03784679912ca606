"""`facesym rules review` as the prescriber reads it: every rule grouped as stale, awaiting or
signed, with the brief sections it cites, its review note, and who signed it when."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..api import default_rules_path
from ..rulebase.model import RuleBase
from ..rulebase.signoff import RuleSignOff, SignOffStatus, Status
from ..rulebase.signoff_record import SignOff
from ..views.render import wrap
from ..views.style import good, heading, quiet, warning
from ._brief_sections import cited_sections, describe_section

GROUP_TITLES: Mapping[Status, str] = {
    "stale": "Stale: changed since it was signed, so its sign-off no longer holds",
    "awaiting": "Awaiting sign-off",
    "signed": "Signed off",
}


def _how_to_sign(path: Path) -> list[str]:
    """The command that signs these rules; the rules installed with facesym are signed on a
    copy (an upgrade would replace them), so then the copy comes first."""
    sign = "--name NAME --registration NUMBER [--rule ID ...]"
    if path.resolve() != default_rules_path().resolve():
        return [
            "  To sign, the prescriber runs:",
            f"    facesym rules sign-off {shlex.quote(str(path))} {sign}",
        ]
    return [
        "  These are the rules that come with facesym. To sign, copy them to the clinic's own",
        "  folder, sign the copy, and use it (--rules DIR, or FACESYM_RULES for the site):",
        f"    cp -r {shlex.quote(str(path))} clinic-rules",
        f"    facesym rules sign-off clinic-rules {sign}",
    ]


def _signer(signoff: SignOff) -> dict[str, str]:
    return {
        "name": signoff.name,
        "registration": signoff.registration,
        "signed_at": signoff.signed_at,
        "rulebase_fingerprint": signoff.rulebase_fingerprint,
    }


def review_json(
    rulebase: RuleBase, status: SignOffStatus, brief: Path | None, titles: Mapping[str, str]
) -> dict[str, Any]:
    """The whole report as data (`--format json`)."""

    def rule_entry(entry: RuleSignOff) -> dict[str, Any]:
        rule = entry.rule
        sections = cited_sections(rule.rule.evidence)
        return {
            "id": rule.id,
            "stage": rule.stage,
            "file": rule.file,
            "status": entry.status,
            "brief_sections": [
                {"section": section, "title": titles.get(section)} for section in sections
            ],
            "evidence": list(rule.rule.evidence),
            "review": rule.rule.review,
            "signed_by": _signer(entry.signoff) if entry.signoff is not None else None,
        }

    return {
        "rulebase": {
            "name": rulebase.name,
            "version": rulebase.version,
            "path": str(rulebase.path),
            "fingerprint": rulebase.fingerprint,
        },
        "signed_off": status.fully_signed,
        "counts": {name: len(status.having(name)) for name in ("signed", "stale", "awaiting")},
        "changed_since_latest_signoff": status.changed_since_latest,
        "latest_signoff": _signer(status.latest) if status.latest is not None else None,
        "brief": str(brief) if brief is not None else None,
        "rules": [rule_entry(entry) for entry in status.rules],
    }


def _when(signoff: SignOff) -> str:
    """2026-12-01T15:20:00Z as "2026-12-01 15:20 UTC"."""
    return signoff.signed_at[:10] + " " + signoff.signed_at[11:16] + " UTC"


def _rule_lines(entry: RuleSignOff, titles: Mapping[str, str]) -> list[str]:
    rule = entry.rule
    lines = [f"  {heading(rule.id)}  {quiet(rule.file)}"]
    lines += wrap("Cites " + "; ".join(rule.rule.evidence), "      ")
    sections = [describe_section(s, titles) for s in cited_sections(rule.rule.evidence)]
    if sections and titles:  # without the brief, "Cites" already gives the numbers
        lines += wrap("In the brief: " + "; ".join(sections), "      ")
    if entry.signoff is not None:
        signed = entry.signoff
        verb = "Signed" if entry.status == "signed" else "Was signed"
        lines += wrap(
            f"{verb} by {signed.name} ({signed.registration}) on {_when(signed)}", "      "
        )
    if rule.rule.review and entry.status != "signed":
        lines += wrap("To check: " + rule.rule.review, "      ")
    return lines


def review_text(
    rulebase: RuleBase, status: SignOffStatus, brief: Path | None, titles: Mapping[str, str]
) -> list[str]:
    """The report as lines of text, the rules to act on first."""
    counts = {name: len(status.having(name)) for name in ("signed", "stale", "awaiting")}
    lines = [
        heading(f"Sign-off of rule base {rulebase.name} {rulebase.version}"),
        f"  {len(status.rules)} rules: {counts['signed']} signed off, {counts['stale']} stale,"
        f" {counts['awaiting']} awaiting sign-off",
    ]
    noted = sum(1 for entry in status.rules if entry.rule.rule.review)
    lines.append(
        f"  {noted} rules carry a review note saying what to check."
        if noted
        else "  No rules carry a review note."
    )
    if status.latest is not None:
        latest = status.latest
        lines.append(f"  Last signed by {latest.name} ({latest.registration}) on {_when(latest)}.")
        if status.changed_since_latest:
            lines += wrap(
                "The rule base has changed since then (any file, its name or its folder: rules,"
                " cards, questions or exercises); the rules below say which rules changed.",
                "  ",
            )
    where = str(brief) if brief is not None else "docs/clinical-brief.md in facesym's source"
    lines += wrap(
        f"The evidence each rule cites is in the clinical brief: {where}",
        "  ",
        break_long_words=False,
    )
    for name in ("stale", "awaiting", "signed"):
        group = status.having(name)
        if group:
            lines += ["", heading(f"{GROUP_TITLES[name]} ({len(group)})")]
            for entry in group:
                lines += _rule_lines(entry, titles)
    lines.append("")
    if status.fully_signed:
        lines.append(good("Every rule is signed off as it is now."))
    else:
        lines.append(warning(f"Not fully signed off: {status.not_signed_off} rules still to sign."))
        lines += _how_to_sign(rulebase.path)
    return lines
