"""A short, printable picture of any value, for error messages.

Error messages quote the value they reject, but `repr()` of a value a caller built cannot be
trusted: nested a thousand deep it raises `RecursionError`, an integer of over 4,300 digits
raises `ValueError`, and a ten-megabyte list takes seconds to print only to be cut short.
`preview` looks at no more of a value than it shows, and its text can always be encoded as
UTF-8 (a lone surrogate comes out escaped, as `\\ud800`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import islice
from typing import Any

PREVIEW_LENGTH = 40
"""At most this many characters of a value are shown."""

_MAX_DEPTH = 3
_MAX_ITEMS = 4
_MAX_SMALL_INT_BITS = 128


def encodable(text: str) -> str:
    """`text` with anything UTF-8 cannot encode (a lone surrogate) written as an escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def preview(value: object, length: int = PREVIEW_LENGTH) -> str:
    """`value` as Python would print it, cut to `length` characters (`...` marks a cut)."""
    text = encodable(_sketch(value, length + 1, _MAX_DEPTH))
    return text if len(text) <= length else text[: length - 3] + "..."


def _sketch(value: object, room: int, depth: int) -> str:
    """At least `room` characters of `value`'s picture when it has that many, seldom many more."""
    # The base types' own methods: a subclass could print, or slice, however it likes.
    if value is None or isinstance(value, bool):
        return repr(value is True) if value is not None else "None"
    if isinstance(value, float):
        return float.__repr__(value)
    if isinstance(value, int):
        return _integer(value)
    if isinstance(value, str):
        return str.__repr__(str.__getitem__(value, slice(0, room)))
    if isinstance(value, bytes | bytearray):
        return bytes.__repr__(bytes(memoryview(value)[:room]))
    brackets = _BRACKETS.get(type(value))  # exact types: a subclass may iterate as it likes
    if brackets is None:
        return f"<{type(value).__name__}>"
    if depth == 0:
        return brackets[0] + "..." + brackets[1]
    assert isinstance(value, list | tuple | set | frozenset | dict)
    return _container(value, brackets, room, depth - 1)


def _integer(value: int) -> str:
    if value.bit_length() <= _MAX_SMALL_INT_BITS:
        return int.__repr__(value)
    digits = math.floor(value.bit_length() * math.log10(2)) + 1
    sign = "negative " if value < 0 else ""
    return f"<a {sign}whole number of about {digits:,} digits>"


_BRACKETS: dict[type, tuple[str, str]] = {
    list: ("[", "]"),
    tuple: ("(", ")"),
    set: ("{", "}"),
    frozenset: ("frozenset({", "})"),
    dict: ("{", "}"),
}

Container = (
    list[object] | tuple[object, ...] | set[object] | frozenset[object] | dict[object, object]
)


def _container(value: Container, brackets: tuple[str, str], room: int, depth: int) -> str:
    """The first few items, each cut to the room left, then `...` if there are more."""
    parts: list[str] = []
    used = len(brackets[0])
    for item in islice(_entries(value), _MAX_ITEMS + 1):
        if used >= room or len(parts) == _MAX_ITEMS:
            parts.append("...")
            break
        if isinstance(value, dict):
            key, inner = item
            text = f"{_sketch(key, room - used, depth)}: {_sketch(inner, room - used, depth)}"
        else:
            text = _sketch(item, room - used, depth)
        parts.append(text)
        used += len(text) + 2
    lone = "," if isinstance(value, tuple) and len(parts) == 1 else ""  # (1,) is a tuple
    return brackets[0] + ", ".join(parts) + lone + brackets[1]


def _entries(value: Container) -> Iterator[Any]:
    return iter(value.items()) if isinstance(value, dict) else iter(value)
