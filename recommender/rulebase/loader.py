"""Read a rule base directory, check everything, and return it whole or not at all.

Every problem raises `RuleBaseError` naming the file and, where there is one, the rule id.
Public here: `load_rulebase`. The reading and each family of checks live in the private
modules `_reader`, `_rule_checks`, `_stage_loading` and `_catalogue_checks`.
"""

from __future__ import annotations

from pathlib import Path

from ..contract.errors import RuleBaseError
from ._catalogue_checks import check_catalogue, check_client_text, check_questions, load_drawings
from ._reader import RuleFileReader
from ._stage_loading import check_required_derived, load_stages
from .fingerprint import MANIFEST, manifest_files
from .model import RuleBase
from .schema import CardFile, CautionFile, ExerciseCatalogue, Manifest, QuestionFile, ServiceFile
from .signoff_record import read_signoffs


def load_rulebase(directory: str | Path) -> RuleBase:
    """Load and check a rule base directory; raise `RuleBaseError` on the first problem."""
    root = Path(directory)
    if not (root / MANIFEST).is_file():
        raise RuleBaseError(str(root / MANIFEST), "not a rule base directory (no manifest)")
    reader = RuleFileReader(root)
    manifest, manifest_data = reader.model(MANIFEST, Manifest)
    names = manifest.catalogue
    cards, _ = reader.model(names.cards, CardFile)
    services, _ = reader.model(names.services, ServiceFile)
    cautions, _ = reader.model(names.cautions, CautionFile)
    exercises, exercises_data = reader.model(names.exercises, ExerciseCatalogue)
    questions, _ = reader.model(names.questions, QuestionFile)
    stage_ids = [stage.id for stage in manifest.stages]
    if len(set(stage_ids)) != len(stage_ids):
        raise RuleBaseError(MANIFEST, "stage ids repeat")
    stages, derived = load_stages(reader, manifest, (cards, cautions))
    check_required_derived(derived)
    check_catalogue(manifest, cards, services, exercises, derived)
    check_questions(names.questions, questions)
    check_client_text(names, cards, services, questions, exercises)
    drawings = load_drawings(reader, exercises)
    files = manifest_files(manifest_data, exercises_data)
    return RuleBase(
        name=manifest.name,
        version=manifest.version,
        description=manifest.description,
        path=root.resolve(),
        fingerprint=reader.fingerprint(files),
        stages=stages,
        cards=cards.cards,
        services=services.services,
        cautions=cautions.cautions,
        exercises=exercises,
        questions=questions,
        derived=derived,
        drawings=drawings,
        signoffs=read_signoffs(root),  # read apart from the rule files: not fingerprinted
        files=files,
    )
