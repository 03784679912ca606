"""The errors facesym raises on purpose.

Every user-facing failure is one of these, so callers (the CLI, a web view) can catch
`FacesymError` and show its message instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._preview import encodable

if TYPE_CHECKING:
    from .recommendation import Recommendation


class FacesymError(Exception):
    """Base class: a problem the caller can explain to a person."""


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one answer."""

    field: str
    message: str
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        if self.allowed:
            text += f"; allowed: {', '.join(self.allowed)}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "message": self.message, "allowed": list(self.allowed)}


class AnswersError(FacesymError, ValueError):
    """The answers are not a valid questionnaire; no recommendation is built from them.

    One exception to "nothing is built": when the answers that *are* valid already show an
    emergency or urgent red flag, `red_flag` holds that red-flag outcome, so a caller can show
    it at once instead of only asking for corrections (red flags override everything).
    """

    def __init__(
        self, problems: Sequence[FieldProblem], valid_answers: Mapping[str, Any] | None = None
    ) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        self.valid_answers: Mapping[str, Any] = dict(valid_answers or {})
        self.red_flag: Recommendation | None = None
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(problem) for problem in self.problems]
        heading = "invalid answers" if len(lines) != 1 else "invalid answer"
        return heading + ":\n  " + "\n  ".join(lines)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(problem.field for problem in self.problems)


class RuleBaseError(FacesymError):
    """A rule base failed to load. Nothing of it is used: loading is all or nothing."""

    def __init__(self, file: str, message: str, rule: str | None = None) -> None:
        # A rule file may hold any text, even a lone surrogate: keep the message printable.
        file, message = encodable(file), encodable(message)
        rule = encodable(rule) if rule is not None else None
        self.file = file
        self.rule = rule
        self.detail = message
        where = f"{file}, rule {rule}" if rule else file
        super().__init__(f"{where}: {message}")


class EvaluationError(FacesymError, RuntimeError):
    """The engine did not finish an evaluation cleanly; no partial result is returned."""


class RuleGapError(EvaluationError):
    """No rule decided a value the rule base must decide (a hole in the rules)."""


class UnsafeRecommendationError(EvaluationError):
    """A recommendation broke a safety invariant of the contract; it is withheld, not repaired."""

    def __init__(self, violations: Sequence[str]) -> None:
        self.violations = tuple(violations)
        super().__init__("recommendation withheld: " + "; ".join(self.violations))
