"""facesym: a treatment-recommendation rules engine for facial asymmetry.

from recommender import Recommender
recommender = Recommender.default()
recommendation = recommender.recommend(answers)   # dict, JSON text or Questionnaire
"""

from importlib.metadata import PackageNotFoundError, version

from .api import Recommender, default_rules_path
from .client_view import ClientRecommendation
from .clinician_summary import ClinicianSummary
from .errors import (
    AnswersError,
    EvaluationError,
    FacesymError,
    FieldProblem,
    RuleBaseError,
    RuleGapError,
    UnsafeRecommendationError,
)
from .questionnaire import Questionnaire
from .questions import Question
from .recommendation import Recommendation

try:
    __version__ = version("facesym")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

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
