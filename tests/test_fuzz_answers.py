"""Bounded fuzzing of answers: whatever arrives, as a dict or as JSON text, the library either
recommends or raises `AnswersError` naming a field, keeping a red flag the valid answers show;
and `facesym recommend` exits 1 without a traceback. Seconds, not minutes: the big version,
with counts, is scripts/fuzz_figures.py.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender import Recommender

from .fuzzcases import answers_case, as_json_text, check_answers
from .test_cli_support import run

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(seed=SEEDS)
def test_any_answers_dict_is_recommended_or_rejected_cleanly(seed: int) -> None:
    case = answers_case(random.Random(seed))
    assert check_answers(_recommender(), case.answers, case.red_flag) in ("accepted", "rejected")


@FUZZ
@given(seed=SEEDS)
def test_any_answers_json_text_is_recommended_or_rejected_cleanly(seed: int) -> None:
    rng = random.Random(seed)
    text, keeps_red_flag = as_json_text(rng, answers_case(rng))
    assert check_answers(_recommender(), text, keeps_red_flag) in ("accepted", "rejected")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS)
def test_facesym_recommend_never_shows_a_traceback(
    seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rng = random.Random(seed)
    text, _ = as_json_text(rng, answers_case(rng))
    path = Path(tmp_path_factory.mktemp("answers")) / "answers.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    result = run("recommend", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output + result.stderr


_SHARED: list[Recommender] = []


def _recommender() -> Recommender:
    """One compiled rule base for every example (hypothesis and function fixtures don't mix)."""
    if not _SHARED:
        _SHARED.append(Recommender.default())
    return _SHARED[0]
