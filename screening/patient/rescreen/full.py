"""The full questionnaire sent to a returning patient when everything is stale (rule 2: every
carried answer outside About you was last answered over SCREENING_CARRY_OVER_MONTHS ago).

The clinic sends it through the same re-screen invitation (screening/invitations/rescreen.py
decides, on the day it is made, and the front desk's page says so). The patient then answers
the first visit's steps of the current version, About you filled in from the previous
submission, after a first step "Since your last visit" holding the re-screen's own questions
that apply (course problems after a treatment here, the result view on a new consultation, the
two "since" questions). The result is linked to the previous submission like a short
re-screen's (previous_submission, visit_type, treatment_date); provenance: About you (and the
date of birth) "confirmed" when kept as it was, "answered" when changed; everything else
"answered".

The first visit's views ask these steps; this module says what differs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from screening.models import Invitation
from screening.questionnaire import Section
from screening.questionnaire import carry_over as co
from screening.questionnaire.visit import VISIT_KEY, Visit
from screening.questionnaire.visit_labels import label_for_visit
from screening.visits import rescreen

SINCE_SECTION_KEY = "since_last"
# Filled in from the previous submission, and "confirmed" when kept: About you and the date of
# birth (asked on the About you step of the full questionnaire; carried unshown on the short one).
PREFILLED_IDS = (*co.ABOUT_YOU.ids, "date_of_birth")


def is_full(draft) -> bool:
    return bool(draft and draft.previous_submission_id and draft.full_questionnaire)


def steps(definition, *, full: bool) -> tuple[Section, ...]:
    """The steps a draft asks: the first visit's; the full questionnaire of a returning patient
    opens with the re-screen's own section."""
    if not full or SINCE_SECTION_KEY not in definition.sections_by_key:
        return definition.first_visit_sections
    return (definition.sections_by_key[SINCE_SECTION_KEY], *definition.first_visit_sections)


def visit_of(draft) -> Visit | None:
    """The visit a full questionnaire is asked and validated with (None: a first visit)."""
    if not is_full(draft) or not draft.invitation_id:
        return None
    invitation = Invitation.objects.select_related("previous_submission").get(
        pk=draft.invitation_id
    )
    return rescreen.visit_for_invitation(invitation)


def context(visit: Visit | None) -> dict:
    """What a step form needs to show the re-screen's questions: the visit."""
    return {VISIT_KEY: visit} if visit is not None else {}


def worded(section: Section, visit: Visit | None) -> tuple:
    """The section's questions in this visit's words ("Since your treatment here on March 3")."""
    if visit is None:
        return section.step_questions
    return tuple(
        replace(question, label=label_for_visit(question, visit))
        if question.show_if is not None and label_for_visit(question, visit) != str(question.label)
        else question
        for question in section.step_questions
    )


def seed(previous) -> dict:
    """A full questionnaire's draft before the patient answers: About you and the date of
    birth from the previous submission (shown filled in on their step)."""
    answers = previous.answers or {}
    return {qid: answers[qid] for qid in PREFILLED_IDS if qid in answers}


def provenance(previous, answers: dict, *, today: date) -> dict:
    """Each answer's provenance: About you kept as it was is confirmed (from where it was last
    answered), the rest answered today (the new submission names itself when saved)."""
    view = rescreen.previous_for(previous)
    carried = {qid: view.answers[qid] for qid in PREFILLED_IDS if qid in view.answers}
    plan = co.Plan(outcomes=dict.fromkeys(carried, co.Outcome.CARD), carried=carried)
    _answers, recorded = co.record(view, plan, today=today, answered=answers, confirmed=())
    return recorded


def linked(draft, answers: dict, *, today: date) -> dict:
    """What `submission_create` is given besides the answers to link a full questionnaire to
    the previous submission (nothing for a first visit)."""
    if not is_full(draft) or not draft.invitation_id:
        return {}
    invitation = Invitation.objects.select_related("previous_submission").get(
        pk=draft.invitation_id
    )
    previous = invitation.previous_submission
    return {
        "previous_submission": previous,
        "visit_type": rescreen.visit_type_of(invitation),
        "treatment_date": invitation.treatment_date,
        "provenance": provenance(previous, answers, today=today),
    }
