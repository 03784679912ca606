"""Reading the README's command examples and `facesym`'s click tree, for test_readme_commands.

The README's examples are the `$ ` lines of its fenced `console` blocks (a line ending in `\\`
goes on with the next one; the lines without `$` after it are what it prints). A trailing comment,
two spaces then `#`, says what to expect: `exit N`, `asks for a password`, or `not run by
the test: WHY`. README.md ("How to read the examples") documents the same markers.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, replace

import click

from recommender.cli import cli

FENCE = "```"
PROMPT = "$ "
NOTE = re.compile(r"^(?P<command>.*?\S)\s{2,}#\s(?P<note>.*)$")
EXIT_CODE = re.compile(r"\bexit (\d+)\b")
ASKS_PASSWORD = "asks for a password"
NOT_RUN = "not run by the test"
# Where a facesym invocation inside a shell line ends: a pipe, redirect, subshell or list.
SHELL_BREAK = re.compile(r"[|<>;&)`]")
FACESYM_CALL = re.compile(r"(?:^|[\s(\"'])facesym(?=\s|$)")
# An indented code line that runs facesym: it starts with it, or with `export X="$(facesym`.
LOOSE_CALL = re.compile(r"^ {4,}(?:export \S+=\"?\$\()?facesym\s")


@dataclass(frozen=True)
class Example:
    """One README example: the shell text after `$ ` and its trailing note, if any."""

    line: int
    command: str
    note: str
    output: tuple[str, ...] = ()
    section: str = ""

    @property
    def expected_exit(self) -> int:
        found = EXIT_CODE.search(self.note)
        return int(found.group(1)) if found else 0

    @property
    def asks_password(self) -> bool:
        return ASKS_PASSWORD in self.note

    @property
    def not_run(self) -> bool:
        return NOT_RUN in self.note

    def facesym_calls(self) -> list[list[str]]:
        """The arguments of each `facesym` invocation in the line (shell syntax around it cut)."""
        calls = []
        for match in FACESYM_CALL.finditer(self.command):
            rest = self.command[match.end() :]
            cut = SHELL_BREAK.search(rest)
            text = (rest[: cut.start()] if cut else rest).replace("\\\n", " ")
            calls.append(shlex.split(text))
        return calls


def console_examples(readme: str) -> list[Example]:
    """Every `$ ` example of the README's ```console blocks, in order, with its `##` section."""
    examples: list[Example] = []
    lines = readme.splitlines()
    fenced = in_console = False
    section = ""
    index = 0
    while index < len(lines):
        text = lines[index]
        if text.startswith(FENCE):
            fenced = not fenced
            in_console = fenced and text.strip() == FENCE + "console"
        elif not fenced and text.startswith("## "):
            section = text[3:].strip()
        elif in_console and text.startswith(PROMPT):
            start = index
            parts = [text[len(PROMPT) :]]
            while parts[-1].endswith("\\") and index + 1 < len(lines):
                index += 1
                parts.append(lines[index])
            output = []
            while index + 1 < len(lines) and not lines[index + 1].startswith((PROMPT, FENCE)):
                index += 1
                output.append(lines[index])
            found = _example(start + 1, "\n".join(parts), tuple(output))
            examples.append(replace(found, section=section))
        index += 1
    return examples


def _example(line: int, text: str, output: tuple[str, ...]) -> Example:
    """Split the trailing note off the example's last line."""
    *head, last = text.split("\n")
    found = NOTE.match(last)
    if found is None:
        return Example(line, text, "", output)
    command = "\n".join([*head, found.group("command")])
    return Example(line, command, found.group("note"), output)


USAGE = re.compile(r"^Usage: `facesym(?P<synopsis>[^`]*)`$")
SYNOPSIS_WORD = re.compile(r"[^\s\[\]|.]+")


def usage_lines(readme: str) -> dict[tuple[str, ...], list[set[str]]]:
    """Each command's `Usage:` lines in the README, as the set of options each one names."""
    usages: dict[tuple[str, ...], list[set[str]]] = {}
    for text in readme.splitlines():
        found = USAGE.match(text)
        if found is None:
            continue
        words = SYNOPSIS_WORD.findall(found.group("synopsis"))
        command, rest = resolve(words)
        usages.setdefault(command.path, []).append(set(long_options(rest)) - {"--help"})
    return usages


@dataclass(frozen=True)
class LooseLine:
    """A facesym command in the README outside a ```console block, under its headings."""

    line: int
    text: str
    headings: tuple[str, ...]


def loose_facesym_lines(readme: str) -> list[LooseLine]:
    """Indented (not fenced) code lines that run facesym, so not checked by the test."""
    found = []
    headings: dict[int, str] = {}
    fenced = False
    for number, text in enumerate(readme.splitlines(), start=1):
        if text.startswith(FENCE):
            fenced = not fenced
        elif fenced:
            continue
        elif text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = text.lstrip("#").strip()
        elif LOOSE_CALL.match(text):
            found.append(LooseLine(number, text.strip(), tuple(headings.values())))
    return found


@dataclass(frozen=True)
class Command:
    """A command of the click tree: its words after `facesym`, and each option's long names."""

    path: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    is_group: bool

    @property
    def shown(self) -> str:
        return " ".join(("facesym", *self.path))


def command_tree(command: click.Command = cli, path: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every command and group under `facesym`, with its options (click's --help left out)."""
    options = tuple(
        tuple(name for name in (*param.opts, *param.secondary_opts) if name.startswith("--"))
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
    )
    group = isinstance(command, click.Group)
    yield Command(path, options, group)
    if isinstance(command, click.Group):
        # list_commands/get_command, not .commands: `facesym` loads its commands on first use
        ctx = click.Context(command, info_name=path[-1] if path else "facesym")
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from command_tree(sub, (*path, name))


def resolve(arguments: list[str]) -> tuple[Command, list[str]]:
    """The deepest command the arguments name, and the arguments after its path."""
    known = {command.path: command for command in command_tree()}
    path: tuple[str, ...] = ()
    rest = list(arguments)
    while rest and (*path, rest[0]) in known:
        path = (*path, rest.pop(0))
    return known[path], rest


def long_options(arguments: list[str]) -> list[str]:
    """The `--name` options among arguments (`--name=value` counts as `--name`)."""
    return [argument.split("=", 1)[0] for argument in arguments if argument.startswith("--")]
