"""`facesym rules check|test|review|sign-off`: what a rule author and the prescriber run.

The rule base modules are imported inside each command, so `facesym rules --help` loads none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click

from ..views.style import alarm, echo, good
from ._brief_sections import brief_path, section_titles
from ._common import RULES_DIR, FacesymFailure, format_option, load_recommender, rules_option

DIR_ARGUMENT = click.argument("directory", required=False, type=RULES_DIR, metavar="[DIR]")


def chosen_dir(directory: Path | None, rules_dir: Path | None) -> Path | None:
    """DIR and --rules mean the same; both may be given only if they agree."""
    if directory and rules_dir and directory.resolve() != rules_dir.resolve():
        raise click.UsageError("give the rule base directory once: as DIR or with --rules")
    return directory or rules_dir


@click.group()
def rules() -> None:
    """Check, test, review and sign off a rule base (DIR, or the one shipped with facesym)."""


@rules.command()
@DIR_ARGUMENT
@rules_option
def check(directory: Path | None, rules_dir: Path | None) -> None:
    """Load and compile a rule base and summarise it; exit 1 naming the broken file and rule.

    Example: facesym rules check rules/
    """
    from ..rulebase.signoff import signoff_status

    recommender = load_recommender(chosen_dir(directory, rules_dir))
    base = recommender.rulebase
    echo(good(f"Rule base {base.name} {base.version} loads and compiles."))
    echo(f"  path         {base.path}")
    echo(f"  fingerprint  {base.fingerprint}")
    for stage in base.stages:
        echo(f"  stage {stage.id:<9}{len(stage.rules):>4} rules  ({', '.join(stage.files)})")
    echo(
        f"  {len(base.all_rules())} rules, {len(base.questions.questions)} questions,"
        f" {len(base.cards)} cards, {len(base.rules_for_review())} with a review note"
    )
    status = signoff_status(base)
    echo(
        f"  sign-off     {len(status.having('signed'))} signed off,"
        f" {len(status.having('stale'))} stale, {len(status.having('awaiting'))} awaiting"
    )


@rules.command()
@DIR_ARGUMENT
@rules_option
def test(directory: Path | None, rules_dir: Path | None) -> None:
    """Run every rule's own examples (must fire / must not fire); exit 1 if any fails.

    Example: facesym rules test rules/
    """
    from ..proof.rule_examples import run_examples

    recommender = load_recommender(chosen_dir(directory, rules_dir))
    results = run_examples(recommender)
    failures = [result for result in results if not result.passed]
    for result in failures:
        echo(alarm("FAIL ") + result.describe())
    summary = f"{len(results)} examples of {len(recommender.rulebase.all_rules())} rules"
    if failures:
        raise FacesymFailure(f"{len(failures)} of {summary} failed")
    echo(good(f"All {summary} passed."))


@rules.command()
@DIR_ARGUMENT
@rules_option
@format_option("A report to read, or the same as JSON.")
def review(directory: Path | None, rules_dir: Path | None, output_format: str) -> None:
    """List every rule as signed off (by whom, when), stale or awaiting sign-off, with the
    brief sections it cites and what to check. A report: exit 0 whatever it finds.

    Example: facesym rules review rules/ --format json
    """
    from ..rulebase.signoff import signoff_status
    from ._rules_review import review_json, review_text

    recommender = load_recommender(chosen_dir(directory, rules_dir))
    base = recommender.rulebase
    status = signoff_status(base)
    brief = brief_path()
    titles = section_titles(brief)
    if output_format == "json":
        click.echo(json.dumps(review_json(base, status, brief, titles), indent=2))
        return
    for line in review_text(base, status, brief, titles):
        echo(line)


def _checked(check: Callable[[str], str], value: str, option: str) -> str:
    try:
        return check(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


@rules.command("sign-off")
@DIR_ARGUMENT
@rules_option
@click.option("--name", required=True, help="The signing prescriber's full name.")
@click.option(
    "--registration",
    required=True,
    metavar="NUMBER",
    help="Their professional registration, e.g. 'GMC 1234567', 'NMC 12A3456E'.",
)
@click.option(
    "--rule",
    "rule_ids",
    multiple=True,
    metavar="ID",
    help="Sign only this rule (repeat for more); without it, every rule is signed.",
)
def sign_off(
    directory: Path | None,
    rules_dir: Path | None,
    name: str,
    registration: str,
    rule_ids: tuple[str, ...],
) -> None:
    """Record the prescriber's sign-off of the rules in DIR as they are now: who, their
    registration, the date (UTC), the rules and their fingerprints, in DIR/signoff.yaml.
    Changing a signed rule afterwards makes its sign-off stale.

    Example: facesym rules sign-off my-rules/ --name "Dr A Shah" --registration "GMC 1234567"
    """
    from ..rulebase.signoff import UnknownRulesError, new_signoff, signoff_status
    from ..rulebase.signoff_record import check_name, check_registration, write_signoffs

    chosen = chosen_dir(directory, rules_dir)
    if chosen is None:
        raise click.UsageError(
            "name the rule base directory to sign (DIR or --rules), for example rules/"
        )
    name = _checked(check_name, name, "--name")
    registration = _checked(check_registration, registration, "--registration")
    recommender = load_recommender(chosen)  # only a rule base that loads and compiles
    base = recommender.rulebase
    try:
        signoff = new_signoff(base, name, registration, rule_ids, datetime.now(UTC))
    except UnknownRulesError as error:
        raise click.BadParameter(
            f"{error}; nothing was signed (facesym rules review lists the ids)",
            param_hint="--rule",
        ) from None
    try:
        written = write_signoffs(base.path, [*base.signoffs, signoff])
    except OSError as error:
        raise FacesymFailure(f"could not write the sign-off in {base.path}: {error}") from None
    status = signoff_status(replace(base, signoffs=(*base.signoffs, signoff)))
    echo(
        good(
            f"Signed off {len(signoff.rules)} rules for {signoff.name}"
            f" ({signoff.registration}) at {signoff.signed_at}."
        )
    )
    echo(f"  recorded in  {written}")
    echo(f"  fingerprint  {signoff.rulebase_fingerprint}")
    echo(
        f"  now          {len(status.having('signed'))} signed off,"
        f" {len(status.having('stale'))} stale, {len(status.having('awaiting'))} awaiting"
    )
