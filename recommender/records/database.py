"""The engine for FACESYM_DATABASE_URL: SQLite by default, PostgreSQL (psycopg 3) by URL.

Nothing here logs SQL or its parameters: `echo` stays off and parameters are hidden from
error messages, so no answer (sealed or not) reaches a log or a traceback.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from .errors import SettingError
from .settings import DATABASE_URL_VARIABLE


def database_url(text: str) -> URL:
    """The URL, with plain `postgresql://` meaning psycopg 3 (the driver the extra installs)."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise SettingError(
            f"{DATABASE_URL_VARIABLE} is not a database URL: expected e.g."
            " sqlite:///records.sqlite3 or postgresql://user@host/dbname"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def safe_url(url: URL) -> str:
    """The URL for messages, with any password hidden."""
    return url.render_as_string(hide_password=True)


def make_engine(text: str) -> Engine:
    """An engine for the URL; a SQLite engine enforces foreign keys and overwrites deleted data."""
    url = database_url(text)
    try:
        engine = create_engine(url, echo=False, hide_parameters=True, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        if url.get_backend_name() == "postgresql":
            raise SettingError(
                f"{DATABASE_URL_VARIABLE} names PostgreSQL, whose driver is the `postgres` extra"
                " (psycopg is not installed): python -m pip install 'facesym[web,postgres]'"
            ) from None
        raise SettingError(
            f"{DATABASE_URL_VARIABLE}: no driver for {url.drivername!r} ({error}); use sqlite"
            " or postgresql"
        ) from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """secure_delete: an erased or purged record's bytes are zeroed in the file, not left free."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()
