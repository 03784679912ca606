"""Run the web app: gunicorn in production, Flask's development server only with `--dev`.

gunicorn, not waitress: scaling means processes here (the rules engine holds the GIL while
it evaluates, so threads in one process share one core), and gunicorn pre-forks workers,
restarts one that dies and has run Flask apps in production for years. waitress is a
single process with threads. Each worker builds its own app and `Recommender` after the
fork (nothing is built in the master and shared across the fork).

Production refuses to start without a secret key or with rules not signed off, and says
which; both are checked in the master first, so a bad setting is one clear message rather
than every worker failing to boot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, run_simple

from recommender.api import default_rules_path
from recommender.rulebase.loader import load_rulebase
from recommender.rulebase.model import RuleBase

from .app import create_app, load_recommender
from .release import development_banner, require_signed_off
from .settings import ServeSettingError, ServeSettings

if TYPE_CHECKING:
    from recommender import Recommender
    from recommender.records import ConsultStore


def settings_rulebase(settings: ServeSettings) -> RuleBase:
    """The rule base the settings name (loaded, not compiled: enough to check its sign-off)."""
    return load_rulebase(settings.rules or default_rules_path())


def open_records(recommender: Recommender | None) -> ConsultStore | None:
    """The consult store when FACESYM_RECORDS_KEY is set (records on), else None (off).

    A database that is not migrated, or cannot be reached, is an error naming it."""
    from sqlalchemy.exc import SQLAlchemyError

    from recommender.records import ConsultStore, RecordSettings

    records = RecordSettings.from_environment()
    if records.keys is None:
        return None
    try:
        return ConsultStore.open(records, recommender=recommender)
    except SQLAlchemyError as error:
        cause = str(getattr(error, "orig", None) or type(error).__name__).strip().splitlines()
        raise ServeSettingError(
            f"the records database could not be used: {cause[0] if cause else error}"
        ) from None


def production_app(settings: ServeSettings) -> Flask:
    """The app as production serves it: a fixed secret, signed-off rules, Secure cookies,
    and consult records when a records key is set."""
    secret = settings.production_secret()
    recommender = load_recommender(settings.rules)
    require_signed_off(recommender.rulebase)
    app = create_app(recommender, secret_key=secret, records=open_records(recommender))
    app.config["SESSION_COOKIE_SECURE"] = True  # behind the TLS reverse proxy
    return app


def development_app(settings: ServeSettings) -> Flask:
    """The app for trying out: any rule base, with a banner on every page saying so."""
    recommender = load_recommender(settings.rules)
    return create_app(
        recommender,
        secret_key=settings.secret_key,
        banner=development_banner(recommender.rulebase),
        records=open_records(recommender),
    )


def check_production(settings: ServeSettings) -> None:
    """Everything production refuses, checked before any worker starts."""
    settings.production_secret()
    require_signed_off(settings_rulebase(settings))
    store = open_records(None)
    if store is not None:
        store.close()


CONTROL_SOCKET_OFF = "control_socket_disable"
"""gunicorn's management socket (in the home folder) is off: nothing here uses it, and
an unused way into a running server is better not there."""


class _Gunicorn:
    """gunicorn's embedding API: options set in code, the app built in each worker."""

    def __init__(self, settings: ServeSettings) -> None:
        from gunicorn.app.base import BaseApplication

        outer = self

        class Application(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in outer.options().items():
                    self.cfg.set(key, value)
                if CONTROL_SOCKET_OFF in self.cfg.settings:  # gunicorn 25.1 and later
                    self.cfg.set(CONTROL_SOCKET_OFF, True)

            def load(self) -> Flask:
                return production_app(outer.settings)

        self.settings = settings
        self.application = Application()

    def options(self) -> dict[str, Any]:
        return {
            "bind": [self.settings.bind],
            "workers": self.settings.workers,
            "worker_class": "gthread",
            "threads": self.settings.threads,
            "proc_name": "facesym",
            "preload_app": False,
            "graceful_timeout": 10,
        }

    def run(self) -> None:
        self.application.run()


def run_production(settings: ServeSettings) -> None:
    check_production(settings)
    _Gunicorn(settings).run()


class _QuietHandler(WSGIRequestHandler):
    """The development server without its name, version and Python's in the Server header."""

    server_version = "facesym"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version


def run_development(settings: ServeSettings) -> None:
    app = development_app(settings)
    run_simple(settings.host, settings.port, app, threaded=True, request_handler=_QuietHandler)
