"""No result can show the same sentence twice: no two cards share a summary or a sentence,
a card and the service it books say different things, and so do an exercise's steps and
its caution.

A result shows each card once, so a catalogue where every summary and every sentence of
every detail is unique is enough. The sentence every red-flag card used to end with (that
non-urgent questions can wait) is now one card of its own, shown once beside them.
"""

from __future__ import annotations

import re
from collections import defaultdict

from recommender import Recommender
from recommender.contract.constants import STOPPING_URGENCIES

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def test_no_two_cards_share_a_summary_or_a_sentence(recommender: Recommender) -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for card_id, card in recommender.rulebase.cards.items():
        where[card.summary].append(f"{card_id} summary")
        for sentence in SENTENCE_END.split(" ".join(card.detail.split())):
            where[sentence].append(f"{card_id} detail")
    shared = {text: places for text, places in where.items() if len(places) > 1}
    assert shared == {}


def test_every_red_flag_result_says_once_that_other_questions_can_wait(
    recommender: Recommender,
) -> None:
    """Every rule that makes the result an emergency or urgent (which ends the questionnaire
    and shows only its messages) shows the card once; no other rule does."""
    for rule in recommender.rulebase.all_rules():
        then = rule.rule.then
        stopping = then.set.get("urgency") in STOPPING_URGENCIES
        assert ("after_urgent_help" in then.cards) is stopping, rule.id


def sentences(text: str) -> set[str]:
    return set(SENTENCE_END.split(" ".join(text.split())))


def test_a_card_and_its_booking_never_say_the_same_thing(recommender: Recommender) -> None:
    rulebase = recommender.rulebase
    for card_id, card in rulebase.cards.items():
        if card.booking is not None:
            service = rulebase.services[card.booking]
            shared = sentences(card.detail) & sentences(service.description)
            assert shared == set(), card_id


def test_an_exercise_says_each_thing_once(recommender: Recommender) -> None:
    """Each surface shows an exercise's steps and then its caution (the CLI, the PDF and the
    site), so no sentence may be in both."""
    for exercise_id, exercise in recommender.rulebase.exercises.exercises.items():
        steps = set().union(*(sentences(step) for step in exercise.steps))
        assert steps & sentences(exercise.caution or "") == set(), exercise_id
