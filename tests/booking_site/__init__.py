"""Helpers for the booking-site example's tests: a live server and a headless browser."""
