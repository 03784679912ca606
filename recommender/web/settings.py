"""How `facesym serve` is configured: options first, then environment variables, then defaults.

Every secret comes from the environment, never from an option (which would show in `ps` and
the shell history). Each bad value is an error naming the variable and what it may be.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from recommender.contract.errors import FacesymError

from .app import RULES_ENV, SECRET_ENV

HOST_ENV = "FACESYM_HOST"
PORT_ENV = "FACESYM_PORT"
WORKERS_ENV = "FACESYM_WORKERS"
THREADS_ENV = "FACESYM_THREADS"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
MAX_WORKERS = 64
MIN_SECRET = 32
"""Shortest session key accepted in production: `secrets.token_hex(32)` gives 64."""
SECRET_HINT = "python -c 'import secrets; print(secrets.token_hex(32))'"


class ServeSettingError(FacesymError):
    """A setting of `facesym serve` is missing or not allowed."""


@dataclass(frozen=True)
class ServeSettings:
    """Where to listen, how many processes, which rules, and the session key."""

    host: str
    port: int
    workers: int
    threads: int
    rules: Path | None
    secret_key: str | None

    @classmethod
    def gather(
        cls,
        host: str | None = None,
        port: int | None = None,
        workers: int | None = None,
        rules: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> ServeSettings:
        """The options given, else the environment's values, else the defaults."""
        env = os.environ if environ is None else environ
        rules_text = env.get(RULES_ENV, "").strip()
        return cls(
            host=host or env.get(HOST_ENV, "").strip() or DEFAULT_HOST,
            port=port if port is not None else _whole(env, PORT_ENV, DEFAULT_PORT, 1, 65535),
            workers=(
                workers
                if workers is not None
                else _whole(env, WORKERS_ENV, DEFAULT_WORKERS, 1, MAX_WORKERS)
            ),
            threads=_whole(env, THREADS_ENV, DEFAULT_THREADS, 1, 64),
            rules=rules or (Path(rules_text) if rules_text else None),
            secret_key=env.get(SECRET_ENV) or None,
        )

    @property
    def bind(self) -> str:
        """gunicorn's bind address (an IPv6 host in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def production_secret(self) -> str:
        """The session key, which production will not start without."""
        if self.secret_key is None:
            raise ServeSettingError(
                f"{SECRET_ENV} is not set: production needs a fixed secret key for the session"
                f" cookie, the same in every worker. Make one with {SECRET_HINT}"
                " (or start with --dev to try the site on this computer)"
            )
        if len(self.secret_key) < MIN_SECRET:
            raise ServeSettingError(
                f"{SECRET_ENV} is {len(self.secret_key)} characters: use at least {MIN_SECRET},"
                f" for example from {SECRET_HINT}"
            )
        return self.secret_key


def _whole(env: Mapping[str, str], name: str, default: int, least: int, most: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not least <= int(text) <= most:
        raise ServeSettingError(
            f"{name} is {text!r}: expected a whole number from {least} to {most}"
        )
    return int(text)
