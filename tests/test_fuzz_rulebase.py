"""Bounded fuzzing of rule bases: a copy of rules/ with a few mutations either loads (and
evaluates questionnaires) or fails with `RuleBaseError` naming a file, in well under a second;
`facesym rules check` never shows a traceback. The big version, with counts, is
scripts/fuzz_figures.py.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzzcases import check_rulebase, mutated_rulebase
from .test_cli_support import run

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS)
def test_a_mutated_rule_base_loads_or_names_the_file_at_fault(seed: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        rules = mutated_rulebase(random.Random(seed), Path(scratch) / "rules")
        assert check_rulebase(rules) in ("loaded", "refused")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS)
def test_facesym_rules_check_never_shows_a_traceback(seed: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        rules = mutated_rulebase(random.Random(seed), Path(scratch) / "rules")
        result = run("rules", "check", str(rules))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ")
