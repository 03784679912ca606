"""facesym: a treatment-recommendation rules engine for facial asymmetry.

from recommender import Recommender
recommender = Recommender.default()
recommendation = recommender.recommend(answers)   # dict, JSON text or Questionnaire
"""

from importlib.metadata import PackageNotFoundError, version

from .api import Recommender, default_rules_path
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
from .intake.questions import Question
from .views.client import ClientRecommendation
from .views.clinician import ClinicianSummary

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
