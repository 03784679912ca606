"""What the compiler and the adapter both know of a durable-rules fact: the discriminator every
fact and pattern carries, and the hash the C engine tells names (and sessions) apart by.

Engine-internal: nothing outside `recommender.engine` reads these.
"""

from __future__ import annotations

DISCRIMINATOR_KEY = "kind"
DISCRIMINATOR_VALUE = "facesym"


def fnv1a32(text: str) -> int:
    """The engine's 32-bit FNV-1a hash of a name (state.c fnv1Hash32)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value
