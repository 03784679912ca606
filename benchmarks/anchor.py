"""The anchor workload (docs/anchor-workload.md) as a facesym rule base.

The loader checks every rule against the fixed questionnaire model, and the anchor's inputs
(onset, severity, at_rest...) are not questionnaire fields, so the anchor cannot load through
`load_rulebase`. This module is a small generic-fields mode for the benchmark only: it reads
the anchor's own field list, validates each stage file with the same pydantic schema, and then
uses the real compiler, engine adapter and pipeline unchanged.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from recommender.contract.fields import FieldKind, FieldSpec
from recommender.engine.adapter import RuleEngine
from recommender.engine.compiler import CompiledStage, compile_rulebase, engine_for
from recommender.pipeline.stages import run_pipeline
from recommender.rulebase.conditions import fields_read
from recommender.rulebase.model import LoadedRule, RuleBase, Stage
from recommender.rulebase.schema import StageFile, StopWhen
from recommender.rulebase.yamlio import load_yaml

ANCHOR_DIR = Path(__file__).resolve().parent / "anchor_rules"
REGION_OUTCOME = "exercise_programme"
OUTCOME_SETS = ("triage_outcomes", "plan_outcomes", "review_outcomes")


@dataclass(frozen=True)
class Anchor:
    stages: tuple[CompiledStage, ...]
    engine: RuleEngine


def _spec(name: str, raw: Mapping[str, Any]) -> FieldSpec:
    return FieldSpec(
        name,
        cast(FieldKind, raw["kind"]),
        tuple(raw.get("values", ())),
        raw.get("minimum"),
        raw.get("maximum"),
    )


def load_anchor(directory: Path = ANCHOR_DIR) -> Anchor:
    """Read and compile the anchor rule base."""
    manifest = load_yaml((directory / "rulebase.yaml").read_text(encoding="utf-8"))
    fields_raw = load_yaml((directory / manifest["fields"]).read_text(encoding="utf-8"))
    available = {name: _spec(name, raw) for name, raw in fields_raw["fields"].items()}
    digest = hashlib.sha256()
    stages: list[Stage] = []
    for entry in manifest["stages"]:
        loaded: list[LoadedRule] = []
        derives = {}
        for file in entry["files"]:
            text = (directory / file).read_text(encoding="utf-8")
            digest.update(text.encode())
            stage_file = StageFile.model_validate(load_yaml(text))
            derives.update(stage_file.derives)
            for rule in stage_file.rules:
                loaded.append(
                    LoadedRule(rule, entry["id"], file, len(loaded), fields_read(rule.when))
                )
        stop = StopWhen.model_validate(entry["stop_when"]) if "stop_when" in entry else None
        inputs = {name: available[name] for rule in loaded for name in rule.reads}
        stages.append(
            Stage(
                entry["id"],
                tuple(entry["files"]),
                derives,
                tuple(loaded),
                stop,
                inputs,
                stops=(stop,) if stop is not None else (),
            )
        )
        for name, derived in derives.items():
            kind: FieldKind = "multi" if derived.type == "set" else "choice"
            available[name] = FieldSpec(name, kind, tuple(derived.values))
    rulebase = cast(Any, RuleBase).__new__(RuleBase)
    object.__setattr__(rulebase, "path", directory)
    object.__setattr__(rulebase, "fingerprint", digest.hexdigest())
    object.__setattr__(rulebase, "stages", tuple(stages))
    compiled = compile_rulebase(rulebase)
    return Anchor(compiled, engine_for(compiled))


def evaluate(anchor: Anchor, inputs: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(sorted distinct outcome strings, sorted fired rule ids), as the anchor defines them."""
    result = run_pipeline(anchor.engine, anchor.stages, inputs)
    outcomes = {
        f"{value}:{inputs['region']}" if value == REGION_OUTCOME else value
        for name in OUTCOME_SETS
        for value in result.context.get(name, ())
    }
    return sorted(outcomes), sorted(firing.rule.id for firing in result.firings)


def random_inputs(seed: int, count: int) -> list[dict[str, Any]]:
    """Inputs drawn as the anchor file says."""
    rng = random.Random(seed)
    draws = []
    for _ in range(count):
        draws.append(
            {
                "age": rng.randint(16, 80),
                "onset": rng.choice(["childhood", "gradual", "sudden", "after_injury"]),
                "region": rng.choice(["brows", "cheeks", "jawline", "mouth", "eyes"]),
                "severity": rng.choice(["mild", "noticeable", "significant"]),
                "goal": rng.choice(["subtle", "immediate"]),
                "at_rest": rng.random() < 0.5,
                "with_expression": rng.random() < 0.6,
                "weight_change": rng.random() < 0.25,
                "anticoagulants": rng.random() < 0.12,
                "tmj_disorder": rng.random() < 0.10,
                "pregnant": rng.random() < 0.08,
                "filler_allergy": rng.random() < 0.07,
                "skin_infection": rng.random() < 0.07,
                "neuromuscular_disorder": rng.random() < 0.05,
            }
        )
    return draws


