"""Write the anchor workload (docs/anchor-workload.md) as facesym stage files.

Run once; the generated YAML is committed under benchmarks/anchor_rules/. The plan review
(r39, r40) reads the plan's own outcomes, which a facesym stage cannot, so it is a fifth
stage `review` that runs right after `plan`: the same rules, the same outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "anchor_rules"
REGIONS = ["brows", "cheeks", "jawline", "mouth", "eyes"]
PLAN_OUTCOMES = [
    "exercise_programme",
    "physiotherapy_referral",
    "toxin_referral",
    "surgical_consult",
    "ophthalmology_referral",
    "filler_referral",
    "reassurance",
    "orthodontic_assessment",
]


def eq(field: str, value: Any) -> dict[str, Any]:
    return {"field": field, "equals": value}


def one_of(field: str, values: list[str]) -> dict[str, Any]:
    return {"field": field, "one_of": values}


def all_(*parts: dict[str, Any]) -> dict[str, Any]:
    return {"all": list(parts)} if len(parts) > 1 else parts[0]


def rule(
    rid: str, when: dict[str, Any], then: dict[str, Any], priority: int = 100
) -> dict[str, Any]:
    return {
        "id": rid,
        "priority": priority,
        "when": when,
        "then": then,
        "rationale": f"anchor workload {rid}",
        "evidence": ["docs/anchor-workload.md"],
        "examples": {"fire": [{}], "not_fire": [{}]},
    }


def stage(name: str, derives: dict[str, Any], rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "stage": name,
        "description": f"anchor workload: {name}",
        "derives": derives,
        "rules": rules,
    }


def outcome_set(name: str, values: list[str]) -> dict[str, Any]:
    return {name: {"description": "outcomes", "type": "set", "values": values}}


def flag(values: list[str], default: str) -> dict[str, Any]:
    return {"description": "flag", "values": values, "combine": "max", "default": default}


def main() -> None:
    triage = stage(
        "triage",
        {
            **outcome_set(
                "triage_outcomes",
                ["urgent_medical_referral", "medical_referral", "neurology_screening"],
            ),
            "stop": flag(["no", "yes"], "no"),
        },
        [
            rule(
                "r01",
                eq("onset", "sudden"),
                {"set": {"stop": "yes"}, "add": {"triage_outcomes": ["urgent_medical_referral"]}},
            ),
            rule(
                "r02",
                all_(eq("onset", "after_injury"), eq("severity", "significant")),
                {"add": {"triage_outcomes": ["medical_referral"]}},
            ),
            rule(
                "r03",
                all_(
                    eq("onset", "gradual"),
                    eq("at_rest", True),
                    eq("with_expression", True),
                    {"field": "age", "gte": 60},
                ),
                {"add": {"triage_outcomes": ["neurology_screening"]}},
            ),
        ],
    )
    ar, nar = eq("at_rest", True), eq("at_rest", False)
    we, nwe = eq("with_expression", True), eq("with_expression", False)
    wc, nwc = eq("weight_change", True), eq("weight_change", False)
    cause_rules = [
        ("r04", all_(ar, eq("onset", "childhood")), "bone_structure"),
        ("r05", all_(ar, eq("onset", "after_injury"), nwe), "bone_structure"),
        ("r06", all_(ar, eq("onset", "after_injury"), we), "weak_muscle"),
        ("r07", all_(ar, eq("onset", "gradual"), wc), "fat_distribution"),
        ("r08", all_(ar, eq("onset", "gradual"), nwc, nwe), "fat_distribution"),
        ("r09", all_(ar, eq("onset", "gradual"), nwc, we), "weak_muscle"),
        ("r10", all_(nar, we, eq("onset", "after_injury")), "weak_muscle"),
        ("r11", all_(nar, we, one_of("onset", ["childhood", "gradual"])), "overactive_muscle"),
        ("r12", all_(nar, nwe, wc), "fat_distribution"),
        ("r13", all_(nar, nwe, nwc), "overactive_muscle"),
    ]
    cause = stage(
        "cause",
        {
            "cause": {
                "description": "cause",
                "values": [
                    "bone_structure",
                    "weak_muscle",
                    "fat_distribution",
                    "overactive_muscle",
                ],
                "combine": "first",
            }
        },
        [rule(rid, when, {"set": {"cause": value}}) for rid, when, value in cause_rules],
    )
    eligibility = stage(
        "eligibility",
        {
            "toxin_ok": flag(["yes", "no"], "yes"),
            "filler_ok": flag(["yes", "no"], "yes"),
            "exercise_ok": flag(["yes", "no"], "yes"),
            "bleeding_caution": flag(["no", "yes"], "no"),
        },
        [
            rule("r14", {"field": "age", "lt": 18}, {"set": {"toxin_ok": "no", "filler_ok": "no"}}),
            rule("r15", eq("pregnant", True), {"set": {"toxin_ok": "no", "filler_ok": "no"}}),
            rule("r16", eq("neuromuscular_disorder", True), {"set": {"toxin_ok": "no"}}),
            rule("r17", eq("filler_allergy", True), {"set": {"filler_ok": "no"}}),
            rule("r18", eq("skin_infection", True), {"set": {"filler_ok": "no"}}),
            rule(
                "r19",
                all_(eq("tmj_disorder", True), one_of("region", ["jawline", "mouth"])),
                {"set": {"exercise_ok": "no"}},
            ),
            rule("r20", eq("anticoagulants", True), {"set": {"bleeding_caution": "yes"}}),
        ],
    )
    mild, not_mild = eq("severity", "mild"), {"field": "severity", "not_equals": "mild"}
    sig = eq("severity", "significant")

    def c(value: str) -> dict[str, Any]:
        return eq("cause", value)

    def ok(field: str) -> dict[str, Any]:
        return eq(field, "yes")

    def nok(field: str) -> dict[str, Any]:
        return eq(field, "no")

    plan_rules = [
        ("r21", all_(c("weak_muscle"), ok("exercise_ok")), "exercise_programme"),
        ("r22", all_(c("weak_muscle"), nok("exercise_ok")), "physiotherapy_referral"),
        (
            "r23",
            all_(c("weak_muscle"), eq("goal", "immediate"), not_mild, ok("toxin_ok")),
            "toxin_referral",
        ),
        (
            "r24",
            all_(c("weak_muscle"), sig, one_of("region", ["mouth", "eyes"])),
            "surgical_consult",
        ),
        ("r25", all_(c("weak_muscle"), eq("region", "eyes"), not_mild), "ophthalmology_referral"),
        ("r26", all_(c("overactive_muscle"), not_mild, ok("toxin_ok")), "toxin_referral"),
        ("r27", all_(c("overactive_muscle"), not_mild, nok("toxin_ok")), "physiotherapy_referral"),
        (
            "r28",
            all_(c("overactive_muscle"), eq("goal", "subtle"), ok("exercise_ok")),
            "exercise_programme",
        ),
        ("r29", all_(c("overactive_muscle"), mild, eq("goal", "subtle")), "reassurance"),
        ("r30", all_(c("fat_distribution"), not_mild, ok("filler_ok")), "filler_referral"),
        ("r31", all_(c("fat_distribution"), sig, nok("filler_ok")), "surgical_consult"),
        ("r32", all_(c("fat_distribution"), mild, eq("goal", "subtle")), "reassurance"),
        (
            "r33",
            all_(
                c("fat_distribution"),
                eq("region", "cheeks"),
                eq("goal", "subtle"),
                ok("exercise_ok"),
            ),
            "exercise_programme",
        ),
        ("r34", all_(c("bone_structure"), sig), "surgical_consult"),
        (
            "r35",
            all_(
                c("bone_structure"),
                eq("severity", "noticeable"),
                one_of("region", ["cheeks", "jawline"]),
                ok("filler_ok"),
            ),
            "filler_referral",
        ),
        ("r36", all_(c("bone_structure"), mild), "reassurance"),
        (
            "r37",
            all_(c("bone_structure"), eq("region", "jawline"), {"field": "age", "lt": 25}),
            "orthodontic_assessment",
        ),
        (
            "r38",
            all_(eq("region", "brows"), eq("goal", "immediate"), mild, ok("toxin_ok")),
            "toxin_referral",
        ),
    ]
    plan = stage(
        "plan",
        outcome_set("plan_outcomes", PLAN_OUTCOMES),
        [rule(rid, when, {"add": {"plan_outcomes": [value]}}) for rid, when, value in plan_rules],
    )
    review = stage(
        "review",
        outcome_set("review_outcomes", ["bleeding_risk_counselling", "general_consultation"]),
        [
            rule(
                "r39",
                all_(
                    eq("bleeding_caution", "yes"),
                    {
                        "field": "plan_outcomes",
                        "contains_any": ["toxin_referral", "filler_referral"],
                    },
                ),
                {"add": {"review_outcomes": ["bleeding_risk_counselling"]}},
            ),
            rule(
                "r40",
                {"field": "plan_outcomes", "contains_none": PLAN_OUTCOMES},
                {"add": {"review_outcomes": ["general_consultation"]}},
            ),
        ],
    )
    fields = {
        "age": {"kind": "integer", "minimum": 16, "maximum": 80},
        "onset": {"kind": "choice", "values": ["childhood", "gradual", "sudden", "after_injury"]},
        "region": {"kind": "choice", "values": REGIONS},
        "severity": {"kind": "choice", "values": ["mild", "noticeable", "significant"]},
        "goal": {"kind": "choice", "values": ["subtle", "immediate"]},
        **{
            name: {"kind": "boolean"}
            for name in [
                "at_rest",
                "with_expression",
                "pregnant",
                "neuromuscular_disorder",
                "filler_allergy",
                "skin_infection",
                "anticoagulants",
                "tmj_disorder",
                "weight_change",
            ]
        },
    }
    manifest = {
        "name": "anchor-workload",
        "version": "1",
        "description": "The benchmark anchor workload (not clinical content).",
        "fields": "fields.yaml",
        "stages": [
            {
                "id": "triage",
                "files": ["triage.yaml"],
                "stop_when": {"field": "stop", "one_of": ["yes"], "pathway": "red_flag"},
            },
            {"id": "cause", "files": ["cause.yaml"]},
            {"id": "eligibility", "files": ["eligibility.yaml"]},
            {"id": "plan", "files": ["plan.yaml"]},
            {"id": "review", "files": ["review.yaml"]},
        ],
    }
    HERE.mkdir(exist_ok=True)
    for name, data in {
        "rulebase.yaml": manifest,
        "fields.yaml": {"fields": fields},
        "triage.yaml": triage,
        "cause.yaml": cause,
        "eligibility.yaml": eligibility,
        "plan.yaml": plan,
        "review.yaml": review,
    }.items():
        (HERE / name).write_text(yaml.safe_dump(data, sort_keys=False, width=100), encoding="utf-8")


if __name__ == "__main__":
    main()
