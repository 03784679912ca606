"""Build the exercise programme from the catalogue data for one person.

Which exercises, doses and schedule come entirely from the catalogue file; this module only
selects by the person's regions, drops exercises whose group a screen rule blocked, numbers
them in session order and computes the session length from their doses (`session_time`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..contract.errors import RuleGapError
from ..contract.recommendation import ExerciseProgramme, ProgrammeExercise, SchedulePhase
from ..rulebase.schema import ExerciseCatalogue
from ._session_time import exercise_seconds, session_seconds, whole_minutes


def blocked_groups(catalogue: ExerciseCatalogue, context: Mapping[str, Any]) -> set[str]:
    """Exercise groups a screen rule excluded for this person."""
    return {
        group_id
        for group_id, group in catalogue.groups.items()
        if context.get(group.status_field) in catalogue.blocked_statuses
    }


def build_programme(catalogue: ExerciseCatalogue, context: Mapping[str, Any]) -> ExerciseProgramme:
    """The programme for the person's regions, side and commitment."""
    regions = list(context["regions"])
    blocked = blocked_groups(catalogue, context)
    session = catalogue.session
    chosen = [
        (exercise_id, exercise)
        for exercise_id, exercise in catalogue.exercises.items()
        if (exercise.core or set(exercise.regions) & set(regions))
        and not set(exercise.groups) & blocked
    ]
    if not chosen:
        raise RuleGapError("an exercise programme was offered but every exercise is excluded")
    commitment = context["exercise_commitment"]
    if commitment not in session.rounds:
        raise RuleGapError(f"an exercise programme was offered for commitment {commitment}")
    exercises = [
        ProgrammeExercise(
            id=exercise_id,
            number=number,
            name=exercise.name,
            area=exercise.area,
            how_to=exercise.how_to,
            steps=list(exercise.steps),
            dose=exercise.dose,
            caution=exercise.caution,
            seconds=exercise_seconds(exercise.timing, session),
        )
        for number, (exercise_id, exercise) in enumerate(chosen, start=1)
    ]
    rounds = session.rounds[commitment]
    minutes = whole_minutes(session_seconds([e.timing for _, e in chosen], session, rounds))
    schedule = []
    for phase in catalogue.schedule:
        if phase.session is not None and commitment not in phase.session:
            raise RuleGapError(f"an exercise programme was offered for commitment {commitment}")
        schedule.append(
            SchedulePhase(
                phase=phase.phase,
                weeks=phase.weeks,
                first_week=phase.first_week,
                last_week=phase.last_week,
                frequency=phase.frequency,
                every_days=phase.every_days,
                session=None if phase.session is None else phase.session[commitment],
                minutes=minutes if phase.routine else None,
                what=phase.what,
                review=phase.review,
            )
        )
    return ExerciseProgramme(
        regions=regions,
        exercises=exercises,
        side_emphasis=catalogue.side_emphasis[context["side"]],
        side=context["side"],
        session_minutes=minutes,
        rounds=rounds,
        rest_between_sets_seconds=session.rest_between_sets_seconds,
        rest_between_exercises_seconds=session.rest_between_exercises_seconds,
        session_note=session.note,
        schedule=schedule,
        stop_if=list(catalogue.stop_if),
    )
