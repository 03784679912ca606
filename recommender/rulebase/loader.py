"""Read a rule base directory, check everything, and return it whole or not at all.

Every problem raises `RuleBaseError` naming the file and, where there is one, the rule id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..contract.constants import CRISIS_CARD as CRISIS_CARD  # proof/, safety/ read it here
from ..contract.constants import REQUIRED_DERIVED as REQUIRED_DERIVED  # proof/ reads it here
from ..contract.errors import RuleBaseError
from ..contract.fields import FieldKind, FieldSpec, field_specs
from ..contract.preview import preview
from ..contract.recommendation import PATHWAYS
from .illustrations import Drawing, IllustrationError, check_drawing
from .model import LoadedRule, RuleBase, Stage
from .schema import (
    AllOf,
    AnyOf,
    CardFile,
    CatalogueFiles,
    CautionFile,
    Condition,
    DerivedField,
    ExerciseCatalogue,
    FieldTest,
    Manifest,
    Not,
    QuestionEntry,
    QuestionFile,
    Rule,
    ServiceFile,
    StageFile,
    StopWhen,
)
from .signoff_record import read_signoffs
from .wording import client_texts, wording_problems
from .yamlio import load_yaml

MANIFEST = "rulebase.yaml"
RESERVED_NAMES = frozenset({"id", "sid", "kind"})
M = TypeVar("M", bound=BaseModel)

_MAX_NAME = 255


def _label(part: object) -> str:
    """A key or rule id from a rule file, as text short enough for a message."""
    if isinstance(part, str) and len(part) <= 80:
        return part
    return preview(part, 80)


def _pydantic_message(error: ValidationError, data: Any) -> tuple[str, str | None]:
    """A readable message, and the rule id when the error sits inside `rules[i]`."""
    lines, rule_id = [], None
    for item in error.errors()[:8]:
        loc = list(item["loc"])
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and rule_id is None:
            rules = data.get("rules") if isinstance(data, dict) else None
            raw = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
            found = raw.get("id") if isinstance(raw, dict) else None
            rule_id = _label(found) if found else f"rules[{loc[1]}]"
            loc = loc[2:]
        shown = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
        where = ".".join(_label(part) for part in shown)
        message = item["msg"].removeprefix("Value error, ")  # our own validators' messages
        lines.append(
            f"{where}: {message}" if where else message if rule_id else f"(top): {message}"
        )
    return "; ".join(lines), rule_id


class _Reader:
    """Reads files relative to the rule base directory and remembers what it read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.contents: dict[str, bytes] = {}

    def model(self, name: str, model: type[M]) -> tuple[M, Any]:
        raw = self.raw(name)
        try:
            data = load_yaml(raw.decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            raise RuleBaseError(name, f"invalid YAML: {error}") from None
        try:
            return model.model_validate(data), data
        except ValidationError as error:
            message, rule_id = _pydantic_message(error, data)
            raise RuleBaseError(name, message, rule_id) from None

    def raw(self, name: str) -> bytes:
        """A file's bytes, fingerprinted with the rest of the rule base."""
        path = self._inside(name)
        if not path.is_file():
            raise RuleBaseError(name, "file not found")
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise RuleBaseError(name, f"cannot be read ({error.strerror})") from None
        self.contents[name] = raw
        return raw

    def _inside(self, name: str) -> Path:
        """The path of a file the rule base names; only files in its own directory are read
        (no absolute path, no `..`, no link leading out), so a rule base cannot read or
        fingerprint any other file on the machine."""
        shown = name if name and name.isprintable() and len(name) <= _MAX_NAME else preview(name)
        if len(name) > _MAX_NAME:
            raise RuleBaseError(shown, f"is not a usable file name (over {_MAX_NAME} long)")
        relative = Path(name)
        if not name or relative.is_absolute() or ".." in relative.parts:
            raise RuleBaseError(
                shown, "a rule base reads only files in its own directory (no absolute path or ..)"
            )
        path = self.root / relative
        try:
            inside = path.resolve().is_relative_to(self.root.resolve())
        except (OSError, ValueError, RuntimeError) as error:  # NUL byte, link loop (3.11), ...
            reason = error.strerror if isinstance(error, OSError) else str(error)
            raise RuleBaseError(shown, f"is not a usable file name ({reason})") from None
        if not inside:
            raise RuleBaseError(shown, "is a link to a file outside the rule base directory")
        return path

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.contents):
            digest.update(name.encode() + b"\0" + self.contents[name] + b"\0")
        return digest.hexdigest()


