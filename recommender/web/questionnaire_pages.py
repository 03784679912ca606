"""The questionnaire, one part per page, and the "check your answers" page.

Post/Redirect/Get: every POST saves what it accepted (see `progress`) and redirects to a
GET, so the browser's Back and Reload never resend a form, and every part can be opened
again from its Back or Change link. Which part comes next is whatever the library's
`next_question` says; a red flag ends the questionnaire at once, even with other questions
on the page unanswered.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from recommender import AnswersError
from recommender.intake.questions import length_words, usual_count

from . import progress
from .forms import SHOWN, FormData, chosen_values, field_errors, read_block
from .layout import Block
from .progress import Draft
from .review import answer_rows, previous_block
from .shared import site
from .stops import early_stop, missing_in, stops_with_valid_answers, valid_only

SEE_OTHER = 303


def part_url(block: Block) -> str:
    return url_for(".show_block", block_id=block.id)


def go(url: str) -> Response:
    """Redirect after a POST with 303, so the browser fetches the next page with GET."""
    return redirect(url, code=SEE_OTHER)


def render_block(block: Block, answers: dict[str, Any], draft: Draft) -> str:
    """One part of the questions, pre-filled with its answers, with any problems shown."""
    shown = answers | draft.values
    back = previous_block(site().layout, block, answers)
    return render_template(
        "facesym/questionnaire.html",
        block=block,
        blocks=site().layout.blocks,
        answers=shown,
        chosen=chosen_values(shown),
        errors=draft.beside,
        general=draft.general,
        shown_name=SHOWN,
        back_url=part_url(back) if back else None,
        length=length_words(usual_count(site().recommender.questions())) if not answers else None,
    )


def start() -> str:
    """The first part, at the site's own address."""
    first = site().layout.first
    return render_block(first, progress.answers(), progress.take_draft(first.id))


def show_block(block_id: str) -> Response | str:
    block = site().layout.block(block_id)
    if block is None:
        return go(part_url(site().layout.first))
    return render_block(block, progress.answers(), progress.take_draft(block.id))


def start_again() -> Response:
    """Forget every answer, then show the first part."""
    progress.forget()
    return go(part_url(site().layout.first))


def submit_block() -> Response:
    layout = site().layout
    block = layout.block(request.form.get("block", ""))
    if block is None:
        restart = ["Please start the questions again."]
        progress.keep_draft(Draft(layout.first.id, general=restart))
        return go(part_url(layout.first))
    submission = read_block(FormData.of(request.form), block, progress.answers())
    answers = submission.answers
    given = {name: answers[name] for name in block.fields if name in answers}
    try:
        following = site().recommender.next_question(answers)
    except AnswersError as error:
        problems = list(error.problems)
        valid = valid_only(answers, problems)
        progress.save(valid)
        if stops_with_valid_answers(answers, problems) is not None:
            return go(url_for(".show_result"))
        # Also ask for the answers left blank on this page, so that one pass shows every problem.
        problems += [p for p in missing_in(valid) if p.field in submission.shown]
        beside, elsewhere = field_errors(problems, layout, block.fields, answers)
        progress.keep_draft(Draft(block.id, given, beside, elsewhere))
        return go(part_url(block))
    progress.save(answers)
    if following is None:
        done = ".show_result" if early_stop(answers) is not None else ".check_answers"
        return go(url_for(done))
    target = layout.block(following.block) or block
    if target.number > block.number:
        return go(part_url(target))
    # Something on this page (or an earlier one) is still to be answered: either left blank,
    # or a question that applies only now (a follow-up to an answer on this page).
    asked = submission.shown if target is block else frozenset(target.fields)
    blank = [p for p in missing_in(answers) if p.field in asked]
    beside, elsewhere = field_errors(blank, layout, target.fields, answers)
    progress.keep_draft(Draft(target.id, beside=beside, general=elsewhere))
    return go(part_url(target))


def unfinished(answers: dict[str, Any]) -> Response | None:
    """Where to send someone whose answers are not complete yet: the part still to answer."""
    following = site().recommender.next_question(answers)
    if following is None:
        return None
    block = site().layout.block(following.block) or site().layout.first
    return go(part_url(block))


def check_answers() -> Response | str:
    """Every answer in the question's own words, each with a Change link to its part."""
    answers = progress.answers()
    elsewhere = unfinished(answers)
    if elsewhere is not None:
        return elsewhere
    if early_stop(answers) is not None:
        return go(url_for(".show_result"))
    rows = answer_rows(site().layout, answers)
    last = rows[-1].block if rows else site().layout.first
    # Where records are kept, the person is asked about keeping the answers first.
    onward = ".show_consent" if site().records is not None else ".show_result"
    return render_template(
        "facesym/check.html",
        rows=rows,
        back_url=part_url(last),
        part_url=part_url,
        next_url=url_for(onward),
    )
