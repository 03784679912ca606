"""`facesym bench`: throughput, latency, load time and memory, adapter against the raw engine.

Four paths are timed on the same inputs in the same run: the full path (`recommend()` for the
default rule base, the pipeline for the anchor); the adapter alone (`RuleEngine.evaluate` over
the facts the pipeline asserted); the raw engine, the floor: bare calls into durable-rules' C
engine with the same compiled rule sets (assert, take each firing and do nothing, delete the
session); and, for reference, durable-rules' own Python host on the same rule sets with no-op
actions (a quiet host: no background threads). The adapter's overhead is its ratio to the raw
engine. Every figure is the median of several runs. Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import copy
import gc
import itertools
import random
import resource
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import durable_rules_engine as c_engine
import orjson
from durable import engine as durable_engine

from .api import Recommender, default_rules_path, shipped_dir
from .bench_anchor import evaluate as anchor_evaluate
from .bench_anchor import load_anchor, random_inputs, reference
from .contract.fields import field_specs
from .engine.adapter import RuleEngine
from .engine.compiler import DISCRIMINATOR_KEY, DISCRIMINATOR_VALUE, CompiledStage
from .pipeline.stages import run_pipeline
from .proof.space import answers_from

Facts = list[list[tuple[str, dict[str, Any]]]]
"""Per input, the (rule set, fact) pairs the pipeline asserted."""


class _RawHost(durable_engine.Host):  # type: ignore[misc]
    def __init__(self, names: Sequence[str]) -> None:
        self._names = set(names)
        super().__init__()

    def _run(self) -> None:
        """No background dispatcher."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return _noop


def _noop(context: Any) -> None:
    """A no-op action (exactly one parameter: synchronous)."""


def _with_catch_all(stages: Sequence[CompiledStage], prefix: str) -> dict[str, Any]:
    """The stages' rule sets under new names, each with a no-op catch-all like the adapter's
    sentinel: without an action a session cannot be deleted safely (notes 3.4)."""
    definitions = {
        f"{prefix}-{stage.ruleset_name}": copy.deepcopy(dict(stage.definition)) for stage in stages
    }
    for rules in definitions.values():
        rules["catch_all"] = {
            "pri": 65000,
            "all": [{"m": {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}}],
            "run": "catch_all",
        }
    return definitions


class RawEngine:
    """The floor: bare C engine calls on the same rule sets. Assert, take every firing without
    looking at it, delete the session. No checks of any kind; sids from a counter."""

    def __init__(self, stages: Sequence[CompiledStage]) -> None:
        self._handles: dict[str, int] = {}
        for stage, (name, rules) in zip(
            stages, _with_catch_all(stages, "bare").items(), strict=True
        ):
            for rule in rules.values():
                del rule["run"]
            self._handles[stage.ruleset_name] = c_engine.create_ruleset(
                name, orjson.dumps(rules).decode()
            )
        self._sids = itertools.count()

    def evaluate(self, ruleset: str, fact: dict[str, Any]) -> None:
        handle = self._handles[ruleset]
        sid = str(next(self._sids))
        _, state = c_engine.assert_fact(handle, orjson.dumps({**fact, "sid": sid}).decode())
        message = c_engine.start_action_for_state(handle, state)
        while message is not None:
            message = c_engine.complete_and_start_action(handle, state)
        c_engine.delete_state(handle, sid)

    def close(self) -> None:
        for handle in self._handles.values():
            c_engine.delete_ruleset(handle)


class HostEngine:
    """durable-rules' own Python host (quiet: no background threads) on the same rule sets:
    no-op actions, a fresh uuid sid per fact, `delete_state`. No other checks."""

    def __init__(self, stages: Sequence[CompiledStage]) -> None:
        definitions = _with_catch_all(stages, "host")
        self._names = {stage.ruleset_name: f"host-{stage.ruleset_name}" for stage in stages}
        actions = {rule["run"] for rules in definitions.values() for rule in rules.values()}
        self.host = _RawHost(sorted(actions))
        self.host.register_rulesets(definitions)

    def evaluate(self, ruleset: str, fact: dict[str, Any]) -> None:
        name = self._names[ruleset]
        sid = uuid.uuid4().hex
        try:
            self.host.assert_fact(name, {**fact, "sid": sid})
        finally:
            self.host.delete_state(name, sid)


def _rss_kib() -> int:
    with Path("/proc/self/statm").open() as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() // 1024


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@dataclass
class Timing:
    rate: float
    p50_us: float
    p99_us: float


def _time(call: Callable[[Any], object], items: Sequence[Any], runs: int) -> Timing:
    rates, p50s, p99s = [], [], []
    for _ in range(runs):
        gc.collect()
        latencies = []
        started = time.perf_counter()
        for item in items:
            t0 = time.perf_counter()
            call(item)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        latencies.sort()
        rates.append(len(items) / elapsed)
        p50s.append(latencies[len(latencies) // 2] * 1e6)
        p99s.append(latencies[int(len(latencies) * 0.99)] * 1e6)
    return Timing(statistics.median(rates), statistics.median(p50s), statistics.median(p99s))


def _threaded(
    call: Callable[[Any], object], items: Sequence[Any], runs: int, threads: int
) -> float:
    rates = []
    chunks = [items[i::threads] for i in range(threads)]

    def work(chunk: Sequence[Any]) -> None:
        for item in chunk:
            call(item)

    for _ in range(runs):
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, chunks))
        rates.append(len(items) / (time.perf_counter() - started))
    return statistics.median(rates)


