"""What the page must never show, checked on the page itself as well as by the library.

The library already withholds any booking for injectables under 18 and any booking or
treatment beside an emergency or urgent red flag. The page checks again before it draws a
button, and refuses to send a result page that names a medicine or brand, so a mistake in a
clinic's own rule files cannot reach a visitor through this site (brief 0.1, 4d, 8.4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from recommender import Recommendation
from recommender.wording import INJECTABLE_NAMES, MEDICINE_NAMES

ADULT_AGE = 18
"""Injectable treatment cannot be arranged for anyone younger in England (2021 Act)."""

STOP_URGENCIES = frozenset({"emergency", "urgent"})

FORBIDDEN_TERMS: tuple[str, ...] = INJECTABLE_NAMES + MEDICINE_NAMES
"""The library's own lists: no medicine or injectable product is named on a public page."""
_FORBIDDEN = re.compile(r"\b(" + "|".join(map(re.escape, FORBIDDEN_TERMS)) + r")\b", re.IGNORECASE)
_PRICE = re.compile(r"£\s*\d|\b\d+(\.\d\d)?\s*(pounds|gbp)\b", re.IGNORECASE)


class Service(Protocol):
    """A bookable service as the rule base's `services.yaml` describes it."""

    @property
    def label(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def injectables(self) -> bool: ...


def is_adult(age: object) -> bool:
    """Only a valid whole-number age of 18 or more counts; anything else is treated as under 18."""
    return isinstance(age, int) and not isinstance(age, bool) and age >= ADULT_AGE


def ends_questionnaire(recommendation: Recommendation) -> bool:
    """A red flag that stops everything: show only the message, nothing to book or sell."""
    return recommendation.pathway == "red_flag" or recommendation.urgency in STOP_URGENCIES


def bookable(
    code: str | None,
    recommendation: Recommendation,
    services: Mapping[str, Service],
    age: object,
) -> Service | None:
    """The service a card's booking button books, or None when the page must not offer one."""
    if code is None or ends_questionnaire(recommendation):
        return None
    service = services.get(code)
    if service is None:
        return None
    if service.injectables and not is_adult(age):
        return None
    return service


def forbidden_text(html: str) -> list[str]:
    """Medicine or brand names, or prices, in a page meant for the public."""
    found = [match.group(0) for match in _FORBIDDEN.finditer(html)]
    found += [match.group(0) for match in _PRICE.finditer(html)]
    return found
