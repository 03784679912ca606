"""Helpers for the web app's tests: a `facesym serve` process and signed-off rule copies."""