def _rss_growth(
    call: Callable[[Any], object], items: Sequence[Any], evaluations: int
) -> tuple[int, int]:
    """(RSS after a 10,000-evaluation warm-up, growth over `evaluations` more), KiB."""
    for index in range(10_000):
        call(items[index % len(items)])
    gc.collect()
    before = _rss_kib()
    for index in range(evaluations):
        call(items[index % len(items)])
    gc.collect()
    return before, _rss_kib() - before


def _facts(engine: RuleEngine, stages: Sequence[CompiledStage], inputs: Sequence[Any]) -> Facts:
    """The facts the pipeline asserts for each input (recorded through a spy engine)."""
    recorded: Facts = []

    class Spy:
        def __init__(self) -> None:
            self.facts: list[tuple[str, dict[str, Any]]] = []

        def evaluate(self, ruleset: str, fact: dict[str, Any]) -> list[str]:
            self.facts.append((ruleset, fact))
            return engine.evaluate(ruleset, fact)

    for item in inputs:
        spy = Spy()
        run_pipeline(spy, stages, item)  # type: ignore[arg-type]
        recorded.append(spy.facts)
    return recorded


@dataclass
class Figures:
    name: str
    load_ms: float
    full: Timing
    adapter: Timing
    raw: Timing
    host: Timing
    threads4: float
    raw_threads4: float
    rss_kib: int
    growth_kib: int
    peak_kib: int
    evaluations: int


def _figures(
    name: str,
    load: Callable[[], tuple[Callable[[Any], object], RuleEngine, Sequence[CompiledStage]]],
    prepare: Callable[[Any], Any],
    inputs: Sequence[Any],
    runs: int,
    evaluations: int,
) -> Figures:
    loads = []
    for _ in range(runs):
        started = time.perf_counter()
        full, engine, stages = load()
        loads.append((time.perf_counter() - started) * 1000)
    prepared = [prepare(item) for item in inputs]
    facts = _facts(engine, stages, prepared)
    raw = RawEngine(stages)
    host = HostEngine(stages)

    def adapter_call(pairs: list[tuple[str, dict[str, Any]]]) -> None:
        for ruleset, fact in pairs:
            engine.evaluate(ruleset, fact)

    def raw_call(pairs: list[tuple[str, dict[str, Any]]]) -> None:
        for ruleset, fact in pairs:
            raw.evaluate(ruleset, fact)

    def host_call(pairs: list[tuple[str, dict[str, Any]]]) -> None:
        for ruleset, fact in pairs:
            host.evaluate(ruleset, fact)

    full_timing = _time(full, inputs, runs)
    adapter_timing = _time(adapter_call, facts, runs)
    raw_timing = _time(raw_call, facts, runs)
    host_timing = _time(host_call, facts, runs)
    threads4 = _threaded(full, inputs, runs, 4)
    raw_threads4 = _threaded(raw_call, facts, runs, 4)
    rss, growth = _rss_growth(full, inputs, evaluations)
    return Figures(
        name,
        statistics.median(loads),
        full_timing,
        adapter_timing,
        raw_timing,
        host_timing,
        threads4,
        raw_threads4,
        rss,
        growth,
        _peak_kib(),
        evaluations,
    )


