"""Alembic migrations shipped inside the package, so an installed facesym can set up its tables.

Migrating is an explicit step (`facesym records migrate`), not done on open: with several web
processes on one PostgreSQL database, upgrades on open would race, and a clinic should back up
before a schema change. Opening the store checks the schema is current and says what to run.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from .database import safe_url
from .errors import SchemaOutOfDateError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration this version of facesym ships."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Upgrade the database to the newest migration; returns (before, after)."""
    before = current_revision(engine)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()


def require_current(engine: Engine) -> None:
    """Refuse a database whose tables are not this version's, naming the command that fixes it."""
    current = current_revision(engine)
    if current != head_revision():
        state = "has no record tables yet" if current is None else f"is at migration {current}"
        raise SchemaOutOfDateError(
            f"the records database {safe_url(engine.url)} {state}: run `facesym records migrate`"
        )
