"""Whether a space cuts every answer field at least as finely as the invariants declare.

The walk checks the invariants on one representative per class of each field. Were a field
cut coarser than a test an invariant makes (two answers it tells apart in one class), the
proof would never see one of them and could still print OK. The space is cut from the same
declarations (`invariants.answer_tests`), so this holds by construction; `verify` and `diff`
check it anyway, before walking, and fail instead of walking a space that could not prove the
result (`verify` with a finding of this kind, `diff` with `diff.CoarseSpaceError`).
"""

from __future__ import annotations

from ..contract.fields import field_specs
from ..rulebase.conditions import value_test
from ..rulebase.schema import FieldTest
from ..safety.invariants import answer_tests
from ._space import Space, all_values

KIND = "partition"
"""The verify finding kind for a field cut coarser than an invariant's declared test."""


def coarse_cuts(space: Space) -> list[str]:
    """One message per declared invariant test that some class of `space` straddles, in the
    enumerated classes or in the cut the walk keeps of answers only the invariants read."""
    problems: list[str] = []
    for test in answer_tests():
        check = value_test(test)
        classes = space.fields[test.field]
        for value in all_values(field_specs()[test.field]):
            for kept in (classes.representative(value), space.invariant_class(test.field, value)):
                if check(kept) != check(value):
                    problems.append(_message(test, value, kept))
                    break
            else:
                continue
            break
    return list(dict.fromkeys(problems))  # a test declared twice is one problem


def _message(test: FieldTest, value: object, kept: object) -> str:
    return (
        f"{test.field} is cut coarser than the invariant test {test.field} {test.operator}"
        f" {test.operand}: {value!r} is walked as {kept!r}, so the proof could not see it"
    )