def _random_questionnaires(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    specs = field_specs()
    out = []
    for _ in range(count):
        answers: dict[str, Any] = {}
        for name, spec in specs.items():
            if name in ("event", "assessed_cause"):
                continue
            if spec.kind == "choice":
                answers[name] = rng.choice(spec.values)
            elif spec.kind == "boolean":
                answers[name] = rng.random() < 0.5
            elif spec.kind == "integer":
                answers[name] = rng.randint(spec.minimum or 0, spec.maximum or 0)
            else:
                chosen = [v for v in spec.values if rng.random() < 0.25]
                answers[name] = chosen or ([rng.choice(spec.values)] if spec.min_items else [])
        if answers["first_noticed"] == "after_event":
            answers["event"] = rng.choice(specs["event"].values)
        out.append(answers_from(answers))
    return out


EXAMPLES_DIR = shipped_dir("_examples", "examples")


def _past_the_gate(count: int, seed: int) -> list[dict[str, Any]]:
    """Random questionnaires that run every stage: uniformly random answers nearly always
    include a red flag, so these keep the gate's answers of an example questionnaire the gate
    lets through and draw every other answer at random."""
    with Recommender.default() as recommender:
        gate_fields = set(recommender.rulebase.stages[0].inputs)
        bases = []
        for path in sorted(EXAMPLES_DIR.glob("*.json")):
            example = orjson.loads(path.read_bytes())
            if not recommender.recommend(example).stopped_early:
                bases.append({k: v for k, v in example.items() if k in gate_fields})
        rng = random.Random(seed)
        # Later answers can show a red flag too (a weakness that is new or worsening, a lump
        # with numbness): draw more than needed and keep the ones that reach the plan.
        drawn = _random_questionnaires(count * 4, seed)
        inputs = []
        for answers in drawn:
            beyond_gate = {k: v for k, v in answers.items() if k not in gate_fields}
            candidate = answers_from({**beyond_gate, **rng.choice(bases)})
            if not recommender.recommend(candidate).stopped_early:
                inputs.append(candidate)
            if len(inputs) == count:
                return inputs
    raise RuntimeError(f"only {len(inputs)} of {count * 4} drawn questionnaires reach the plan")


def default_figures(count: int, runs: int, evaluations: int, past_gate: bool = False) -> Figures:
    if past_gate:
        inputs = _past_the_gate(count, seed=3)
        name = "default rule base, recommend(), questionnaires past the gate (all 4 stages)"
    else:
        inputs = _random_questionnaires(count, seed=2)
        name = "default rule base, recommend(), uniformly random questionnaires"
    holder: list[Recommender] = []

    def load() -> tuple[Callable[[Any], object], RuleEngine, Sequence[CompiledStage]]:
        recommender = Recommender.from_path(default_rules_path())
        holder.append(recommender)
        return recommender.recommend, recommender.engine, recommender.compiled_stages

    def prepare(answers: dict[str, Any]) -> Any:
        from .intake.answers import parse_answers

        return dict(parse_answers(answers).values)

    return _figures(name, load, prepare, inputs, runs, evaluations)


def anchor_figures(count: int, runs: int, evaluations: int) -> tuple[Figures, int]:
    checked = random_inputs(1, 10_000)
    anchor = load_anchor()
    mismatches = sum(1 for x in checked if anchor_evaluate(anchor, x) != reference(x))
    inputs = random_inputs(2, count)

    def load() -> tuple[Callable[[Any], object], RuleEngine, Sequence[CompiledStage]]:
        loaded = load_anchor()
        return (lambda x: anchor_evaluate(loaded, x)), loaded.engine, loaded.stages

    figures = _figures("anchor workload, pipeline", load, dict, inputs, runs, evaluations)
    return figures, mismatches


def render(figures: Figures) -> str:
    ratio = figures.raw.rate / figures.adapter.rate
    return "\n".join(
        [
            f"{figures.name}",
            f"  load + compile          {figures.load_ms:8.1f} ms",
            f"  full path, 1 thread     {figures.full.rate:8.0f} eval/s"
            f"   p50 {figures.full.p50_us:7.1f} us   p99 {figures.full.p99_us:7.1f} us",
            f"  adapter only            {figures.adapter.rate:8.0f} eval/s"
            f"   p50 {figures.adapter.p50_us:7.1f} us   p99 {figures.adapter.p99_us:7.1f} us",
            f"  raw C engine (floor)    {figures.raw.rate:8.0f} eval/s"
            f"   p50 {figures.raw.p50_us:7.1f} us   p99 {figures.raw.p99_us:7.1f} us",
            f"  durable-rules' host     {figures.host.rate:8.0f} eval/s"
            f"   p50 {figures.host.p50_us:7.1f} us   p99 {figures.host.p99_us:7.1f} us",
            f"  adapter overhead        {ratio:8.2f} x raw C engine (same facts, same rule sets)",
            f"  full path, 4 threads    {figures.threads4:8.0f} eval/s"
            f"   (raw, 4 threads {figures.raw_threads4:.0f} eval/s)",
            f"  RSS after warm-up       {figures.rss_kib / 1024:8.1f} MiB;"
            f" growth over {figures.evaluations:,} evaluations"
            f" {figures.growth_kib / 1024:+.2f} MiB; peak {figures.peak_kib / 1024:.1f} MiB",
        ]
    )


def run_bench(evaluations: int = 1_000_000, runs: int = 5, quick: bool = False) -> str:
    """Run both workloads and return the report text."""
    count = 2000 if quick else 20_000
    lines = [
        f"facesym bench: {count:,} inputs, median of {runs} runs,"
        f" {threading.active_count()} thread(s) at start",
    ]
    anchor, mismatches = anchor_figures(count, runs, evaluations)
    lines.append(
        f"anchor outputs identical to the plain-Python reference on 10,000 seed-1 inputs:"
        f" {'yes' if mismatches == 0 else f'NO ({mismatches} differ)'}"
    )
    lines.append(render(anchor))
    lines.append(render(default_figures(count, runs, evaluations)))
    # The workload is (a); this one shows the cost when every stage runs. Its memory
    # run is shorter, to keep the whole benchmark within minutes.
    lines.append(render(default_figures(count, runs, min(evaluations, 100_000), past_gate=True)))
    return "\n".join(lines)
