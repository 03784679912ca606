"""Build the exercise programme from the catalogue data for one person.

Which exercises, doses and schedule come entirely from the catalogue file; this module only
selects by the person's regions and drops exercises whose group a screen rule blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import RuleGapError
from .recommendation import ExerciseProgramme, ProgrammeExercise, SchedulePhase
from .ruleschema import ExerciseCatalogue


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
    chosen = [
        ProgrammeExercise(
            id=exercise_id,
            name=exercise.name,
            area=exercise.area,
            how_to=exercise.how_to,
            dose=exercise.dose,
            caution=exercise.caution,
        )
        for exercise_id, exercise in catalogue.exercises.items()
        if (exercise.core or set(exercise.regions) & set(regions))
        and not set(exercise.groups) & blocked
    ]
    if not chosen:
        raise RuleGapError("an exercise programme was offered but every exercise is excluded")
    commitment = context["exercise_commitment"]
    schedule = []
    for phase in catalogue.schedule:
        if commitment not in phase.session:
            raise RuleGapError(f"an exercise programme was offered for commitment {commitment}")
        schedule.append(
            SchedulePhase(
                phase=phase.phase,
                weeks=phase.weeks,
                frequency=phase.frequency,
                session=phase.session[commitment],
                what=phase.what,
                review=phase.review,
            )
        )
    return ExerciseProgramme(
        regions=regions,
        exercises=chosen,
        side_emphasis=catalogue.side_emphasis[context["side"]],
        schedule=schedule,
        stop_if=list(catalogue.stop_if),
    )
