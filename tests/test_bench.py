"""The benchmark's workloads are what they claim to be (no timing here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import throughput
from benchmarks.anchor import Anchor, evaluate, load_anchor, random_inputs, reference
from benchmarks.floor import RawEngine
from benchmarks.workloads import past_the_gate, pipeline_facts
from recommender import Recommender
from recommender.api import MEMO_BYTES
from recommender.engine.compiler import CompiledRuleBase, engine_for


def test_anchor_rule_base_matches_the_plain_python_reference_on_seed_1() -> None:
    anchor = load_anchor()
    try:
        for inputs in random_inputs(1, 10_000):
            assert evaluate(anchor, inputs) == reference(inputs), inputs
    finally:
        anchor.engine.close()


def test_the_anchor_with_the_memo_matches_the_reference_on_seed_1() -> None:
    anchor = load_anchor()
    remembering = Anchor(anchor.stages, engine_for(anchor.stages, memo_bytes=MEMO_BYTES))
    try:
        for inputs in random_inputs(1, 10_000):
            assert evaluate(remembering, inputs) == reference(inputs), inputs
        hits = sum(entry.hits for entry in remembering.engine.memo_stats().values())
        assert hits > 10_000  # decisions were remembered and answered from the memo
    finally:
        anchor.engine.close()
        remembering.engine.close()


def test_questionnaires_past_the_gate_run_every_stage(recommender: Recommender) -> None:
    inputs = past_the_gate(200, seed=5)
    assert len(inputs) == 200
    last = recommender.rulebase.stages[-1].id
    for answers in inputs:
        rec = recommender.recommend(answers)
        assert not rec.stopped_early
        assert any(firing.stage == last for firing in rec.explanation), answers


def test_the_raw_engine_takes_the_same_facts_as_the_adapter(target: CompiledRuleBase) -> None:
    """The floor the adapter is measured against really evaluates (its sessions are freed:
    a session left behind would stop the 1025th evaluation with MemoryError)."""
    facts = pipeline_facts(target.engine, target.stages, past_the_gate(20, seed=6))
    raw = RawEngine(target.stages)
    try:
        for _ in range(60):
            for pairs in facts:
                for ruleset, fact in pairs:
                    raw.evaluate(ruleset, fact)
    finally:
        raw.close()


def test_the_throughput_benchmark_runs_from_a_checkout(capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m benchmarks.throughput --help` (what benchmarks/README.md tells people to run)."""
    with pytest.raises(SystemExit) as stopped:
        throughput.main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert "--quick" in out and "--evaluations" in out and "--runs" in out


def test_the_proof_benchmark_runs_on_a_small_rule_base(
    small_rules_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m benchmarks.proof --rules DIR` prints, for verify and for diff of a one-rule
    change, the split and both targets; the verify is clean and the change changes something."""
    from benchmarks.proof import main

    main(["--rules", str(small_rules_dir)])
    printed = capsys.readouterr().out
    for tool in ("verify", "diff"):
        assert f"{tool}, two workers, shard 1 of 2:" in printed
        assert f"{tool}, two workers, shard 2 of 2:" in printed
        assert f"target: {tool} under 15 s:" in printed
        assert f"target: {tool}, two workers at least 1.7x one:" in printed
    assert re.search(r"verify, two workers \(wall\): +[0-9.]+ s +\(ok\)", printed)
    changed = re.search(
        r"diff, two workers \(wall\): +[0-9.]+ s +\(([0-9,]+) questionnaires", printed
    )
    assert changed and int(changed.group(1).replace(",", "")) > 0


def test_the_start_up_floors_build_what_they_claim(tmp_path: Path) -> None:
    """The floors run (a floor that failed to start would time an error, not pydantic), and
    the one-model floor builds a real validator: its model rejects what is not an int."""
    import subprocess

    from benchmarks import startup

    table = startup.commands(tmp_path / "cache", tmp_path / "bytecode")
    for label in (startup.ONE_MODEL, startup.CONTRACT):
        argv, env = table[label]
        subprocess.run(argv, check=True, env=env, cwd=startup.ROOT)
    argv, env = table[startup.ONE_MODEL]
    probe = argv[-1] + "Probe.model_validate({'value': 'not a number'})\n"
    refused = subprocess.run(
        [*argv[:-1], probe], env=env, cwd=startup.ROOT, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "ValidationError" in refused.stderr


def test_the_start_up_report_judges_the_target_against_the_floors() -> None:
    """The report gives each floor as a ratio to the bare import of the same run."""
    from benchmarks import startup

    timings = {
        startup.BARE: [0.100, 0.100, 0.100],
        startup.ONE_MODEL: [0.205, 0.205, 0.205],
        startup.CONTRACT: [0.230, 0.230, 0.230],
        startup.TARGET: [0.380, 0.380, 0.380],
    }
    report = startup.render(timings)
    assert "at most 2x the bare import: 3.80x (cache warm), NOT met" in report
    assert "floors: one pydantic model 2.05x, the contract's models 2.30x" in report
    assert "starts under 2.05x" in report
