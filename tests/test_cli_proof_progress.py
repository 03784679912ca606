"""`verify` and `diff` report progress while they walk; nothing here walks a whole rule base.

The reporter is checked on its own (ticks from one process and from a pool of two, as the
proofs run), the walk's tick on a walk of the gate stage alone, and the commands' wiring with
the proof replaced by one that reports a known sequence (the bar is drawn only when stderr
is a terminal).
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from recommender import Recommender, default_rules_path
from recommender.cli import _progress as cli_progress
from recommender.cli import cli
from recommender.engine.compiler import compile_rulebase
from recommender.proof import diff as diff_module
from recommender.proof import progress as verify_progress
from recommender.proof import verify as verify_module
from recommender.proof._space import Space
from recommender.proof._walk import Terminal, Track, Walk
from recommender.proof.diff import DiffReport
from recommender.proof.progress import CHUNKS, ReportingWalk, run_shards, tick
from recommender.proof.verify import Report


def three_ticks(number: int) -> int:
    """A stand-in shard: three pieces of work, each reported."""
    for _ in range(3):
        tick()
    return number * 10


def test_one_shard_reports_every_tick_in_order() -> None:
    heard: list[tuple[int, int]] = []
    results = run_shards(three_ticks, [(1,)], 3, lambda done, total: heard.append((done, total)))
    assert results == [10]
    assert heard == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_shards_in_worker_processes_report_through_the_parent() -> None:
    heard: list[tuple[int, int]] = []
    results = run_shards(
        three_ticks, [(1,), (2,)], 6, lambda done, total: heard.append((done, total))
    )
    assert results == [10, 20]  # in shard order, whatever order they finished in
    assert heard[0] == (0, 6) and heard[-1] == (6, 6)
    counts = [done for done, _ in heard]
    assert counts == sorted(counts)


def string_hash(_: int) -> int:
    return hash("a state's set of red flags")


def test_every_worker_hashes_strings_alike() -> None:
    """The shards share the states out in the order of their repr, which follows string
    hashing: every spawned worker must hash strings the same way (one seed for all)."""
    hashes = run_shards(string_hash, [(0,), (1,), (2,)], 0, None)
    assert len(set(hashes)) == 1, hashes


def test_without_a_listener_ticks_go_nowhere() -> None:
    assert run_shards(three_ticks, [(4,)], 3, None) == [40]
    assert verify_progress._ticks is None
    tick()  # harmless outside a run


def gate_walk(recommender: Recommender, kind: type[Walk]) -> tuple[Walk, list[Terminal]]:
    """Two copies of the gate walked together, as `diff` walks two rule bases: the second
    step starts from about 200 states, so it is really taken in slices."""
    gate = Track(recommender.rulebase, compile_rulebase(recommender.rulebase)[:1])
    walk = kind(Space([recommender.rulebase] * 2), [gate, gate])
    ends: list[Terminal] = []
    walk.run(ends.append)
    return walk, ends


def test_the_walk_ticks_chunks_times_per_stage_step(recommender: Recommender) -> None:
    heard: list[int] = []
    walks: list[Walk] = []
    run_shards(
        lambda: walks.append(gate_walk(recommender, ReportingWalk)[0]),
        [()],
        2 * CHUNKS,
        lambda done, total: heard.append(done),
    )
    assert len(walks[0].steps) == 2
    assert heard == list(range(2 * CHUNKS + 1))


def test_a_walk_in_slices_reaches_exactly_the_end_classes_of_one_in_whole_steps(
    recommender: Recommender,
) -> None:
    _, whole = gate_walk(recommender, Walk)
    _, sliced = gate_walk(recommender, ReportingWalk)
    assert len(whole) > 1000
    assert sliced == whole  # same classes, weights, examples and decisions, in the same order


def known_progress(progress: object) -> None:
    assert callable(progress)
    for done in range(5):
        progress(done, 4 if done else 0)


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_progress, "is_terminal", lambda stream: True)


def test_diff_draws_a_bar_on_a_terminal_and_wipes_it(
    monkeypatch: pytest.MonkeyPatch, on_a_terminal: None
) -> None:
    def walked(old: object, new: object, workers: object = None, progress: object = None) -> Any:
        known_progress(progress)
        return DiffReport(str(old), str(new), [], 10, 3)

    monkeypatch.setattr(diff_module, "diff", walked)
    rules = str(default_rules_path())
    result = CliRunner().invoke(cli, ["diff", rules, rules])
    assert result.exit_code == 0, result.output
    assert "Comparing [" in result.stderr and "(4 of 4 steps)" in result.stderr
    assert result.stderr.endswith("\r\x1b[K")  # wiped before the report is printed
    assert "No questionnaire gets a different result" in result.stdout


def test_verify_draws_a_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, on_a_terminal: None
) -> None:
    def walked(path: object, workers: object = None, progress: object = None) -> Report:
        known_progress(progress)
        return Report("facesym-default", "0" * 64, [], [], 0, 0, 0, 0)

    monkeypatch.setattr(verify_module, "verify", walked)
    result = CliRunner().invoke(cli, ["verify", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Proving [" in result.stderr and "100% (4 of 4 steps)" in result.stderr
    assert result.stdout.lstrip().startswith("{")  # the JSON report alone on stdout


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    def walked(path: object, workers: object = None, progress: object = None) -> Report:
        known_progress(progress)
        return Report("facesym-default", "0" * 64, [], [], 0, 0, 0, 0)

    monkeypatch.setattr(verify_module, "verify", walked)
    result = CliRunner().invoke(cli, ["verify"])
    assert result.exit_code == 0 and result.stderr == ""
