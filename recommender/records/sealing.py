"""Encryption at rest: answers and recommendations are sealed with Fernet before they are stored.

The keys come from FACESYM_RECORDS_KEY, comma-separated, newest first: the newest seals, any
of them opens (MultiFernet), so a clinic can rotate keys and re-seal old records at its pace.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .errors import SettingError, UnreadableRecordError
from .settings import KEY_VARIABLE


def new_key() -> str:
    """A fresh random key, in the form FACESYM_RECORDS_KEY expects."""
    return Fernet.generate_key().decode("ascii")


class Sealer:
    """Seals JSON-ready values into tokens and opens them again."""

    def __init__(self, keys: str) -> None:
        parts = [part.strip() for part in keys.split(",") if part.strip()]
        if not parts:
            raise SettingError(f"{KEY_VARIABLE} holds no key")
        fernets = []
        for place, part in enumerate(parts, start=1):
            try:
                fernets.append(Fernet(part.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                raise SettingError(
                    f"{KEY_VARIABLE}: key {place} is not a Fernet key (32 url-safe base64"
                    " bytes); make one with `facesym records new-key`"
                ) from None
        self._fernet = MultiFernet(fernets)

    def seal(self, value: Any) -> bytes:
        """The value as compact JSON, encrypted and authenticated with the newest key."""
        text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        return self._fernet.encrypt(text.encode("utf-8"))

    def open(self, token: bytes, reference: str) -> Any:
        """The value a token holds; a clear error names the record if no key opens it."""
        try:
            return json.loads(self._fernet.decrypt(token))
        except InvalidToken:
            raise UnreadableRecordError(
                f"record {reference} cannot be decrypted with the keys in {KEY_VARIABLE}"
                " (a wrong key, or an old key that was removed)"
            ) from None

    def reseal(self, token: bytes, reference: str) -> bytes:
        """The same value sealed with the newest key (key rotation)."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise UnreadableRecordError(
                f"record {reference} cannot be decrypted with the keys in {KEY_VARIABLE}"
            ) from None
