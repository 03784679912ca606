"""The shape of every file in a rule base directory, as pydantic models.

These models check structure only (keys, types, required parts). Whether a condition names a
real field with a possible value depends on the whole rule base and is checked by the loader.
Public here: every name below; the modules behind it are private, one per kind of file.
"""

from ._catalogue import (
    CardEntry,
    CardFile,
    CautionDef,
    CautionFile,
    EnableWhenEntry,
    QuestionEntry,
    QuestionFile,
    ServiceEntry,
    ServiceFile,
)
from ._conditions import FIELD_OPERATORS, AllOf, AnyOf, Condition, FieldTest, Not
from ._exercises import (
    Exercise,
    ExerciseCatalogue,
    ExerciseGroup,
    ExerciseTiming,
    Illustration,
    IllustrationSideMarks,
    SchedulePhaseEntry,
    SessionTiming,
)
from ._stage_files import (
    MAX_CONDITION_PARTS,
    CatalogueFiles,
    DerivedField,
    Examples,
    Manifest,
    Rule,
    StageEntry,
    StageFile,
    StopWhen,
    Then,
    condition_parts,
)

__all__ = [
    "FIELD_OPERATORS",
    "MAX_CONDITION_PARTS",
    "AllOf",
    "AnyOf",
    "CardEntry",
    "CardFile",
    "CatalogueFiles",
    "CautionDef",
    "CautionFile",
    "Condition",
    "DerivedField",
    "EnableWhenEntry",
    "Examples",
    "Exercise",
    "ExerciseCatalogue",
    "ExerciseGroup",
    "ExerciseTiming",
    "FieldTest",
    "Illustration",
    "IllustrationSideMarks",
    "Manifest",
    "Not",
    "QuestionEntry",
    "QuestionFile",
    "Rule",
    "SchedulePhaseEntry",
    "ServiceEntry",
    "ServiceFile",
    "SessionTiming",
    "StageEntry",
    "StageFile",
    "StopWhen",
    "Then",
    "condition_parts",
]
