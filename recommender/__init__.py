"""facesym: a treatment-recommendation rules engine for facial asymmetry.

from recommender import Recommender
recommender = Recommender.default()
recommendation = recommender.recommend(answers)   # dict, JSON text or Questionnaire

The names below are imported on first use (PEP 562), so that importing a part of the package,
such as the command line for `facesym --help`, does not load the engine and the rule base.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Recommender
    from .contract.errors import (
        AnswersError,
        EvaluationError,
        FacesymError,
        FieldProblem,
        RuleBaseError,
        RuleGapError,
        UnsafeRecommendationError,
    )
    from .contract.questionnaire import Questionnaire
    from .contract.recommendation import Recommendation
    from .installed import default_rules_path
    from .intake.questions import Question
    from .views.client import ClientRecommendation
    from .views.clinician import ClinicianSummary

    __version__: str

_HOMES = {
    "Recommender": ".api",
    "default_rules_path": ".installed",
    "AnswersError": ".contract.errors",
    "EvaluationError": ".contract.errors",
    "FacesymError": ".contract.errors",
    "FieldProblem": ".contract.errors",
    "RuleBaseError": ".contract.errors",
    "RuleGapError": ".contract.errors",
    "UnsafeRecommendationError": ".contract.errors",
    "Questionnaire": ".contract.questionnaire",
    "Recommendation": ".contract.recommendation",
    "Question": ".intake.questions",
    "ClientRecommendation": ".views.client",
    "ClinicianSummary": ".views.clinician",
}
"""Each public name -> the module that defines it."""


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .installed import package_version

        value: Any = package_version()
    elif name in _HOMES:
        value = getattr(import_module(_HOMES[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "AnswersError",
    "ClientRecommendation",
    "ClinicianSummary",
    "EvaluationError",
    "FacesymError",
    "FieldProblem",
    "Question",
    "Questionnaire",
    "Recommendation",
    "Recommender",
    "RuleBaseError",
    "RuleGapError",
    "UnsafeRecommendationError",
    "__version__",
    "default_rules_path",
]
