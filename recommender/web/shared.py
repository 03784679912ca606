"""What every request thread shares: one recommender, the page layout, the text checker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

from recommender import Recommendation, Recommender
from recommender.views.client import ClientRecommendation
from recommender.views.client_text import ClientTextChecker

from .layout import Layout
from .safety import Service

if TYPE_CHECKING:
    from recommender.records import ConsultStore

EXTENSION = "facesym"
"""The key of the shared `Site` in `app.extensions`."""


@dataclass(frozen=True)
class Site:
    """Everything shared by the request threads; built once, never changed."""

    recommender: Recommender
    layout: Layout
    checker: ClientTextChecker
    records: ConsultStore | None = None
    """Where consented consults are kept; None: nothing is kept, and consent is not asked."""

    @property
    def services(self) -> dict[str, Service]:
        return dict(self.recommender.rulebase.services)

    def for_client(self, recommendation: Recommendation) -> ClientRecommendation:
        return self.recommender.for_client(recommendation)


def site() -> Site:
    found: Site = current_app.extensions[EXTENSION]
    return found
