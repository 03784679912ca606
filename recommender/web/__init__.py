"""The facesym web app (the `web` extra): `create_app()` for a whole site, `facesym serve` to
run it, or `booking_blueprint(recommender)` to mount the pages in a clinic's own Flask site."""

from .app import create_app
from .blueprint import booking_blueprint

__all__ = ["booking_blueprint", "create_app"]
