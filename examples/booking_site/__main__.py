"""Run the example booking site on this computer: `python -m examples.booking_site`."""

from __future__ import annotations

import click

from .app import create_app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--rules",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="A clinic's own rules directory (default: $FACESYM_RULES, else the shipped rules).",
)
def main(host: str, port: int, rules: str | None) -> None:
    """Serve the questionnaire, result pages and JSON API with Flask's threaded server."""
    app = create_app(rules=rules)
    app.run(host=host, port=port, threaded=True)


if __name__ == "__main__":
    main()
