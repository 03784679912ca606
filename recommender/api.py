"""The library's entry point: load a rule base once, then recommend for many questionnaires."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from .contract.errors import AnswersError, UnsafeRecommendationError
from .contract.recommendation import Recommendation
from .engine.adapter import MemoStats
from .engine.compiler import CompiledRuleBase
from .installed import default_rules_path, package_version, shipped_dir
from .intake.answers import Answers, missing_answers_error, parse_answers
from .intake.questions import (
    Question,
    all_questions,
    pending,
    pending_follow_up,
    required_by_asking,
)
from .pipeline._compose import Composer
from .pipeline.stages import PipelineResult, run_pipeline
from .rulebase.model import RuleBase
from .safety.invariants import violations
from .views.client import ClientRecommendation
from .views.clinician import ClinicianSummary, clinician_summary

__all__ = ["MEMO_BYTES", "Recommender", "default_rules_path", "shipped_dir"]

MEMO_BYTES = 3 * 1024 * 1024
"""The engine's memo of its decisions (engine/_memo.py): at most this many bytes per
recommender, so a server's memory stays flat however long it runs (benchmarks.throughput
prints its hit rates and what it holds)."""


class Recommender:
    """A compiled rule base. Thread-safe: share one per process."""

    def __init__(self, rulebase: RuleBase, memo_bytes: int = MEMO_BYTES) -> None:
        """`memo_bytes=0` evaluates every stage in durable-rules afresh (no memo)."""
        self.rulebase = rulebase
        compiled = CompiledRuleBase.of(rulebase, memo_bytes=memo_bytes)
        self._stages = compiled.stages
        self._engine = compiled.engine
        self._composer = Composer(rulebase)
        # A partial questionnaire runs the leading stages up to the last one that can stop it.
        stopping = [i for i, stage in enumerate(rulebase.stages) if stage.stop_when is not None]
        self._gate_stages = stopping[-1] + 1 if stopping else 0

    @classmethod
    def default(cls, cached: bool = False) -> Recommender:
        """The rule base that ships with facesym."""
        return cls.from_path(default_rules_path(), cached=cached)

    @classmethod
    def from_path(cls, directory: str | Path, cached: bool = False) -> Recommender:
        """A clinic's own rule base directory; raises `RuleBaseError` if any file is wrong.

        `cached=True` uses the user's rule base cache (`rulebase/cache.py`: the same rule
        base, loaded without YAML or validation when no byte of any rule file has changed).
        """
        if cached:
            from .rulebase.cache import load_cached

            return cls(load_cached(directory, package_version()))
        from .rulebase.loader import load_rulebase  # here: a cached rule base needs no loader

        return cls(load_rulebase(directory))

    def recommend(self, answers: object) -> Recommendation:
        """The next step for a questionnaire (dict, JSON text or `Questionnaire`).

        A questionnaire may stop early only at a red flag that ends it; otherwise every
        required answer must be present. Raises `AnswersError` for invalid answers.
        """
        parsed = self._parse(answers)
        result = run_pipeline(
            self._engine,
            self._stages,
            parsed.values,
            only=None if parsed.complete else self._gate_stages,
        )
        if not parsed.complete and result.stopped_at is None:
            raise missing_answers_error(parsed.missing)
        return self._checked(parsed.values, result)

    def for_client(self, recommendation: Recommendation) -> ClientRecommendation:
        """What a client may see of a recommendation this recommender made (no category,
        options, cautions or rules; bookings by name)."""
        return recommendation.for_client(self.rulebase)

    def clinician_summary(self, recommendation: Recommendation) -> ClinicianSummary:
        """For the prescriber only: category in words, options, cautions with their texts,
        red flags, and every fired rule with its rationale and evidence."""
        return clinician_summary(recommendation, self.rulebase)

    def _checked(self, answers: Mapping[str, Any], result: PipelineResult) -> Recommendation:
        """Compose the recommendation and withhold it if it breaks a contract invariant."""
        recommendation = self._composer.compose(result)
        problems = violations(self.rulebase, answers, result.context, recommendation)
        if problems:
            raise UnsafeRecommendationError(problems)
        return recommendation

    def _parse(self, answers: object) -> Answers:
        """Validate answers; an invalid set still reports a red flag its valid answers show."""
        try:
            parsed = parse_answers(answers if answers is not None else {})
        except AnswersError as error:
            gate = self._run_gate(error.valid_answers)
            if gate.stopped_at is not None:
                error.red_flag = self._checked(error.valid_answers, gate)
            raise
        asked = required_by_asking(self.rulebase.questions, parsed.values)
        if asked:  # left out although this person is asked it: the questionnaire is incomplete
            return Answers(parsed.values, (*parsed.missing, *asked))
        return parsed

    def _run_gate(self, answers: Mapping[str, Any]) -> PipelineResult:
        """Run only the stages that may end a questionnaire early (the safety gate)."""
        return run_pipeline(self._engine, self._stages, answers, only=self._gate_stages)

    def next_question(self, answers: object) -> Question | None:
        """The next question to ask, or None when the questionnaire is done.

        Done means every askable question is answered, or a safety-gate answer already
        ends the questionnaire (an emergency or urgent red flag). A follow-up question the
        stopping stage reads (which problem after recent injections, say) is still asked,
        because its answer can change what the person is told to do first.
        """
        parsed = self._parse(answers)
        gate = self._run_gate(parsed.values)
        if gate.stopped_at is not None:
            return pending_follow_up(self.rulebase.questions, parsed.values, gate.stopped_at.inputs)
        return pending(self.rulebase.questions, parsed.values)

    def questions(self, include_clinician: bool = False) -> list[Question]:
        """Every question a client is asked, in order, for a front end with its own form.

        `include_clinician=True` adds the questions a clinician answers (`for_clinician`).
        """
        return all_questions(self.rulebase.questions, include_clinician)

    def memo_stats(self) -> dict[str, MemoStats]:
        """Per stage rule set, the engine memo's hits, misses and what it holds now."""
        return self._engine.memo_stats()

    def clear_memo(self) -> None:
        """Forget the engine's remembered decisions and their counts (a benchmark run starts
        cold with it); recommendations are the same either way."""
        self._engine.clear_memo()

    def close(self) -> None:
        """Release the engine's compiled rule sets (waits for evaluations in flight)."""
        self._engine.close()

    def __enter__(self) -> Recommender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
