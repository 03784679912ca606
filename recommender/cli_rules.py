"""`facesym rules check|test|review`: what a rule author and the prescriber run."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import RULES_DIR, FacesymFailure, load_recommender, rules_option
from .cli_style import alarm, echo, good, heading, quiet
from .render import wrap
from .ruletests import run_examples

DIR_ARGUMENT = click.argument("directory", required=False, type=RULES_DIR, metavar="[DIR]")


def chosen_dir(directory: Path | None, rules_dir: Path | None) -> Path | None:
    """DIR and --rules mean the same; both may be given only if they agree."""
    if directory and rules_dir and directory.resolve() != rules_dir.resolve():
        raise click.UsageError("give the rule base directory once: as DIR or with --rules")
    return directory or rules_dir


@click.group()
def rules() -> None:
    """Check, test and review a rule base (DIR, or the one shipped with facesym)."""


@rules.command()
@DIR_ARGUMENT
@rules_option
def check(directory: Path | None, rules_dir: Path | None) -> None:
    """Load and compile a rule base and summarise it; exit 1 naming the broken file and rule.

    Example: facesym rules check rules/
    """
    recommender = load_recommender(chosen_dir(directory, rules_dir))
    base = recommender.rulebase
    echo(good(f"Rule base {base.name} {base.version} loads and compiles."))
    echo(f"  path         {base.path}")
    echo(f"  fingerprint  {base.fingerprint}")
    for stage in base.stages:
        echo(f"  stage {stage.id:<9}{len(stage.rules):>4} rules  ({', '.join(stage.files)})")
    echo(
        f"  {len(base.all_rules())} rules, {len(base.questions.questions)} questions,"
        f" {len(base.cards)} cards, {len(base.rules_for_review())} awaiting review"
    )


@rules.command()
@DIR_ARGUMENT
@rules_option
def test(directory: Path | None, rules_dir: Path | None) -> None:
    """Run every rule's own examples (must fire / must not fire); exit 1 if any fails.

    Example: facesym rules test rules/
    """
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
def review(directory: Path | None, rules_dir: Path | None) -> None:
    """List the rules awaiting the prescriber's sign-off: id, file and what to check.

    Example: facesym rules review
    """
    recommender = load_recommender(chosen_dir(directory, rules_dir))
    pending = recommender.rulebase.rules_for_review()
    if not pending:
        echo(good("No rules are awaiting review."))
        return
    echo(heading(f"{len(pending)} rules awaiting the prescriber's sign-off"))
    for loaded in pending:
        echo(f"  {heading(loaded.id)}  {quiet(loaded.file)}")
        for line in wrap(str(loaded.rule.review), "      "):
            echo(line)
