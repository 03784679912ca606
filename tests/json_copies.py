"""A check for the JSON forms reports give out: each call hands the caller a copy."""

from __future__ import annotations

import copy
import json
from typing import Any, Protocol


class HasJson(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


def _scramble(data: Any) -> None:
    """Change every list and dict inside `data` in place, empty ones too."""
    children = list(data.values()) if isinstance(data, dict) else list(data)
    for child in children:
        if isinstance(child, dict | list):
            _scramble(child)
    if isinstance(data, dict):
        for key in data:
            data[key] = "changed"
        data["added by the caller"] = True
    else:
        data.append("changed")


def assert_as_dict_is_a_copy(report: HasJson) -> None:
    """Changing every list and dict of `report.as_dict()` leaves the report as it was: a
    tool that edits the JSON (to add fields of its own, say) cannot change what it read.
    It works on a copy of `report`, so that a shared fixture stays as it was even when
    the check fails."""
    own = copy.deepcopy(report)
    before = json.dumps(own.as_dict(), sort_keys=True)
    _scramble(own.as_dict())
    assert json.dumps(own.as_dict(), sort_keys=True) == before
