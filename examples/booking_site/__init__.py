"""An example booking site that embeds facesym: `python -m examples.booking_site`."""

from .app import create_app

__all__ = ["create_app"]