def _walk(condition: Condition) -> Iterator[FieldTest]:
    if isinstance(condition, FieldTest):
        yield condition
    elif isinstance(condition, AllOf):
        for part in condition.all:
            yield from _walk(part)
    elif isinstance(condition, AnyOf):
        for part in condition.any:
            yield from _walk(part)
    elif isinstance(condition, Not):
        yield from _walk(condition.not_)


def fields_read(condition: Condition) -> tuple[str, ...]:
    """The fields a condition reads, in first-mention order."""
    return tuple(dict.fromkeys(test.field for test in _walk(condition)))


def _derived_spec(name: str, derived: DerivedField) -> FieldSpec:
    kind: FieldKind = "multi" if derived.type == "set" else "choice"
    return FieldSpec(name, kind, tuple(derived.values))


def _check_value(spec: FieldSpec, value: object) -> str | None:
    if spec.allows(value):
        return None
    allowed = ", ".join(spec.describe_allowed())
    return f"{spec.name} cannot be {preview(value)}; allowed: {allowed}"


# The engine holds numbers in 64 bits; a field without bounds of its own is held to those.
_INT64 = (-(2**63), 2**63 - 1)


def _check_comparison(spec: FieldSpec, op: str, operand: int) -> str | None:
    """A comparison operand within the field's own bounds: outside them the test is always
    true or never true, which is a mistake (`present: true` says "any answer")."""
    if spec.kind != "integer":
        return f"{op} needs a number field; {spec.name} is not"
    low = spec.minimum if spec.minimum is not None else _INT64[0]
    high = spec.maximum if spec.maximum is not None else _INT64[1]
    if low <= operand <= high:
        return None
    return (
        f"{op} {preview(operand)}: {spec.name} is a whole number from {low} to {high},"
        " so this test would always or never hold; compare with a number in that range"
    )


def _check_test(test: FieldTest, spec: FieldSpec) -> str | None:
    op, operand = test.operator, test.operand
    if op == "present":
        return None
    if op in ("lt", "lte", "gt", "gte"):
        return _check_comparison(spec, op, operand)
    if op.startswith("contains_"):
        if spec.kind != "multi":
            return f"{op} needs a list field; {spec.name} is not a list"
        return next((p for p in (_check_value(spec, v) for v in operand) if p), None)
    if spec.kind == "multi":
        return f"{op} cannot test the list field {spec.name}; use contains_any/all/none"
    values = operand if isinstance(operand, list) else [operand]
    return next((p for p in (_check_value(spec, v) for v in values) if p), None)


def _check_example(example: Mapping[str, Any], domains: Mapping[str, FieldSpec]) -> str | None:
    for key, value in example.items():
        spec = domains.get(key)
        if spec is None:
            return f"example names {preview(key)}, which this stage cannot read"
        items = value if spec.kind == "multi" and isinstance(value, list) else [value]
        if spec.kind == "multi" and not isinstance(value, list):
            return f"example value for {key} must be a list"
        problem = next((p for p in (_check_value(spec, v) for v in items) if p), None)
        if problem:
            return f"example: {problem}"
    return None


def _check_rule(
    rule: Rule,
    file: str,
    stage_id: str,
    available: Mapping[str, FieldSpec],
    own: Mapping[str, DerivedField],
    catalogue: tuple[CardFile, CautionFile],
    raised: Mapping[str, DerivedField],
) -> None:
    """Check one rule; `raised` maps each earlier value this stage may raise to its definition."""

    def fail(message: str) -> RuleBaseError:
        return RuleBaseError(file, message, rule.id)

    for test in _walk(rule.when):
        spec = available.get(test.field)
        if spec is None:
            if test.field in own:
                raise fail(
                    f"reads {test.field}, which its own stage derives; no earlier stage produces it"
                )
            raise fail(f"reads unknown field {test.field!r} (no answer or earlier stage has it)")
        problem = _check_test(test, spec)
        if problem:
            raise fail(problem)
    for name, value in rule.then.set.items():
        derived = raised.get(name) or own.get(name)
        if derived is None or derived.type != "enum":
            raise fail(f"set {name}: not a value stage {stage_id} derives or raises")
        if value not in derived.values:
            raise fail(f"set {name}: {value!r} is not one of {', '.join(derived.values)}")
    for name, values in rule.then.add.items():
        derived = own.get(name)
        if derived is None or derived.type != "set":
            raise fail(f"add {name}: not a set stage {stage_id} derives")
        unknown = [v for v in values if v not in derived.values]
        if unknown:
            raise fail(f"add {name}: {', '.join(unknown)} not among its values")
    cards, cautions = catalogue
    for card in rule.then.cards:
        if card not in cards.cards:
            raise fail(f"card {card!r} is not in the card catalogue")
    for caution in rule.then.cautions:
        if caution not in cautions.cautions:
            raise fail(f"caution {caution!r} is not in the caution catalogue")
    for example in [*rule.examples.fire, *rule.examples.not_fire]:
        problem = _check_example(example, available)
        if problem:
            raise fail(problem)


