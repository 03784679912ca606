"""The `facesym` command: a thin click layer over the library.

Each command reads its input, calls the library and prints the result; every decision comes
from the rule base. Exit codes: 0 done, 1 invalid answers or rules (the library's message on
stderr, naming the field or the file and rule), 2 usage error, 130 a questionnaire stopped
with Ctrl-C or `quit`.

The commands are imported only when one runs (`LazyGroup`), so `facesym --help` and
`facesym --version` load no rule base and no engine. A new command is one entry in
`COMMANDS`: where it lives and the first paragraph of its help.
"""

from __future__ import annotations

import click

from ._lazy import LazyCommand, LazyGroup

_CLI = "recommender.cli"

COMMANDS = {
    "ask": LazyCommand(
        f"{_CLI}._recommend:ask",
        "Answer the questionnaire one question at a time and get a recommendation.",
    ),
    "recommend": LazyCommand(
        f"{_CLI}._recommend:recommend",
        "Recommend a next step for the answers in FILE (JSON; - reads standard input).",
    ),
    "schema": LazyCommand(
        f"{_CLI}._schema:schema",
        "Print a JSON Schema: the questionnaire (the default), the client's view of a"
        " recommendation (client), or the full recommendation (recommendation).",
    ),
    "questions": LazyCommand(
        f"{_CLI}._schema:questions",
        "Print every question as JSON: id, field, text, help, options, position (for the website).",
    ),
    "rules": LazyCommand(
        f"{_CLI}._rules:rules",
        "Check, test, review and sign off a rule base (DIR, or the one shipped with facesym).",
    ),
    "fhir": LazyCommand(
        f"{_CLI}._fhir:fhir", "Export the questionnaire and answers as HL7 FHIR R4 (4.0.1) JSON."
    ),
    "verify": LazyCommand(
        f"{_CLI}._proof:verify",
        "Prove the rule base in DIRECTORY (default: the shipped one) over its whole input space.",
    ),
    "diff": LazyCommand(
        f"{_CLI}._proof:diff",
        "Show which questionnaires would change pathway, urgency, category or options.",
    ),
    "programme": LazyCommand(
        f"{_CLI}._programme:programme",
        "Write the personal exercise programme for the answers in ANSWERS.json.",
    ),
    "records": LazyCommand(
        f"{_CLI}._records:records",
        "Consult records: set up the database, expire and erase records, read the access log.",
    ),
    "clinic": LazyCommand(
        f"{_CLI}._records:clinic", "Clinic accounts for reading consult records."
    ),
    "serve": LazyCommand(
        f"{_CLI}._serve:serve", "Serve the questionnaire, result pages and JSON API."
    ),
}
"""Every command: where it lives and its help's first paragraph (checked against the
command's own by tests/test_cli_startup.py)."""


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from ..installed import default_rules_path
        from ._version import version_text

        click.echo(version_text(default_rules_path()))
        ctx.exit()


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and the default rule base fingerprint.",
)
def cli() -> None:
    """facesym: a next-step recommendation for facial asymmetry, from a questionnaire.

    Start with `facesym ask` to answer the questionnaire one question at a time.
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="facesym")
