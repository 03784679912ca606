"""Read the stages the manifest lists, in order, checking every rule against what the stages
before it derive; then check the rule base derives every value the contract reads.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..contract.constants import REQUIRED_DERIVED
from ..contract.errors import RuleBaseError
from ..contract.fields import FieldKind, FieldSpec, field_specs
from ..contract.recommendation import PATHWAYS
from ._reader import RuleFileReader
from ._rule_checks import check_rule
from .conditions import fields_read
from .fingerprint import MANIFEST
from .model import LoadedRule, Stage
from .schema import CardFile, CautionFile, DerivedField, Manifest, StageFile, StopWhen

RESERVED_NAMES = frozenset({"id", "sid", "kind"})


def derived_spec(name: str, derived: DerivedField) -> FieldSpec:
    kind: FieldKind = "multi" if derived.type == "set" else "choice"
    return FieldSpec(name, kind, tuple(derived.values))


def load_stages(
    reader: RuleFileReader, manifest: Manifest, catalogue: tuple[CardFile, CautionFile]
) -> tuple[tuple[Stage, ...], dict[str, FieldSpec]]:
    available: dict[str, FieldSpec] = dict(field_specs())
    derived_all: dict[str, FieldSpec] = {}
    definitions: dict[str, DerivedField] = {}
    stopping: dict[str, StopWhen] = {}
    seen_rules: dict[str, str] = {}
    stages: list[Stage] = []
    for entry in manifest.stages:
        own: dict[str, DerivedField] = {}
        raised: dict[str, DerivedField] = {}
        parsed: list[tuple[str, StageFile]] = []
        for file in entry.files:
            stage_file, _ = reader.model(file, StageFile)
            if stage_file.stage != entry.id:
                raise RuleBaseError(
                    file,
                    f"declares stage {stage_file.stage!r}; the manifest"
                    f" lists it under {entry.id!r}",
                )
            for name, derived in stage_file.derives.items():
                if name in available or name in own or name in RESERVED_NAMES:
                    raise RuleBaseError(file, f"derived field {name!r} is already defined")
                own[name] = derived
            for name in stage_file.raises:
                earlier = definitions.get(name)
                if earlier is None or earlier.combine != "max":
                    raise RuleBaseError(
                        file,
                        f"raises {name!r}: only a value an earlier stage"
                        " derives with combine: max can be raised",
                    )
                raised[name] = earlier
            parsed.append((file, stage_file))
        loaded: list[LoadedRule] = []
        for file, stage_file in parsed:
            for rule in stage_file.rules:
                if rule.id in seen_rules:
                    raise RuleBaseError(
                        file, f"duplicate rule id (also in {seen_rules[rule.id]})", rule.id
                    )
                seen_rules[rule.id] = file
                check_rule(rule, file, entry.id, available, own, catalogue, raised)
                loaded.append(LoadedRule(rule, entry.id, file, len(loaded), fields_read(rule.when)))
        if entry.stop_when is not None:
            _check_stop(entry.stop_when, own, manifest_file=MANIFEST, stage=entry.id)
        inputs = {name: available[name] for rule in loaded for name in rule.reads}
        # A stage that raises a value an earlier stage stops on stops on it too, so a red
        # flag that shows only in later answers still ends the pipeline (brief 0.1 item 1).
        own_stop = (entry.stop_when,) if entry.stop_when is not None else ()
        inherited = tuple(stopping[name] for name in raised if name in stopping)
        stages.append(
            Stage(
                entry.id,
                tuple(entry.files),
                own,
                tuple(loaded),
                entry.stop_when,
                inputs,
                dict(raised),
                own_stop + inherited,
            )
        )
        for name, derived in own.items():
            available[name] = derived_all[name] = derived_spec(name, derived)
        definitions.update(own)
        if entry.stop_when is not None:
            stopping[entry.stop_when.field] = entry.stop_when
    return tuple(stages), derived_all


def _check_stop(
    stop: StopWhen, own: Mapping[str, DerivedField], manifest_file: str, stage: str
) -> None:
    derived = own.get(stop.field)
    if derived is None:
        raise RuleBaseError(
            manifest_file,
            f"stage {stage}: stop_when reads {stop.field!r}, which the stage does not derive",
        )
    unknown = [v for v in stop.one_of if v not in derived.values]
    if unknown:
        raise RuleBaseError(manifest_file, f"stage {stage}: stop_when values {unknown} unknown")
    if stop.pathway not in PATHWAYS:
        raise RuleBaseError(
            manifest_file, f"stage {stage}: stop pathway {stop.pathway!r} is not a contract pathway"
        )


def check_required_derived(derived: Mapping[str, FieldSpec]) -> None:
    for name, (kind, allowed) in REQUIRED_DERIVED.items():
        spec = derived.get(name)
        expected = "multi" if kind == "set" else "choice"
        if spec is None or spec.kind != expected:
            raise RuleBaseError(MANIFEST, f"the rule base must derive {name} as an {kind}")
        extra = sorted(set(spec.values) - allowed)
        if extra:
            raise RuleBaseError(MANIFEST, f"{name} may only take {sorted(allowed)}; not {extra}")
