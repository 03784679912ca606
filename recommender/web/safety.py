"""What the page must never show, checked on the page itself as well as by the library.

The site serves only the client's view of a recommendation (`ClientRecommendation`): no
category, injectable options, cautions or rules ever leave the server. The library already
withholds any booking for injectables under 18 and any booking or treatment beside an
emergency or urgent red flag. The page checks again before it draws a button, and refuses
to send a client view, or a result page, that names a medicine or brand, shows an internal
code or a price, so a mistake in a clinic's own rule files cannot reach a visitor through
this site (brief 0.1, 4d, 8.4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from recommender.contract.constants import ADULT_AGE
from recommender.proof.client_check import view_texts
from recommender.rulebase.wording import INJECTABLE_NAMES, MEDICINE_NAMES
from recommender.views.client import ClientRecommendation
from recommender.views.client_text import ClientTextChecker

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


def ends_questionnaire(view: ClientRecommendation) -> bool:
    """A red flag that stops everything: show only the message, nothing to book or sell."""
    return view.get_help_now


def bookable(
    code: str | None,
    view: ClientRecommendation,
    services: Mapping[str, Service],
    age: object,
) -> Service | None:
    """The service a card's booking button books, or None when the page must not offer one."""
    if code is None or ends_questionnaire(view):
        return None
    service = services.get(code)
    if service is None:
        return None
    if service.injectables and not is_adult(age):
        return None
    return service


def unsafe_view(view: ClientRecommendation, checker: ClientTextChecker) -> list[str]:
    """What in a client view must not be served: the library's scan of every text in it
    (medicine and product names, promises, internal codes), and prices."""
    texts = list(view_texts(view))
    return checker.scan(texts) + [found for _, text in texts for found in forbidden_text(text)]


def forbidden_text(html: str) -> list[str]:
    """Medicine or brand names, or prices, in a page meant for the public."""
    found = [match.group(0) for match in _FORBIDDEN.finditer(html)]
    found += [match.group(0) for match in _PRICE.finditer(html)]
    return found
