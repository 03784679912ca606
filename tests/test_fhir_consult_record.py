"""The consult record: the answers, the contract's full recommendation and the rule base, as
JSON that reads back to the same recommendation."""

from __future__ import annotations

import json

import pytest

from recommender import AnswersError, Recommender
from recommender.contract.fields import field_specs
from recommender.contract.recommendation import Recommendation
from recommender.interop.consult_export import consult_record

from .conftest import load_example
from .test_cli_support import EXAMPLE_PATHWAYS


@pytest.mark.parametrize("name", sorted(EXAMPLE_PATHWAYS))
def test_a_record_keeps_answers_recommendation_and_rule_base(
    recommender: Recommender, name: str
) -> None:
    answers = load_example(name)
    recommendation = recommender.recommend(answers)
    record = json.loads(json.dumps(consult_record(answers, recommendation)))  # plain JSON
    assert set(record) == {"answers", "recommendation", "rulebase"}
    assert record["answers"] == answers
    assert Recommendation.model_validate(record["recommendation"]) == recommendation
    assert record["recommendation"]["pathway"] == EXAMPLE_PATHWAYS[name]
    base = recommender.rulebase
    assert record["rulebase"] == record["recommendation"]["rulebase"]
    named = {key: record["rulebase"][key] for key in ("name", "version", "fingerprint")}
    assert named == {"name": base.name, "version": base.version, "fingerprint": base.fingerprint}
    assert recommender.recommend(record["answers"]) == recommendation  # the answers replay


def test_the_record_is_the_clinicians_full_view(recommender: Recommender) -> None:
    answers = load_example("m2-overactive-within-weeks")
    record = consult_record(answers, recommender.recommend(answers))["recommendation"]
    assert record["category"] and record["injectable_options"]
    assert record["explanation"] and all("rule" in firing for firing in record["explanation"])


def test_answers_keep_the_contract_order_and_drop_empty_optionals(
    recommender: Recommender,
) -> None:
    example = load_example("m1-weak-side-subtle")
    answers = dict(reversed(example.items()))
    answers["severe_headache"] = None  # an optional follow-up sent as null: not an answer
    record = consult_record(answers, recommender.recommend(answers))
    assert list(record["answers"]) == [field for field in field_specs() if field in example]
    assert "severe_headache" not in record["answers"]


def test_invalid_answers_make_no_record(recommender: Recommender) -> None:
    answers = load_example("m1-weak-side-subtle")
    recommendation = recommender.recommend(answers)
    answers["distress"] = "huge"
    with pytest.raises(AnswersError) as caught:
        consult_record(answers, recommendation)
    assert caught.value.fields == ("distress",)
