"""The FHIR exports for a loaded `Recommender`: what the CLI and a consult store call.

`fhir_questionnaire` and `fhir_response` build resources from plain inputs (questions, the
rule base's name, version and fingerprint, answers); this module only supplies those from
a recommender, so callers need not know where each comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..api import Recommender
from ..contract.recommendation import RuleBaseInfo
from .fhir_questionnaire import Json, questionnaire_resource
from .fhir_response import questionnaire_response


def rulebase_info(recommender: Recommender) -> RuleBaseInfo:
    """Name, version and fingerprint of the recommender's rule base, as a recommendation
    reports them."""
    base = recommender.rulebase
    return RuleBaseInfo(name=base.name, version=base.version, fingerprint=base.fingerprint)


def fhir_questionnaire(recommender: Recommender, include_clinician: bool = False) -> Json:
    """The rule base's questionnaire as a FHIR R4 Questionnaire (the client's, by default)."""
    return questionnaire_resource(
        recommender.questions(include_clinician=include_clinician),
        rulebase_info(recommender),
        include_clinician=include_clinician,
    )


def fhir_response(
    recommender: Recommender, answers: Mapping[str, Any], authored: datetime | None = None
) -> Json:
    """Validated answers as a FHIR R4 QuestionnaireResponse to `fhir_questionnaire`."""
    return questionnaire_response(
        recommender.questions(include_clinician=True), rulebase_info(recommender), answers, authored
    )
