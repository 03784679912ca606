"""The proof's output as recorded in tests/golden/, and how to record it again.

What `verify` proves and shows is recorded for the rule bases the suite walks anyway: the
shipped one, the small test one, and the small one broken in every way an invariant must
catch and in every structural way. A change to the walk (to make it faster, say) must leave
all of it as it was; `tests/test_proof_output.py` holds it to the record, walked by
`RECORDED_WORKERS` processes.

Left out are the figures that measure the work and not the proof: `seconds`, `workers`, how
many end classes were replayed through the engine (each worker replays one of every outcome
it meets) and how many rule-group evaluations each stage made after memoisation. Everything
else (every count of questionnaires and classes, every pathway's share, every finding with its
counterexample and count) is compared exactly.

Record again only when a rule base the record covers was changed on purpose, or when the walk's
split into shares (`recommender/proof/_sharding.py`) was: the class counts (end classes, each
stage's classes, each finding's classes, and the medians of questions asked, which are taken
over end classes) count the merged states each process holds, and states in different processes
never merge, so those counts, the order the findings are met in and which counterexample is
met first follow the split. Read the diff of tests/golden/ before committing it: after a new
split, nothing but those may differ.

    python -m tests.proof_output
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from recommender import default_rules_path
from recommender.proof.verify import Report, verify

from .verify_fixtures import (
    INVARIANT_BREAKERS,
    STRUCTURE_BREAKERS,
    broken_copy,
    plant_service_code,
    small_rules,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
RECORDED_WORKERS = 2
"""The processes every recorded walk, and every session walk compared with it, runs on."""
WORK_MEASURES = ("seconds", "workers", "engine_replays")
"""Top-level report figures that count the work done, not what was proven."""


def proof_output(report: Report) -> dict[str, Any]:
    """The report as JSON data, less the figures that measure the work (module docstring)."""
    # A copy: as_dict() hands out the report's own stage records (vars), shared by tests.
    data: dict[str, Any] = json.loads(json.dumps(report.as_dict()))
    for name in WORK_MEASURES:
        del data[name]
    for stage in data["stages"]:
        del stage["evaluations"]
    return data


def recorded(name: str) -> dict[str, Any]:
    """The recorded output of the walk called `name` (tests/golden/verify-NAME.json)."""
    data: dict[str, Any] = json.loads((GOLDEN / f"verify-{name}.json").read_text("utf-8"))
    return data


def walks(scratch: Path) -> dict[str, Path]:
    """Every rule base the record covers, built under `scratch` as the fixtures build them."""
    small = small_rules(scratch / "small" / "rules")
    invariants, _ = broken_copy(scratch / "invariants" / "rules", INVARIANT_BREAKERS)
    structure, _ = broken_copy(scratch / "structure" / "rules", STRUCTURE_BREAKERS)
    plant_service_code(structure)
    return {
        "default": default_rules_path(),
        "small": small,
        "broken-invariants": invariants,
        "broken-structure": structure,
    }


def record(names: list[str]) -> None:
    """Walk each named rule base (all when none is named) and write its record."""
    GOLDEN.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="facesym-golden-"))
    try:
        for name, root in walks(scratch).items():
            if names and name not in names:
                continue
            output = proof_output(verify(root, workers=RECORDED_WORKERS))
            text = json.dumps(output, indent=2, sort_keys=True) + "\n"
            (GOLDEN / f"verify-{name}.json").write_text(text, encoding="utf-8")
            print(f"recorded tests/golden/verify-{name}.json")
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    record(sys.argv[1:])
