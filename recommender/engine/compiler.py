"""Compile a checked rule base into durable-rules JSON rule sets, and encode facts for them.

Only this package (the compiler, the adapter and their shared `_fact_format`) knows the
durable-rules formats; the pipeline sees compiled stages, facts and action names. The compiler
applies the field notes' rules of thumb at build time: every pattern tests a discriminator,
negation is pushed down to the leaves (durable-rules has no general `not`), list answers are
flattened to one boolean property per value, priorities stay within 0..64999, and property
names are checked for 32-bit FNV-1a hash collisions (the engine tells names apart by hash only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..contract.errors import RuleBaseError
from ..contract.fields import FieldSpec
from ..rulebase.model import LoadedRule, RuleBase, Stage
from ..rulebase.schema import AllOf, AnyOf, Condition, FieldTest, Not
from ._fact_format import (
    DISCRIMINATOR_KEY as DISCRIMINATOR_KEY,  # benchmarks/floor.py reads it here
)
from ._fact_format import (
    DISCRIMINATOR_VALUE as DISCRIMINATOR_VALUE,  # benchmarks/floor.py reads it here
)
from ._fact_format import fnv1a32
from .adapter import DEFAULT_MAX_LIVE, RuleEngine

MAX_FACT_PROPERTIES = 252
MAX_PATTERN_GROUPS = 15
"""durable-rules records each `$and`/`$or` group of a rule in two of 32 expression slots and
refuses the rule set when it fills the last (error code 113, MAX_SEQUENCE_EXPRESSIONS in
rete.h): at most 15 groups a rule, one of them the discriminator's `$and`."""

JsonRule = dict[str, Any]
_ABSENT = object()
"""What `encode_fact` reads for a field the context lacks (None is a value)."""

_NEGATED_COMPARISON = {"$lt": "$gte", "$lte": "$gt", "$gt": "$lte", "$gte": "$lt"}
_COMPARISON = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
_JOINERS = ("$and", "$or")
_PROPERTY_OPERATORS = frozenset({"$ex", "$nex", "$neq", *_NEGATED_COMPARISON})
"""The operators `compile_condition` writes over `{property: operand}` maps; any other key
of a compiled expression (besides the joiners) is a property tested for equality."""


@dataclass(frozen=True)
class CompiledStage:
    """One stage as a durable-rules rule set, plus what is needed to read its firings."""

    stage: Stage
    ruleset_name: str
    definition: Mapping[str, JsonRule]
    action_rules: Mapping[str, LoadedRule]
    """Action name -> the rule it reports."""
    encoding: tuple[tuple[str, tuple[Any, ...] | None], ...]
    """Each input field in order, with a list field's options (None for other kinds): what
    `encode_fact` walks, worked out once rather than per fact."""