def reference(x: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The anchor workload in plain Python: the oracle for identical outputs."""
    out: set[str] = set()
    fired: list[str] = []
    onset, sev, region, goal, age = x["onset"], x["severity"], x["region"], x["goal"], x["age"]
    rest, expr = x["at_rest"], x["with_expression"]
    if onset == "sudden":
        return ["urgent_medical_referral"], ["r01"]
    if onset == "after_injury" and sev == "significant":
        out.add("medical_referral")
        fired.append("r02")
    if onset == "gradual" and rest and expr and age >= 60:
        out.add("neurology_screening")
        fired.append("r03")
    wc = x["weight_change"]
    causes = [
        ("r04", rest and onset == "childhood", "bone_structure"),
        ("r05", rest and onset == "after_injury" and not expr, "bone_structure"),
        ("r06", rest and onset == "after_injury" and expr, "weak_muscle"),
        ("r07", rest and onset == "gradual" and wc, "fat_distribution"),
        ("r08", rest and onset == "gradual" and not wc and not expr, "fat_distribution"),
        ("r09", rest and onset == "gradual" and not wc and expr, "weak_muscle"),
        ("r10", not rest and expr and onset == "after_injury", "weak_muscle"),
        ("r11", not rest and expr and onset in ("childhood", "gradual"), "overactive_muscle"),
        ("r12", not rest and not expr and wc, "fat_distribution"),
        ("r13", not rest and not expr and not wc, "overactive_muscle"),
    ]
    cause = ""
    for rid, holds, value in causes:
        if holds:
            fired.append(rid)
            cause = value
    toxin = filler = exercise = True
    bleeding = False
    if age < 18:
        toxin = filler = False
        fired.append("r14")
    if x["pregnant"]:
        toxin = filler = False
        fired.append("r15")
    if x["neuromuscular_disorder"]:
        toxin = False
        fired.append("r16")
    if x["filler_allergy"]:
        filler = False
        fired.append("r17")
    if x["skin_infection"]:
        filler = False
        fired.append("r18")
    if x["tmj_disorder"] and region in ("jawline", "mouth"):
        exercise = False
        fired.append("r19")
    if x["anticoagulants"]:
        bleeding = True
        fired.append("r20")
    mild, sig = sev == "mild", sev == "significant"
    plan = [
        ("r21", cause == "weak_muscle" and exercise, f"exercise_programme:{region}"),
        ("r22", cause == "weak_muscle" and not exercise, "physiotherapy_referral"),
        (
            "r23",
            cause == "weak_muscle" and goal == "immediate" and not mild and toxin,
            "toxin_referral",
        ),
        ("r24", cause == "weak_muscle" and sig and region in ("mouth", "eyes"), "surgical_consult"),
        ("r25", cause == "weak_muscle" and region == "eyes" and not mild, "ophthalmology_referral"),
        ("r26", cause == "overactive_muscle" and not mild and toxin, "toxin_referral"),
        ("r27", cause == "overactive_muscle" and not mild and not toxin, "physiotherapy_referral"),
        (
            "r28",
            cause == "overactive_muscle" and goal == "subtle" and exercise,
            f"exercise_programme:{region}",
        ),
        ("r29", cause == "overactive_muscle" and mild and goal == "subtle", "reassurance"),
        ("r30", cause == "fat_distribution" and not mild and filler, "filler_referral"),
        ("r31", cause == "fat_distribution" and sig and not filler, "surgical_consult"),
        ("r32", cause == "fat_distribution" and mild and goal == "subtle", "reassurance"),
        (
            "r33",
            cause == "fat_distribution" and region == "cheeks" and goal == "subtle" and exercise,
            "exercise_programme:cheeks",
        ),
        ("r34", cause == "bone_structure" and sig, "surgical_consult"),
        (
            "r35",
            cause == "bone_structure"
            and sev == "noticeable"
            and region in ("cheeks", "jawline")
            and filler,
            "filler_referral",
        ),
        ("r36", cause == "bone_structure" and mild, "reassurance"),
        (
            "r37",
            cause == "bone_structure" and region == "jawline" and age < 25,
            "orthodontic_assessment",
        ),
        ("r38", region == "brows" and goal == "immediate" and mild and toxin, "toxin_referral"),
    ]
    planned: set[str] = set()
    for rid, holds, value in plan:
        if holds:
            fired.append(rid)
            planned.add(value)
    if bleeding and planned & {"toxin_referral", "filler_referral"}:
        out.add("bleeding_risk_counselling")
        fired.append("r39")
    if not planned:
        out.add("general_consultation")
        fired.append("r40")
    return sorted(out | planned), sorted(fired)
