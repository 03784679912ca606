"""`facesym serve`: the web app on gunicorn (production) or Flask's server (`--dev`).

The web stack is the optional `web` extra; without it the command says which extra to
install instead of failing with a traceback. Settings come from options, else environment
variables (see `recommender.web.settings`); the secret key only from the environment.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

import click

from ..contract.errors import FacesymError
from ._common import FacesymFailure, rules_option

EXTRA_HINT = "python -m pip install 'facesym[web]'"


def _web(module: str) -> ModuleType:
    """A module of the web app, or a clean failure naming the extra that brings Flask."""
    try:
        return import_module(f"recommender.web.{module}")
    except ImportError as error:
        missing = getattr(error, "name", None) or "a library"
        raise FacesymFailure(
            f"the web app needs the `web` extra ({missing} is not installed): {EXTRA_HINT}"
        ) from None


@click.command()
@click.option("--host", default=None, help="Address to listen on [$FACESYM_HOST, 127.0.0.1].")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port [$FACESYM_PORT, 8000]."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes [$FACESYM_WORKERS, 2]; not with --dev.",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Flask's development server, any rule base, a banner on every page: never for clients.",
)
@rules_option
def serve(
    host: str | None, port: int | None, workers: int | None, dev: bool, rules_dir: Path | None
) -> None:
    """Serve the questionnaire, result pages and JSON API.

    Production (the default) runs gunicorn and refuses to start without FACESYM_SITE_SECRET
    or with rules that are not signed off. Put a reverse proxy in front for HTTPS.
    """
    if dev and workers is not None:
        raise click.UsageError("--workers is for the production server; --dev runs one process")
    settings_module = _web("settings")
    serving = _web("serve")
    try:
        settings = settings_module.ServeSettings.gather(host, port, workers, rules_dir)
        if dev:
            serving.run_development(settings)
        else:
            serving.run_production(settings)
    except FacesymError as error:
        raise FacesymFailure(str(error)) from None