def _either(op: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {op: parts}


def _compile_test(test: FieldTest, negate: bool) -> dict[str, Any]:
    name, op, operand = test.field, test.operator, test.operand
    if op in ("not_equals", "not_one_of", "contains_none"):
        negate = not negate
        op = {"not_equals": "equals", "not_one_of": "one_of", "contains_none": "contains_any"}[op]
    if op == "present":
        exists = operand != negate
        return {"$ex" if exists else "$nex": {name: 1}}
    if op in _COMPARISON:
        durable_op = _COMPARISON[op]
        return {_NEGATED_COMPARISON[durable_op] if negate else durable_op: {name: operand}}
    if op in ("equals", "one_of"):
        values = operand if isinstance(operand, list) else [operand]
        if negate:
            return _either("$and", [{"$neq": {name: value}} for value in values])
        return _either("$or", [{name: value} for value in values])
    # contains_any / contains_all over the flattened `name.value` booleans
    wanted = not negate
    joiner = {"contains_any": "$or", "contains_all": "$and"}[op]
    if negate:
        joiner = "$and" if joiner == "$or" else "$or"
    return _either(joiner, [{f"{name}.{value}": wanted} for value in operand])


def compile_condition(condition: Condition, negate: bool = False) -> dict[str, Any]:
    """A condition as a durable-rules expression over one fact, with `not` pushed inwards."""
    if isinstance(condition, FieldTest):
        return _compile_test(condition, negate)
    if isinstance(condition, Not):
        return compile_condition(condition.not_, not negate)
    if isinstance(condition, AllOf):
        parts, joiner = condition.all, "$or" if negate else "$and"
    elif isinstance(condition, AnyOf):
        parts, joiner = condition.any, "$and" if negate else "$or"
    else:  # pragma: no cover - the schema admits no other kind
        raise TypeError(condition)
    return _either(joiner, [compile_condition(part, negate) for part in parts])


def _groups(expression: Any) -> int:
    """How many `$and`/`$or` groups a compiled expression holds."""
    if isinstance(expression, list):
        return sum(_groups(item) for item in expression)
    if not isinstance(expression, dict):
        return 0
    return sum((key in ("$and", "$or")) + _groups(value) for key, value in expression.items())


def _check_groups(loaded: LoadedRule, pattern: Mapping[str, Any]) -> None:
    groups = _groups(pattern)
    if groups > MAX_PATTERN_GROUPS:
        raise RuleBaseError(
            loaded.file,
            f"the condition needs {groups - 1} all/any groups in the engine, which takes at"
            f" most {MAX_PATTERN_GROUPS - 1} (a one_of, not_one_of or contains test of several"
            " values counts as a group too); simplify or split the rule",
            loaded.id,
        )


def properties_tested(expression: Mapping[str, Any]) -> set[str]:
    """Every fact property a compiled expression tests (a list answer's as `name.value`)."""
    tested: set[str] = set()
    for key, value in expression.items():
        if key in _JOINERS:
            for part in value:
                tested |= properties_tested(part)
        elif key in _PROPERTY_OPERATORS:
            tested.update(value)
        else:
            tested.add(key)
    return tested


def _readable_properties(loaded: LoadedRule, inputs: Mapping[str, FieldSpec]) -> set[str]:
    readable = {DISCRIMINATOR_KEY}
    for name in loaded.reads:
        spec = inputs.get(name)
        if spec is not None:
            readable.add(name)
            if spec.kind == "multi":
                readable.update(f"{name}.{value}" for value in spec.values)
    return readable


def _check_tested_fields(loaded: LoadedRule, stage: Stage, pattern: Mapping[str, Any]) -> None:
    """Refuse a compiled pattern that tests anything but its rule's declared fields.

    The engine's decision on a stage's fact is then a function of the fields its rules
    declare, which `encode_fact` puts in the fact: what the adapter's memo keys on relies on
    it (engine/_memo.py), and so does the proof's oracle, which reads the declared fields.
    """
    extra = properties_tested(pattern) - _readable_properties(loaded, stage.inputs)
    if extra:
        raise RuleBaseError(
            loaded.file,
            f"the compiled condition tests {', '.join(sorted(extra))}, which the rule does not"
            f" read (it reads {', '.join(loaded.reads) or 'nothing'}); the compiler is wrong",
            loaded.id,
        )


def _property_names(inputs: Mapping[str, FieldSpec]) -> list[str]:
    names = [DISCRIMINATOR_KEY, "sid", "id"]
    for name, spec in inputs.items():
        names.append(name)
        if spec.kind == "multi":
            names.extend(f"{name}.{value}" for value in spec.values)
    return names


def _check_names(rulebase: RuleBase, names: Iterable[str]) -> None:
    seen: dict[int, str] = {}
    for name in names:
        other = seen.setdefault(fnv1a32(name), name)
        if other != name:
            raise RuleBaseError(
                str(rulebase.path),
                f"property names {other!r} and {name!r} share"
                " a hash; the engine cannot tell them apart, rename one",
            )


def _compile_stage(rulebase: RuleBase, stage: Stage) -> CompiledStage:
    definition: dict[str, JsonRule] = {}
    action_rules: dict[str, LoadedRule] = {}
    names = _property_names(stage.inputs)
    if len(names) - 2 > MAX_FACT_PROPERTIES:
        raise RuleBaseError(
            stage.files[0],
            f"stage {stage.id} reads {len(names)} properties; the"
            f" engine takes at most {MAX_FACT_PROPERTIES} per fact",
        )
    _check_names(rulebase, names)
    for loaded in stage.rules:
        action = f"{stage.id}:{loaded.order}"
        pattern = {
            "$and": [{DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}, compile_condition(loaded.rule.when)]
        }
        _check_groups(loaded, pattern)
        _check_tested_fields(loaded, stage, pattern)
        definition[f"r{loaded.order}"] = {
            "pri": loaded.rule.priority,
            "all": [{"m": pattern}],
            "run": action,
        }
        action_rules[action] = loaded
    name = f"facesym-{rulebase.fingerprint[:16]}-{stage.id}"
    encoding = tuple(
        (field, tuple(spec.values) if spec.kind == "multi" else None)
        for field, spec in stage.inputs.items()
    )
    return CompiledStage(stage, name, definition, action_rules, encoding)


def compile_rulebase(rulebase: RuleBase) -> tuple[CompiledStage, ...]:
    """Every stage as a durable-rules rule set named by the rule base fingerprint."""
    return tuple(_compile_stage(rulebase, stage) for stage in rulebase.stages)


def encode_fact(stage: CompiledStage, context: Mapping[str, Any]) -> dict[str, Any]:
    """The fact a stage evaluates: only the fields its rules read; lists as value -> bool maps.

    A field absent from `context` (an unanswered question) stays absent, so no test on it
    matches.
    """
    fact: dict[str, Any] = {DISCRIMINATOR_KEY: DISCRIMINATOR_VALUE}
    for name, options in stage.encoding:
        value = context.get(name, _ABSENT)
        if value is _ABSENT:
            continue
        if options is None:
            fact[name] = value
        else:
            chosen = set(value)
            fact[name] = {option: option in chosen for option in options}
    return fact


def engine_for(
    stages: Sequence[CompiledStage], max_live: int = DEFAULT_MAX_LIVE, memo_bytes: int = 0
) -> RuleEngine:
    """A durable-rules engine holding the compiled stages' rule sets, ready to evaluate them
    (with a memo of its decisions within `memo_bytes`, when that is above 0)."""
    definitions = {stage.ruleset_name: stage.definition for stage in stages}
    return RuleEngine(definitions, max_live, memo_bytes=memo_bytes)


@dataclass(frozen=True)
class CompiledRuleBase:
    """A rule base's stages compiled for durable-rules and an engine holding them.

    The facade builds one for its own use; the proof tools, the rule examples and the
    benchmarks build their own from the same rule base (compiling is deterministic), so the
    facade need not hand out its engine.
    """

    stages: tuple[CompiledStage, ...]
    engine: RuleEngine

    @classmethod
    def of(
        cls, rulebase: RuleBase, max_live: int = DEFAULT_MAX_LIVE, memo_bytes: int = 0
    ) -> CompiledRuleBase:
        stages = compile_rulebase(rulebase)
        return cls(stages, engine_for(stages, max_live, memo_bytes))

    def close(self) -> None:
        """Release the engine's rule sets (waits for evaluations in flight)."""
        self.engine.close()

    def __enter__(self) -> CompiledRuleBase:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
