"""When and what a patient may amend after sending: pure rules, no database.

A patient amends through their own link until the appointment: after it, what they tell the
clinic is told in person (a provider amends, with a reason). Without a booked appointment the
window closes when a provider records a decision: the decision was made on the answers as they
stood, and a patient's change after it would go unseen until someone looks again. An erased or
withdrawn submission is never amended.

Identity and contact (the "About you" step: name, date of birth, email, phone) are not
amended here: they are the submission's identity (its columns, the date-of-birth check of the
link itself) and the front desk corrects them at the desk. The declaration is signed once.
"""

from __future__ import annotations

from datetime import datetime

# The questions that make a submission this person's: a section holding any is not amendable.
IDENTITY_IDS = frozenset({"first_name", "last_name", "date_of_birth", "email", "phone"})


def amendable_sections(definition) -> tuple:
    """The sections of `definition` whose answers may be amended (in questionnaire order)."""
    return tuple(
        section
        for section in definition.sections
        if section.step_questions and not IDENTITY_IDS & set(section.step_question_ids)
    )


def amendable_question_ids(definition) -> frozenset[str]:
    return frozenset(
        qid for section in amendable_sections(definition) for qid in section.step_question_ids
    )


def patient_may_amend(
    *,
    erased: bool,
    withdrawn: bool,
    appointment_at: datetime | None,
    decided: bool,
    now: datetime,
) -> bool:
    """May the patient amend now: open, and before the appointment (or, with none booked,
    before a provider's decision)."""
    if erased or withdrawn:
        return False
    if appointment_at is not None:
        return now < appointment_at
    return not decided


def submission_open_to_patient(submission, *, now: datetime) -> bool:
    """`patient_may_amend` for a stored submission (one query: whether it has a decision)."""
    return patient_may_amend(
        erased=submission.erased_at is not None,
        withdrawn=submission.status == submission.Status.WITHDRAWN,
        appointment_at=submission.appointment_at,
        decided=submission.decisions.exists(),
        now=now,
    )
