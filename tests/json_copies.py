"""A check for the JSON forms reports give out: each call hands the caller a copy."""

from __future__ import annotations

import json
from typing import Any, Protocol


class HasJson(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


def _scramble(data: Any) -> None:
    """Change every list and dict inside `data` in place."""
    children = list(data.values()) if isinstance(data, dict) else data
    for child in children:
        if isinstance(child, dict | list):
            _scramble(child)
    if isinstance(data, dict):
        for key in data:
            data[key] = "changed"
    else:
        data.append("changed")


def assert_as_dict_is_a_copy(report: HasJson) -> None:
    """Changing every list and dict of `report.as_dict()` leaves the report as it was: a
    tool that edits the JSON (to add fields of its own, say) cannot change what it read."""
    before = json.dumps(report.as_dict(), sort_keys=True)
    _scramble(report.as_dict())
    assert json.dumps(report.as_dict(), sort_keys=True) == before
