"""`facesym records ...` and `facesym clinic ...`: the clinic's side of consult records.

The database stack is the optional `web` extra; without it these commands say which extra
to install instead of failing with a traceback. Passwords are always typed at a hidden
prompt, never given as options (which would land in the shell history).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

import click

from ..contract.errors import FacesymError
from ._common import FacesymFailure, format_option

if TYPE_CHECKING:
    from ..records import ConsultStore, User

EXTRA_HINT = (
    "python -m pip install 'facesym[web]' (from a checkout of facesym: python -m pip install"
    " '.[web]' in its folder)"
)
ROLE_CHOICES = ("clinician", "admin")


def _records() -> ModuleType:
    """The records package, or a clean failure naming the extra that brings its libraries."""
    try:
        return import_module("recommender.records")
    except ImportError as error:
        missing = getattr(error, "name", None) or "a library"
        raise FacesymFailure(
            f"consult records need the `web` extra ({missing} is not installed): {EXTRA_HINT}"
        ) from None


@contextmanager
def _clean_failures() -> Iterator[None]:
    """The store's own errors and database errors as one-line messages, never a traceback."""
    _records()  # first, so a missing extra is named rather than raised from this import
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except FacesymError as error:
        raise FacesymFailure(str(error)) from None
    except SQLAlchemyError as error:
        cause = str(getattr(error, "orig", None) or type(error).__name__).strip().splitlines()
        raise FacesymFailure(
            f"the records database could not be used: {cause[0] if cause else error}"
        ) from None


def _open_store() -> ConsultStore:
    store: ConsultStore = _records().ConsultStore.open()
    return store


def _sign_in(store: ConsultStore, name: str) -> User:
    """The account, after its password is typed at a hidden prompt."""
    password = click.prompt(f"Password for {name}", hide_input=True, err=True)
    user = store.verify_password(name, password)
    if user is None:
        raise FacesymFailure("wrong account name or password")
    return user


user_option = click.option(
    "--user",
    "user_name",
    required=True,
    metavar="NAME",
    help="An admin account (its password is asked for).",
)


@click.group()
def records() -> None:
    """Consult records: set up the database, expire and erase records, read the access log.

    Settings come from the environment: FACESYM_DATABASE_URL (a SQLite file
    facesym-records.sqlite3 in this folder by default), FACESYM_RECORDS_KEY and
    FACESYM_RECORDS_RETENTION_DAYS.
    """


@records.command()
def migrate() -> None:
    """Create or upgrade the record tables (run once, and after each facesym upgrade)."""
    module = _records()
    from ..records.database import make_engine, safe_url

    with _clean_failures():
        engine = make_engine(module.RecordSettings.from_environment().database_url)
        try:
            before, after = module.migrate(engine)
        finally:
            engine.dispose()
    where = safe_url(engine.url)
    if before == after:
        click.echo(f"{where} is up to date (migration {after}).")
    else:
        click.echo(f"{where} migrated from {before or 'empty'} to {after}.")


@records.command()
def purge() -> None:
    """Delete every record whose retention period has ended (run it daily, e.g. from cron)."""
    with _clean_failures(), _open_store() as store:
        count = store.purge()
    click.echo(f"Purged {count} expired record(s).")


@records.command()
@click.argument("reference")
@user_option
def erase(reference: str, user_name: str) -> None:
    """Erase the record REFERENCE at the person's request (an admin does it; it is logged)."""
    with _clean_failures(), _open_store() as store:
        user = _sign_in(store, user_name)
        store.erase(reference, by=user)
    click.echo(f"Erased record {_shown(reference)}.")


@records.command("show-access-log")
@user_option
@click.option("--record", "reference", metavar="REFERENCE", help="Only this record's entries.")
@format_option("Readable lines, or JSON for a tool.")
def show_access_log(user_name: str, reference: str | None, output_format: str) -> None:
    """Who viewed, listed, erased or purged which record, and when; newest first (admins)."""
    with _clean_failures(), _open_store() as store:
        user = _sign_in(store, user_name)
        entries = store.access_log(user, reference)
    if output_format == "json":
        click.echo(json.dumps([entry.model_dump(mode="json") for entry in entries], indent=2))
        return
    if not entries:
        click.echo("The access log is empty.")
    for entry in entries:
        shown = _records().display_reference(entry.reference)
        click.echo(f"{entry.at:%Y-%m-%d %H:%M:%S} UTC  {entry.action:<6} {shown}  {entry.user}")


def _shown(reference: str) -> str:
    """A reference as a person reads it (7KQ2M-XD9RA), however it was typed."""
    from ..records.reference import display, normalise

    stored = normalise(reference)
    return display(stored) if stored else reference


@records.command("new-key")
def new_key() -> None:
    """Print a new random key for FACESYM_RECORDS_KEY (keep it secret, and backed up)."""
    click.echo(_records().new_key())


@records.command("rotate-key")
def rotate_key() -> None:
    """Seal every record again with the first key in FACESYM_RECORDS_KEY.

    Put the new key first (NEW,OLD), run this, then remove the old key.
    """
    with _clean_failures(), _open_store() as store:
        count = store.reseal()
    click.echo(f"Sealed {count} record(s) again with the newest key.")


@click.group()
def clinic() -> None:
    """Clinic accounts for reading consult records."""


@clinic.command("add-user")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLE_CHOICES),
    default="clinician",
    show_default=True,
    help="clinician reads records; admin also erases them and reads the access log.",
)
def add_user(name: str, role: str) -> None:
    """Make an account NAME; its password is asked for twice and kept as an argon2 hash."""
    with _clean_failures(), _open_store() as store:
        password = click.prompt(
            f"Password for {name} (at least 12 characters)",
            hide_input=True,
            confirmation_prompt=True,
            err=True,
        )
        user = store.add_user(name, password, role)
    click.echo(f"Added {user.role} account {user.name}.")
