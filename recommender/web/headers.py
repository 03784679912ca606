"""The response headers every page and API answer carries: answers are health data."""

from __future__ import annotations

from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "default-src 'self'; form-action 'self'; frame-ancestors 'none'"
"""Only this site's own scripts, styles and form targets; no other site may frame a page
(clickjacking). X-Frame-Options says the same to browsers that predate frame-ancestors."""


def private_headers(response: Response) -> Response:
    """Nothing cached, nothing sent on to other sites, no content-type guessing, no framing."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    return response
