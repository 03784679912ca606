"""The prescriber's sign-off record: `signoff.yaml` inside a rule base directory.

The record is read beside the rule files but never fingerprinted with them: signing adds to
this file, and a rule base whose fingerprint changed on signing could never be signed
(`loader.load_rulebase` reads it with `read_signoffs`). Every sign-off is kept, newest last,
so the file is also the history of who signed what and when.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..contract._preview import preview
from ..contract.errors import RuleBaseError

SIGNOFF_FILE = "signoff.yaml"

_HEADER = (
    "# The prescriber's sign-off of this rule base, written by `facesym rules sign-off`.\n"
    "# Do not edit by hand: each entry records who signed, when, and a fingerprint of each\n"
    "# rule as signed; a rule changed since is stale and needs signing again.\n"
)

_SHA256 = r"^[0-9a-f]{64}$"
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_REGISTRATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*[A-Za-z0-9]$")
_MAX_NAME = 120
_MAX_REGISTRATION = 40


def check_name(text: str) -> str:
    """The signer's name: one line of printable text."""
    name = " ".join(text.split())
    if not name:
        raise ValueError("give the prescriber's full name")
    if len(name) > _MAX_NAME or not text.isprintable():
        raise ValueError(f"a name is one line of at most {_MAX_NAME} printable characters")
    return name


def check_registration(text: str) -> str:
    """A professional registration number (GMC, NMC, GPhC, ...): free text, but of a
    plausible shape, so a slip such as an empty value or a name typed here is caught."""
    registration = " ".join(text.split())
    if not registration:
        raise ValueError("give the prescriber's professional registration, e.g. 'GMC 1234567'")
    if (
        not text.isprintable()
        or len(registration) > _MAX_REGISTRATION
        or not _REGISTRATION.match(registration)
        or sum(c.isdigit() for c in registration) < 4
    ):
        raise ValueError(
            f"{preview(registration)} does not look like a registration number: expected the"
            f" register and number, e.g. 'GMC 1234567', 'NMC 12A3456E' or 'GPhC 2012345'"
            f" (letters, at least 4 digits, spaces, '.', '/', '-'; at most"
            f" {_MAX_REGISTRATION} characters)"
        )
    return registration


def _check_timestamp(text: str) -> str:
    if not _TIMESTAMP.match(text):
        raise ValueError("must be an ISO 8601 UTC time such as 2026-12-01T15:20:00Z")
    try:
        datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise ValueError(f"{text} is not a real date and time") from None
    return text


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC to the second, as the record stores it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Fingerprint = Annotated[str, Field(pattern=_SHA256)]


class SignOff(BaseModel):
    """One sign-off: who, their registration, when, and what exactly they signed."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: Annotated[str, AfterValidator(check_name)]
    registration: Annotated[str, AfterValidator(check_registration)]
    signed_at: Annotated[str, AfterValidator(_check_timestamp)] = Field(
        description="ISO 8601, UTC."
    )
    rulebase_fingerprint: Fingerprint = Field(
        description="The whole rule base's fingerprint when it was signed."
    )
    rules: Annotated[dict[str, Fingerprint], Field(min_length=1)] = Field(
        description="Each signed rule's id and the fingerprint of its content as signed."
    )


class SignOffFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    signoffs: Annotated[list[SignOff], Field(min_length=1)]


def _message(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:8]:
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def read_signoffs(root: Path) -> tuple[SignOff, ...]:
    """Every sign-off recorded in the rule base at `root`, oldest first; none when the file
    is absent. A malformed file fails the load like a broken rule file, naming the file."""
    path = root / SIGNOFF_FILE
    if not path.exists() and not path.is_symlink():
        return ()
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError) as error:
        raise RuleBaseError(SIGNOFF_FILE, f"is not a usable file ({error})") from None
    if not inside or not path.is_file():
        raise RuleBaseError(SIGNOFF_FILE, "must be a file inside the rule base directory")
    import yaml  # here: a rule base without sign-offs (or from the cache) reads no YAML

    from .yamlio import load_yaml

    try:
        data: Any = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RuleBaseError(SIGNOFF_FILE, f"cannot be read ({error.strerror})") from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise RuleBaseError(SIGNOFF_FILE, f"invalid YAML: {error}") from None
    try:
        return tuple(SignOffFile.model_validate(data).signoffs)
    except ValidationError as error:
        raise RuleBaseError(SIGNOFF_FILE, _message(error)) from None


def write_signoffs(root: Path, signoffs: Sequence[SignOff]) -> Path:
    """Write the whole record atomically (a temporary file in the same folder, then renamed
    over the old one), so a crash never leaves half a record; returns its path."""
    import yaml

    text = _HEADER + yaml.safe_dump(
        {"signoffs": [signoff.model_dump() for signoff in signoffs]},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    target = root / SIGNOFF_FILE
    # mkstemp makes the file private; keep the old file's mode, or let the clinic read it.
    mode = target.stat().st_mode & 0o777 if target.is_file() else 0o644
    handle, temporary = tempfile.mkstemp(dir=root, prefix=f".{SIGNOFF_FILE}.", suffix=".tmp")
    try:
        Path(temporary).chmod(mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