def _load_stages(
    reader: _Reader, manifest: Manifest, catalogue: tuple[CardFile, CautionFile]
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
                _check_rule(rule, file, entry.id, available, own, catalogue, raised)
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
            available[name] = derived_all[name] = _derived_spec(name, derived)
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


def _check_required_derived(derived: Mapping[str, FieldSpec]) -> None:
    for name, (kind, allowed) in REQUIRED_DERIVED.items():
        spec = derived.get(name)
        expected = "multi" if kind == "set" else "choice"
        if spec is None or spec.kind != expected:
            raise RuleBaseError(MANIFEST, f"the rule base must derive {name} as an {kind}")
        extra = sorted(set(spec.values) - allowed)
        if extra:
            raise RuleBaseError(MANIFEST, f"{name} may only take {sorted(allowed)}; not {extra}")


def _check_catalogue(
    files: Manifest,
    cards: CardFile,
    services: ServiceFile,
    exercises: ExerciseCatalogue,
    derived: Mapping[str, FieldSpec],
) -> None:
    for card_id, card in cards.cards.items():
        if card.booking is not None and card.booking not in services.services:
            raise RuleBaseError(
                files.catalogue.cards, f"card {card_id}: unknown service {preview(card.booking)}"
            )
    if CRISIS_CARD not in cards.cards:
        raise RuleBaseError(files.catalogue.cards, f"the card {CRISIS_CARD!r} is required")
    where = files.catalogue.exercises
    specs = field_specs()
    for group_id, group in exercises.groups.items():
        spec = derived.get(group.status_field)
        if spec is None or spec.kind != "choice":
            raise RuleBaseError(
                where, f"group {group_id}: {group.status_field!r} is not a derived value"
            )
        missing = [s for s in exercises.blocked_statuses if s not in spec.values]
        if missing:
            raise RuleBaseError(where, f"group {group_id}: {group.status_field} has no {missing}")
    for exercise_id, exercise in exercises.exercises.items():
        bad = [r for r in exercise.regions if r not in specs["regions"].values]
        bad += [g for g in exercise.groups if g not in exercises.groups]
        if bad:
            raise RuleBaseError(where, f"exercise {exercise_id}: unknown region or group {bad}")
    _check_keys(where, "side_emphasis", exercises.side_emphasis, specs["side"].values)
    commitments = specs["exercise_commitment"].values
    _check_keys(where, "session rounds", exercises.session.rounds, commitments, unused=("none",))
    for phase in exercises.schedule:
        if phase.session is not None:
            _check_keys(
                where, f"schedule {phase.phase}", phase.session, commitments, unused=("none",)
            )


def _check_keys(
    where: str,
    what: str,
    mapping: Mapping[str, object],
    values: Sequence[str],
    unused: Sequence[str] = (),
) -> None:
    """`mapping` must have one entry per value, except the values listed as `unused`."""
    expected = set(values) - set(unused)
    if set(mapping) != expected:
        raise RuleBaseError(where, f"{what}: needs exactly the keys {sorted(expected)}")


def _check_questions(where: str, questions: QuestionFile) -> None:
    specs = field_specs()
    seen: dict[str, str] = {}
    for question in questions.questions:
        spec = specs.get(question.field)
        if spec is None:
            raise RuleBaseError(where, f"question {question.id}: unknown field {question.field!r}")
        if question.field in seen or question.id in seen.values():
            raise RuleBaseError(where, f"question {question.id}: field or id asked twice")
        if question.block not in questions.blocks:
            raise RuleBaseError(where, f"question {question.id}: unknown block {question.block!r}")
        wanted = set(spec.values) if spec.kind in ("choice", "multi") else set()
        if set(question.options) != wanted:
            raise RuleBaseError(
                where, f"question {question.id}: options must be exactly {sorted(wanted) or 'none'}"
            )
        if question.enable_when is not None:
            gate = question.enable_when
            if gate.field not in seen:
                raise RuleBaseError(
                    where, f"question {question.id}: enable_when must read an earlier question"
                )
            if any(not specs[gate.field].allows(v) for v in gate.one_of):
                raise RuleBaseError(
                    where, f"question {question.id}: enable_when value not allowed for {gate.field}"
                )
        if question.ask_when is not None:
            _check_ask_when(where, question, questions, seen)
        seen[question.field] = question.id
    missing = [name for name in specs if name not in seen]
    if missing:
        raise RuleBaseError(where, f"no question for {', '.join(missing)}")


def _load_drawings(reader: _Reader, exercises: ExerciseCatalogue) -> dict[str, Drawing]:
    """Each exercise's drawing, checked; a missing or unsafe file fails the whole load with
    the file and the exercise id, like any other fault in the rule base."""
    drawings = {}
    for exercise_id, exercise in exercises.exercises.items():
        name = exercise.illustration.file
        try:
            drawing = check_drawing(name, reader.raw(name))
        except RuleBaseError as error:
            raise RuleBaseError(name, f"exercise {exercise_id}'s drawing: {error.detail}") from None
        except IllustrationError as error:
            raise RuleBaseError(name, f"exercise {exercise_id}'s drawing {error}") from None
        for text in (drawing.title, drawing.description):
            problems = wording_problems(text, "")
            if problems:
                raise RuleBaseError(
                    name,
                    f"exercise {exercise_id}'s drawing: client-facing text {'; '.join(problems)}",
                )
        drawings[exercise_id] = drawing
    return drawings


def _check_ask_when(
    where: str, question: QuestionEntry, questions: QuestionFile, seen: Mapping[str, str]
) -> None:
    """A skippable question: its test reads an earlier question that is always asked, and the
    contract lets a questionnaire leave its field out (so a skipped answer is never guessed)."""
    specs = field_specs()
    test = question.ask_when
    if test is None:
        return
    name = f"question {question.id}"
    if question.enable_when is not None:
        raise RuleBaseError(where, f"{name}: give enable_when or ask_when, not both")
    if test.field not in seen:
        raise RuleBaseError(where, f"{name}: ask_when must read an earlier question")
    earlier = next(q for q in questions.questions if q.field == test.field)
    if earlier.enable_when is not None or earlier.ask_when is not None or not earlier.ask:
        raise RuleBaseError(
            where, f"{name}: ask_when must read a question every client is asked ({test.field})"
        )
    problem = _check_test(test, specs[test.field])
    if problem:
        raise RuleBaseError(where, f"{name}: ask_when {problem}")
    if specs[question.field].required:
        raise RuleBaseError(
            where,
            f"{name}: {question.field} is required by the contract, so it cannot be skipped",
        )


def _check_client_text(
    names: CatalogueFiles,
    cards: CardFile,
    services: ServiceFile,
    questions: QuestionFile,
    exercises: ExerciseCatalogue,
) -> None:
    """Refuse client-facing text that names a medicine, promises results or diagnoses."""
    for item in client_texts(cards.cards, services.services, questions, exercises):
        problems = wording_problems(item.text, item.field)
        if problems:
            raise RuleBaseError(
                getattr(names, item.catalogue),
                f"{item.where}: client-facing text {'; '.join(problems)}",
            )


def load_rulebase(directory: str | Path) -> RuleBase:
    """Load and check a rule base directory; raise `RuleBaseError` on the first problem."""
    root = Path(directory)
    if not (root / MANIFEST).is_file():
        raise RuleBaseError(str(root / MANIFEST), "not a rule base directory (no manifest)")
    reader = _Reader(root)
    manifest, _ = reader.model(MANIFEST, Manifest)
    names = manifest.catalogue
    cards, _ = reader.model(names.cards, CardFile)
    services, _ = reader.model(names.services, ServiceFile)
    cautions, _ = reader.model(names.cautions, CautionFile)
    exercises, _ = reader.model(names.exercises, ExerciseCatalogue)
    questions, _ = reader.model(names.questions, QuestionFile)
    stage_ids = [stage.id for stage in manifest.stages]
    if len(set(stage_ids)) != len(stage_ids):
        raise RuleBaseError(MANIFEST, "stage ids repeat")
    stages, derived = _load_stages(reader, manifest, (cards, cautions))
    _check_required_derived(derived)
    _check_catalogue(manifest, cards, services, exercises, derived)
    _check_questions(names.questions, questions)
    _check_client_text(names, cards, services, questions, exercises)
    drawings = _load_drawings(reader, exercises)
    return RuleBase(
        name=manifest.name,
        version=manifest.version,
        description=manifest.description,
        path=root.resolve(),
        fingerprint=reader.fingerprint(),
        stages=stages,
        cards=cards.cards,
        services=services.services,
        cautions=cautions.cautions,
        exercises=exercises,
        questions=questions,
        derived=derived,
        drawings=drawings,
        signoffs=read_signoffs(root),  # read apart from the rule files: not fingerprinted
    )
