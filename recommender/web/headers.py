"""The response headers every page and API answer carries: answers are health data."""

from __future__ import annotations

from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "default-src 'self'; form-action 'self'"


def private_headers(response: Response) -> Response:
    """Nothing cached, nothing sent on to other sites, no content-type guessing."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
