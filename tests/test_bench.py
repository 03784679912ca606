"""The benchmark's anchor rule base gives the anchor's outputs (no timing here)."""

from __future__ import annotations

from recommender.bench_anchor import evaluate, load_anchor, random_inputs, reference


def test_anchor_rule_base_matches_the_plain_python_reference_on_seed_1() -> None:
    anchor = load_anchor()
    try:
        for inputs in random_inputs(1, 10_000):
            assert evaluate(anchor, inputs) == reference(inputs), inputs
    finally:
        anchor.engine.close()
