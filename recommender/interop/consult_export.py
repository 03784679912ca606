"""One consult as JSON: the answers, the full recommendation and the rule base behind it.

This is the record a clinic keeps (the consult database stores it as it is): enough to show
the clinician exactly what was answered and recommended, and to replay the answers against
the same rule base later. The recommendation is the contract's full `Recommendation`, the
clinician's view; never show this record to a client (`Recommendation.for_client` is theirs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contract.recommendation import Recommendation
from ..intake.answers import parse_answers


def consult_record(answers: Mapping[str, Any], recommendation: Recommendation) -> dict[str, Any]:
    """`{"answers", "recommendation", "rulebase"}` as plain JSON values.

    `answers` are checked again (an invalid set raises `AnswersError`) and kept in the
    contract's field order; `rulebase` (name, version, fingerprint) is the recommendation's
    own, repeated at the top so a record can be matched to its rule base without reading on.
    """
    checked = parse_answers(dict(answers))
    full = recommendation.model_dump(mode="json")
    return {"answers": dict(checked.values), "recommendation": full, "rulebase": full["rulebase"]}
