"""What a stage's decision does to a rule base's track: the decision resolved from a summary
of the firings, and the track state after it.

Both depend only on the step, the summary or decision and the track's state before (never
on the rest of a walk's state), so each is computed once per distinct input and looked up
after that: the walk applies the same few hundred decisions to hundreds of thousands of
states.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..contract.constants import CRISIS_CARD
from ._plan import StepPlan
from ._summary import CardKey, Decision, Summary, min_card, resolve
from ._walk_types import Track, TrackState


class Transitions:
    """The memoised decisions and track steps of one walk (see the module docstring)."""

    def __init__(self, plan: StepPlan, tracks: Sequence[Track]) -> None:
        self.plan = plan
        self.tracks = tuple(tracks)
        self.steps = plan.steps
        self._decisions: dict[Any, Decision] = {}
        self._after: dict[Any, TrackState] = {}

    def decide(self, step: int, summary: Summary, context: Mapping[str, Any]) -> Decision:
        """The decision of step `step`'s stage for these firings in this context."""
        t, k = self.steps[step]
        stage = self.tracks[t].stages[k].stage
        decision_key = (step, summary, tuple(context[name] for name in stage.raises))
        decision = self._decisions.get(decision_key)
        if decision is None:
            decision = resolve(
                self.tracks[t].rulebase, stage, k, summary, context, self.plan.unread_sets
            )
            self._decisions[decision_key] = decision
        return decision

    def track_after(self, t: int, step: int, start: TrackState, decision: Decision) -> TrackState:
        """Track `t` after step `step` decided `decision` from `start`."""
        memo_key = (t, step, start, decision)
        found = self._after.get(memo_key)
        if found is not None:
            return found
        k = self.steps[step][1]
        stage = self.tracks[t].stages[k].stage
        derived = dict(start.derived)
        derived.update(decision.derived)
        stopped = any(derived[stop.field] in stop.one_of for stop in stage.stops)
        keep_derived = self.plan.keep_derived(step, t)
        found = self._after[memo_key] = TrackState(
            tuple(sorted((n, v) for n, v in derived.items() if n in keep_derived)),
            self._settle(step, min_card(start.card, decision.card)),
            start.bookings | decision.bookings,
            start.alarm or decision.alarm,
            k if stopped else None,
            k + 1,
        )
        return found

    def _settle(self, index: int, card: CardKey | None) -> CardKey | None:
        """Once no later card can come before it, only whether the first card is the crisis
        card still matters (to the invariants): keep just that, so states merge."""
        if card is None or card.rank < 0:
            return card
        if self.plan.later_rank[index] <= card.rank:
            return card
        crisis = card.card_id == CRISIS_CARD
        return CardKey(-1, 0, 0, 0, 0, CRISIS_CARD if crisis else "")
