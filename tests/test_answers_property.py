"""Property test: whatever a caller sends, a rejection is always an AnswersError."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender import AnswersError, Recommendation, Recommender
from recommender.contract.fields import field_specs

from .conftest import load_example

FIELDS = list(field_specs())
BASE = load_example("m1-weak-side-subtle")

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
    | st.integers(min_value=60_000, max_value=70_000).map(lambda size: "yes" * size)
    | st.sampled_from(["yes", "no", "not_sure", "brows", "after_event", "\u00e9\U0001f600", ""])
)
json_like = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.sampled_from(FIELDS), children, max_size=4)
    ),
    max_leaves=12,
)
# Mostly-valid questionnaires with a few fields replaced or added, so most of the
# rejections exercise deep field validation rather than the top-level type check.
mutated = st.builds(
    lambda changes, drops: {**{k: v for k, v in BASE.items() if k not in drops}, **changes},
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_like, max_size=4),
    st.sets(st.sampled_from(FIELDS), max_size=3),
)


def _check(recommender: Recommender, answers: Any) -> None:
    try:
        result = recommender.recommend(answers)
    except AnswersError as error:
        assert error.problems, "an AnswersError always lists its problems"
        assert all(problem.field for problem in error.problems)
    else:
        assert isinstance(result, Recommendation)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_like | mutated)
def test_any_python_value_is_answered_or_rejected_cleanly(answers: Any) -> None:
    _check(_recommender(), answers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated)
def test_any_json_text_is_answered_or_rejected_cleanly(answers: Any) -> None:
    text = json.dumps(answers, allow_nan=True)
    _check(_recommender(), text)


def test_nan_and_infinity_are_rejected_as_answers() -> None:
    for value in (math.nan, math.inf, -math.inf):
        try:
            _recommender().recommend({**BASE, "age": value})
        except AnswersError as error:
            assert error.fields == ("age",)
        else:  # pragma: no cover - the assertion documents the failure
            raise AssertionError(f"age={value} was accepted")


_SHARED: list[Recommender] = []


def _recommender() -> Recommender:
    # hypothesis cannot take function-scoped fixtures; share one instance for this module
    if not _SHARED:
        _SHARED.append(Recommender.default())
    return _SHARED[0]
