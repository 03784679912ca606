"""The tests' one hypothesis strategy for valid questionnaires, on the package's generator.

Drawing a seed and building with `random_questionnaire` keeps hypothesis and the seeded
samples (bench, the oracle tests) on one distribution; hypothesis shrinks the seed.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from recommender.proof.random_answers import random_questionnaire

questionnaires: st.SearchStrategy[dict[str, Any]] = st.integers(
    min_value=0, max_value=2**32 - 1
).map(lambda seed: random_questionnaire(random.Random(seed)))
"""Complete, valid questionnaires (see `random_questionnaire`)."""
