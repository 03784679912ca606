"""A record's reference: short, unguessable, and easy to read aloud over the phone.

Ten characters of Crockford's base32 (no I, L, O or U) from `secrets`: 50 random bits. It is
shown as two groups of five (`7KQ2M-XD9RA`); reading back forgives case, spaces, hyphens and
the letters people confuse with digits.
"""

from __future__ import annotations

import secrets

from .errors import RecordNotFoundError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_reference() -> str:
    """A fresh random reference, in its stored form (10 characters, no hyphen)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(reference: str) -> str:
    """The reference as a person sees it: two groups of five."""
    return f"{reference[:5]}-{reference[5:]}"


def normalise(text: str) -> str | None:
    """The stored form of a reference as typed or read aloud, or None if it cannot be one."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def stored_reference(text: str) -> str:
    """The stored form of a reference someone typed; a clear error if it cannot be one."""
    stored = normalise(text)
    if stored is None:
        raise RecordNotFoundError(
            f"{text!r} is not a record reference: 10 letters and digits, such as 7KQ2M-XD9RA"
        )
    return stored
