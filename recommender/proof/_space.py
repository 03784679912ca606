"""The finite input space `verify` and `diff` enumerate: each answer field cut into classes.

Two values of a field are equivalent when every test any rule (or a contract invariant, or
the programme builder) makes on that field gives the same result for both: no rule can tell
them apart, so enumerating one representative of each class covers the whole field exactly.
Every value of every field is classified (all ages 0..120, every subset of a list field), so
the classes are exact, not sampled. Integer classes keep both ends (ages 17 and 18, 64 and 65,
0 and 120) so the real engine sees every boundary. Each representative carries a weight, the
number of real answers it stands for, so counts are counts of questionnaires.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..contract.constants import EVENT_PAIRING
from ..contract.fields import FieldSpec, field_adapter, field_specs
from ..contract.questionnaire import event_pairing_problem
from ..rulebase.conditions import Predicate, field_tests, predicate, value_test
from ..rulebase.model import RuleBase
from ..rulebase.schema import FieldTest
from ..safety.invariants import answer_fields, answer_tests
from ..safety.safety_net import invariant_tests


class _Absent:
    """The marker for an unanswered field (optional, or not yet asked)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<absent>"

    def __reduce__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()

COUPLED = (EVENT_PAIRING.asked_after, EVENT_PAIRING.follow_up)
"""The contract's event pairing (`EVENT_PAIRING`): the two answers are enumerated as a pair."""

PAIRING_TESTS: tuple[FieldTest, ...] = (
    FieldTest.model_validate(
        {"field": EVENT_PAIRING.asked_after, "equals": EVENT_PAIRING.asked_when}
    ),
)
"""What the event pairing reads (`COUPLED`): whether `event` must be answered."""
NET_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(test.field for test in invariant_tests()))
"""The answers the independent safety tables read: the walk decides each table line where
its last answers are enumerated and folds the verdict into the state (`safety_net.decide`)."""
PROGRAMME_FIELDS = ("regions", "side", "exercise_commitment")


@dataclass(frozen=True)
class Member:
    """One representative assignment of a group's fields, and how many answers it stands for."""

    values: tuple[tuple[str, Any], ...]
    weight: int


@dataclass(frozen=True)
class Group:
    """Fields enumerated together (one field, or the coupled first_noticed/event pair)."""

    fields: tuple[str, ...]
    members: tuple[Member, ...]

    @property
    def total(self) -> int:
        return sum(member.weight for member in self.members)


def _tests_of(rulebase: RuleBase) -> Iterator[FieldTest]:
    """What the rules test, and the tests that skip questions (so a class never straddles
    the point where a question starts or stops being asked)."""
    for rule in rulebase.all_rules():
        yield from field_tests(rule.rule.when)
    for skip in skips_of(rulebase):
        yield skip.test


@dataclass(frozen=True)
class Skip:
    """One skippable question: asked only when `test` (on an earlier answer) holds."""

    question: str
    field: str
    test: FieldTest
    asks: Predicate

    def describe(self) -> str:
        """The test in words a rule author reads, e.g. `age gte 18`."""
        return f"{self.test.field} {self.test.operator} {self.test.operand}"

    def asked(self, answers: Mapping[str, Any]) -> bool:
        """Whether answers holding the test's field ask the question."""
        return self.asks(answers)


def skips_of(rulebase: RuleBase) -> tuple[Skip, ...]:
    """Every question of the rule base with an `ask_when`, in questionnaire order."""
    return tuple(
        Skip(question.id, question.field, question.ask_when, predicate(question.ask_when))
        for question in rulebase.questions.questions
        if question.ask_when is not None
    )


def _programme_tests(rulebase: RuleBase) -> Iterator[FieldTest]:
    """What the programme builder distinguishes: exercises by region, side, commitment."""
    for exercise in rulebase.exercises.exercises.values():
        yield FieldTest.model_validate({"field": "regions", "contains_any": exercise.regions})
    for name in ("side", "exercise_commitment"):
        for value in field_specs()[name].values:
            yield FieldTest.model_validate({"field": name, "equals": value})


