"""How long one session of the routine takes, computed from the exercises it is made of.

The schedule used to state a session length as text, which drifted from the exercise list
(30 minutes stated, under 10 in the doses). Here the length is the sum of what the person is
asked to do, in order: every repetition of every set, the rests between sets, between
exercises and between rounds. The numbers are data in the catalogue (`timing`, `session`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rulebase.schema import ExerciseTiming, SessionTiming


def exercise_seconds(timing: ExerciseTiming, session: SessionTiming) -> int:
    """One exercise from first repetition to last, with the rests between its sets."""
    moving = timing.sets * timing.reps * timing.seconds_each
    return moving + (timing.sets - 1) * session.rest_between_sets_seconds


def session_seconds(timings: Sequence[ExerciseTiming], session: SessionTiming, rounds: int) -> int:
    """`rounds` times through the exercises in order, resting between exercises and rounds."""
    if not timings:
        return 0
    one_round = sum(exercise_seconds(timing, session) for timing in timings)
    one_round += (len(timings) - 1) * session.rest_between_exercises_seconds
    return rounds * one_round + (rounds - 1) * session.rest_between_rounds_seconds


def whole_minutes(seconds: int) -> int:
    """Minutes rounded up, so a session is never stated as shorter than it is."""
    return max(1, -(-seconds // 60))
