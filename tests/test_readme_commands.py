"""The README documents every command and option of `facesym`, and its examples run (issue 16).

The command reference is checked against click's own command tree, so a new command or
option without a README example fails here. Then every `$ ` example of the README's
```console blocks runs for real, as a new user would type it: the installed `facesym` script
through bash, each `##` section's examples in README order in an empty folder of its own
outside the checkout, holding copies of `examples/` and `rules/`, nothing on standard input
unless the example pipes or redirects it, a temporary SQLite records database and a records
key the test sets. Each example's exit
code must be the one its note states, and the lines the README shows under it as its output
must be among the lines it prints. Variables an example exports carry over to the next
one, as in one terminal. The few examples marked "not run by the test" are named below.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from recommender.records import new_key

from .readme_commands_support import (
    Example,
    command_tree,
    console_examples,
    long_options,
    loose_facesym_lines,
    resolve,
    usage_lines,
)

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PASSWORD = "a long test password"  # typed at every password prompt (at least 12 characters)

# The examples the test does not run, and why; each still has its command and options checked.
NOT_RUN = {
    "facesym ask --save answers.json": "waits for a person's answers",
    "facesym ask --resume partial.json --save partial.json": "waits for a person's answers",
    "facesym verify rules/": "walks the whole answer space (minutes)",
    "facesym verify rules/ --format json --workers 2": "walks the whole answer space (minutes)",
    "facesym diff rules/ my-clinic-rules/ | grep -m1 '^{' > person.json": "needs a real change"
    " to the rules, whose walk takes minutes",
    "facesym recommend person.json": "needs the person.json of that walk",
    "facesym recommend person.json --rules my-clinic-rules/": "needs the same person.json",
    "facesym serve --dev": "a web server, running until stopped",
    "facesym serve --dev --rules rules/ --host 127.0.0.1 --port 8080": "a web server",
    "facesym serve --rules /srv/clinic-rules --host 127.0.0.1 --port 8000 --workers 4": "a web"
    " server in production, which needs signed-off rules and a site secret",
}
MOST_NOT_RUN = 10
# The README's sections from here on are the command reference; in them, a facesym command
# outside a ```console block is allowed only in the production recipe (a PostgreSQL server).
REFERENCE_START = "## The command line"
LOOSE_ALLOWED_UNDER = "Deployment"
MOST_LOOSE = 4
SECTIONS_AT_ONCE = 2
STEP_TIMEOUT = 60  # seconds for one example: a hung prompt fails instead of blocking the run
# Shell bookkeeping that is not a variable an example set.
SHELL_OWN = {"PWD", "OLDPWD", "SHLVL", "_", "README_ENV_FILE"}


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    found = console_examples(README.read_text(encoding="utf-8"))
    assert found, "README.md has no ```console examples"
    return found


def test_the_examples_are_read_with_their_notes() -> None:
    text = "\n".join(
        [
            "```console",
            "$ facesym recommend - < a.json   # exit 1: empty",
            "printed output",
            "$ facesym rules sign-off my/ --name 'Dr A' \\",
            "    --rule a.b   # asks for a password; exit 2",
            "$ facesym verify rules/   # not run by the test: slow",
            "```",
            "    $ facesym schema   # an indented block: not an example",
        ]
    )
    first, second, third = console_examples(text)
    assert first.output == ("printed output",) and second.output == third.output == ()
    assert (first.line, first.command, first.expected_exit) == (
        2,
        "facesym recommend - < a.json",
        1,
    )
    assert second.command == "facesym rules sign-off my/ --name 'Dr A' \\\n    --rule a.b"
    assert second.asks_password and second.expected_exit == 2 and not second.not_run
    assert second.facesym_calls() == [
        ["rules", "sign-off", "my/", "--name", "Dr A", "--rule", "a.b"]
    ]
    assert third.not_run and third.expected_exit == 0


def _examples_of(examples: list[Example]) -> dict[tuple[str, ...], list[list[str]]]:
    """For each command path, the arguments after it in every README example that calls it."""
    calls: dict[tuple[str, ...], list[list[str]]] = {}
    for example in examples:
        for arguments in example.facesym_calls():
            command, rest = resolve(arguments)
            calls.setdefault(command.path, []).append(rest)
    return calls


def test_every_command_has_an_example(examples: list[Example]) -> None:
    calls = _examples_of(examples)
    missing = [c.shown for c in command_tree() if not c.is_group and c.path not in calls]
    assert not missing, f"commands with no ```console example in README.md: {missing}"


def test_every_option_has_an_example_of_its_command(examples: list[Example]) -> None:
    calls = _examples_of(examples)
    readme = README.read_text(encoding="utf-8")
    missing = []
    for command in command_tree():
        used = {option for rest in calls.get(command.path, []) for option in long_options(rest)}
        for names in command.options:
            assert any(name in readme for name in names), f"{names} is not in README.md"
            if not used.intersection(names):
                missing.append(f"{command.shown} {names[0]}")
    assert not missing, f"options with no example of their command in README.md: {missing}"


def test_every_command_has_one_usage_line_naming_its_options() -> None:
    usages = usage_lines(README.read_text(encoding="utf-8"))
    wrong = []
    for command in command_tree():
        if command.is_group and command.path:
            continue  # a group is only its subcommands
        options = {names[0] for names in command.options}
        found = usages.get(command.path, [])
        if len(found) != 1:
            wrong.append(f"{command.shown}: {len(found)} usage lines, not 1")
        elif found[0] != options:
            wrong.append(f"{command.shown}: usage names {sorted(found[0])}, not {sorted(options)}")
    assert not wrong, "\n".join(wrong)


def test_every_example_names_real_commands_and_options(examples: list[Example]) -> None:
    wrong = []
    for example in examples:
        for arguments in example.facesym_calls():
            command, rest = resolve(arguments)
            known = {name for names in command.options for name in names} | {"--help"}
            wrong += [
                f"README.md:{example.line}: {command.shown} has no option {option}"
                for option in long_options(rest)
                if option not in known
            ]
            if command.is_group and not set(rest) & {"--help", "--version"}:
                wrong.append(f"README.md:{example.line}: {command.shown} needs a subcommand")
    assert not wrong, "\n".join(wrong)


def test_the_command_reference_shows_commands_only_as_examples() -> None:
    """Past the set-up and library parts, a facesym line outside ```console is never run by
    this test, so only the production server recipe (PostgreSQL, /srv) may be one."""
    readme = README.read_text(encoding="utf-8")
    start = readme.splitlines().index(REFERENCE_START) + 1
    reference = [line for line in loose_facesym_lines(readme) if line.line > start]
    wrong = [line for line in reference if LOOSE_ALLOWED_UNDER not in line.headings]
    assert not wrong, "\n".join(f"README.md:{line.line}: {line.text}" for line in wrong)
    assert len(reference) <= MOST_LOOSE


def test_the_examples_not_run_are_few_and_named(examples: list[Example]) -> None:
    not_run = [example.command for example in examples if example.not_run]
    assert len(not_run) == len(set(not_run)) <= MOST_NOT_RUN
    assert set(not_run) == set(NOT_RUN)


@dataclass
class Outcome:
    """What one example did, for the failure message."""

    example: Example
    returncode: int | str
    stdout: str
    stderr: str

    def missing_output(self) -> list[str]:
        """The lines the README shows under the example that it did not print."""
        printed = {line.strip() for line in self.stdout.splitlines()}
        return [line for line in self.example.output if line.strip() not in printed]

    def failed(self) -> bool:
        return self.returncode != self.example.expected_exit or bool(self.missing_output())

    def __str__(self) -> str:
        tail = "\n      ".join(self.stderr.strip().splitlines()[-6:])
        return (
            f"README.md:{self.example.line}: $ {self.example.command}\n"
            f"    expected exit {self.example.expected_exit}, got {self.returncode}\n"
            f"    shown in the README but not printed: {self.missing_output()}\n"
            f"      {tail}"
        )


def _new_user_folder(folder: Path) -> None:
    """An empty folder with what the examples read: the answers files and a copy of rules/."""
    (folder / "examples").mkdir(parents=True)
    for answers in sorted((ROOT / "examples").glob("*.json")):
        shutil.copy(answers, folder / "examples" / answers.name)
    shutil.copytree(ROOT / "rules", folder / "rules")


def _start_environment(folder: Path) -> dict[str, str]:
    """A plain shell's environment: the installed `facesym` on PATH, records in a temp file."""
    scripts = Path(sys.executable).parent
    assert (scripts / "facesym").is_file(), f"no installed facesym script in {scripts}"
    keep = {k: v for k, v in os.environ.items() if k in {"LANG", "LC_ALL", "TMPDIR"}}
    return {
        **keep,
        "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        "HOME": str(folder / "home"),
        "FACESYM_DATABASE_URL": f"sqlite:///{folder / 'test-records.sqlite3'}",
        "FACESYM_RECORDS_KEY": new_key(),
    }


def _run(example: Example, folder: Path, env: dict[str, str]) -> tuple[Outcome, dict[str, str]]:
    """Run one example in bash; its outcome and the environment it leaves for the next one."""
    env_file = folder / "home" / "readme-env"
    env_file.unlink(missing_ok=True)  # so a shell that never wrote it keeps the old variables
    script = (
        f"set -o pipefail\n{example.command}\nstatus=$?\n"
        'env -0 > "$README_ENV_FILE"\nexit "$status"\n'
    )
    try:
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=folder,
            env={**env, "README_ENV_FILE": str(env_file)},
            input=f"{PASSWORD}\n{PASSWORD}\n" if example.asks_password else "",
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            start_new_session=True,  # no terminal: a password prompt reads standard input
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(example, f"no exit within {STEP_TIMEOUT} s", "", ""), env
    if not env_file.is_file():
        return Outcome(example, done.returncode, done.stdout, done.stderr), env
    left = dict(
        item.split("=", 1)
        for item in env_file.read_text(encoding="utf-8").split("\0")
        if "=" in item
    )
    after = {name: value for name, value in left.items() if name not in SHELL_OWN}
    return Outcome(example, done.returncode, done.stdout, done.stderr), after


def _run_section(examples: list[Example], folder: Path) -> list[Outcome]:
    """One `##` section's examples in order, in a new user's folder of its own."""
    assert ROOT not in folder.parents
    _new_user_folder(folder)
    (folder / "home").mkdir()
    env = _start_environment(folder)
    outcomes = []
    for example in examples:
        outcome, env = _run(example, folder, env)
        outcomes.append(outcome)
    return outcomes


def test_the_readme_examples_run(examples: list[Example], tmp_path: Path) -> None:
    sections: dict[str, list[Example]] = {}
    for example in examples:
        if not example.not_run:
            sections.setdefault(example.section, []).append(example)
    # Sections share nothing, so two run at once (each example is mostly facesym's start-up).
    with ThreadPoolExecutor(max_workers=SECTIONS_AT_ONCE) as pool:
        runs = [
            pool.submit(_run_section, section, tmp_path / f"new-user-{number}")
            for number, section in enumerate(sections.values())
        ]
        outcomes = [outcome for run in runs for outcome in run.result()]
    failures = [str(outcome) for outcome in outcomes if outcome.failed()]
    assert not failures, f"{len(failures)} README example(s) failed:\n" + "\n".join(failures)