def all_values(spec: FieldSpec) -> list[Any]:
    """Every valid answer of a field; list answers as tuples in the field's value order."""
    if spec.kind == "choice":
        return list(spec.values)
    if spec.kind == "boolean":
        return [False, True]
    if spec.kind == "integer":
        assert spec.minimum is not None and spec.maximum is not None
        return list(range(spec.minimum, spec.maximum + 1))
    adapter = field_adapter(spec.name)
    subsets: list[Any] = []
    for size in range(len(spec.values) + 1):
        for subset in itertools.combinations(spec.values, size):
            try:
                adapter.validate_python(list(subset))
            except ValidationError:
                continue
            subsets.append(subset)
    return subsets


class FieldClasses:
    """The classes of one answer field under a fixed list of tests."""

    def __init__(self, spec: FieldSpec, tests: Sequence[FieldTest], partial: bool) -> None:
        self.spec = spec
        self.tests = tuple(tests)
        self._checks = tuple(value_test(test) for test in self.tests)
        classes: dict[tuple[bool, ...], list[Any]] = {}
        for value in all_values(spec):
            classes.setdefault(self.signature(value), []).append(value)
        self._rep = {signature: values[0] for signature, values in classes.items()}
        members: list[tuple[Any, int]] = []
        for values in classes.values():
            if spec.kind == "integer" and len(values) > 1:
                members += [(values[0], 1), (values[-1], len(values) - 1)]
            else:
                members.append((values[0], len(values)))
        if partial or not spec.required:
            members.append((ABSENT, 1))
        self.members = tuple(members)

    def signature(self, value: Any) -> tuple[bool, ...]:
        return tuple(check(value) for check in self._checks)

    def representative(self, value: Any) -> Any:
        """The enumerated value standing for `value` (for looking a questionnaire up)."""
        if value is ABSENT:
            return ABSENT
        return self._rep[self.signature(value)]


def _by_field(tests: Iterable[FieldTest]) -> dict[str, list[FieldTest]]:
    found: dict[str, list[FieldTest]] = {}
    seen: set[str] = set()
    for test in tests:
        key = test.model_dump_json()
        if key not in seen:
            seen.add(key)
            found.setdefault(test.field, []).append(test)
    return found


class Space:
    """The classes of every answer field, for one or more rule bases enumerated together.

    Fields are cut by what the rules and invariants test. The programme fields are cut
    finer (by what the programme builder reads) only where a programme is offered, so the
    rules' enumeration does not pay for distinctions only the programme makes.
    """

    def __init__(self, rulebases: Iterable[RuleBase], partial: bool = False) -> None:
        rulebases = list(rulebases)
        self.skips = skips_of(rulebases[0]) if rulebases else ()
        """The first rule base's skipped questions: a questionnaire may leave one out only
        where it is not asked (the walk keeps to that; `total` counts so)."""
        # Answers outside the rules that the invariants (and their independent tables) and
        # the event pairing read, cut by the tests they declare: an invariant can never read
        # a distinction the partition does not make (`partition.coarse_cuts` checks it).
        extra = [*answer_tests(), *PAIRING_TESTS]
        extra += [skip.test for skip in self.skips]  # kept to the end, cut to these classes
        tests = _by_field(itertools.chain(extra, *(_tests_of(rb) for rb in rulebases)))
        fine = _by_field(
            itertools.chain(
                extra,
                *(_tests_of(rb) for rb in rulebases),
                *(_programme_tests(rb) for rb in rulebases),
            )
        )
        specs = field_specs()
        self.partial = partial
        self.invariant_fields = answer_fields()
        """The answers the contract invariants read themselves (`invariants.ANSWER_SIGNS`)."""
        self.fields = {
            name: FieldClasses(spec, tests.get(name, []), partial) for name, spec in specs.items()
        }
        self.fine = {
            name: FieldClasses(specs[name], fine.get(name, []), partial)
            for name in PROGRAMME_FIELDS
        }
        asking = {skip.test.field for skip in self.skips}
        self._invariant = {
            name: FieldClasses(specs[name], tests_only, partial)
            for name, tests_only in _by_field(extra).items()
            if name in self.invariant_fields or name in NET_FIELDS or name in asking
        }
        self._groups: dict[str, Group] = {}
        self._invariant_memo: dict[tuple[str, Any], Any] = {}

    def invariant_class(self, name: str, value: Any) -> Any:
        """`value` cut to what the invariants test (for answers no later rule reads)."""
        key = (name, value)
        found = self._invariant_memo.get(key)
        if found is None:
            classes = self._invariant.get(name)
            found = value if classes is None else classes.representative(value)
            self._invariant_memo[key] = found
        return found

    def refine(self, name: str, value: Any) -> list[tuple[Any, int, int]]:
        """The fine classes inside the coarse class of `value`: (value, weight, coarse weight)."""
        coarse = self.fields[name]
        signature = coarse.signature(value)
        total = next(
            w for v, w in coarse.members if v is not ABSENT and coarse.signature(v) == signature
        )
        return [
            (fine_value, weight, total)
            for fine_value, weight in self.fine[name].members
            if fine_value is not ABSENT and coarse.signature(fine_value) == signature
        ]

    def group(self, name: str) -> Group:
        """The group a field is enumerated in, built on first use."""
        if name not in self._groups:
            fields = COUPLED if name in COUPLED else (name,)
            group = Group(fields, tuple(self._members(fields)))
            for field in fields:
                self._groups[field] = group
        return self._groups[name]

    def _members(self, fields: tuple[str, ...]) -> Iterator[Member]:
        options = [self.fields[field].members for field in fields]
        for combo in itertools.product(*options):
            values = dict(zip(fields, (value for value, _ in combo), strict=True))
            if fields == COUPLED and not self._valid_pair(values):
                continue
            weight = 1
            for _, count in combo:
                weight *= count
            yield Member(tuple(values.items()), weight)

    def _valid_pair(self, values: Mapping[str, Any]) -> bool:
        first, event = values["first_noticed"], values["event"]
        if first is ABSENT:
            return event is ABSENT
        return event_pairing_problem(first, event is not ABSENT) is None

    def groups_for(self, names: Iterable[str]) -> list[Group]:
        """The distinct groups covering `names` (answer fields only), in first-mention order."""
        found: dict[tuple[str, ...], Group] = {}
        for name in names:
            if name in self.fields:
                group = self.group(name)
                found.setdefault(group.fields, group)
        return list(found.values())

    def canonical(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """A questionnaire with every value replaced by its class representative."""
        return {
            name: self.fields[name].representative(_hashable(value))
            for name, value in answers.items()
        }

    def filler(self, names: Iterable[str]) -> dict[str, Any]:
        """A valid value for each named field (the first member of its group)."""
        values: dict[str, Any] = {}
        for group in self.groups_for(names):
            values.update(group.members[0].values)
        return values

    def weight_unread(self, group: Group, answers: Mapping[str, Any]) -> int:
        """How many answers a group stands for beside `answers` (a group no stage read, or a
        skippable answer in `total`): all its members, less a skippable answer's absence
        where its question is asked (there leaving it out is an incomplete questionnaire)."""
        skip = next((s for s in self.skips if s.field in group.fields), None)
        if skip is None:
            return group.total
        asking = answers.get(skip.test.field, ABSENT)
        if asking is ABSENT or not skip.asked({skip.test.field: asking}):
            return group.total
        return sum(m.weight for m in group.members if dict(m.values)[skip.field] is not ABSENT)

    def total(self) -> int:
        """How many complete questionnaires the space stands for: a skippable answer is
        left out only where its question is not asked."""
        apart = {s.field for s in self.skips} | {s.test.field for s in self.skips}
        count = 1
        for group in self.groups_for(field_specs()):
            if not set(group.fields) & apart:
                count *= group.total
        for asking in dict.fromkeys(s.test.field for s in self.skips):
            subtotal = 0
            for member in self.group(asking).members:
                values = dict(member.values)
                weight = member.weight
                for skip in (s for s in self.skips if s.test.field == asking):
                    weight *= self.weight_unread(self.group(skip.field), values)
                subtotal += weight
            count *= subtotal
        return count


def expansions(groups: Sequence[Group]) -> Iterator[tuple[dict[str, Any], int]]:
    """Every combination of the groups' members, with the number of answers it stands for."""
    for combo in itertools.product(*(group.members for group in groups)):
        values: dict[str, Any] = {}
        weight = 1
        for member in combo:
            values.update(member.values)
            weight *= member.weight
        yield values, weight


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def answers_from(assignment: Mapping[str, Any]) -> dict[str, Any]:
    """A questionnaire dict from an assignment: absent fields left out, lists as lists."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in sorted(assignment.items(), key=lambda item: _ORDER[item[0]])
        if value is not ABSENT
    }


_ORDER = {name: index for index, name in enumerate(field_specs())}
