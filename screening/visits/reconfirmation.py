"""Re-confirmation before the visit: when it is due, the date-of-birth check that opens it, the
front desk opening it on the check-in tablet, and its completion.

The rule (questionnaire.reconfirm.is_due): an appointment more than SCREENING_RECONFIRM_DAYS
after the submission date. The patient re-confirms through the last reminder's link or on the
clinic's tablet; either way the same date-of-birth check (SCREENING_RESUME_MAX_FAILURES tries,
then locked until the front desk opens the tablet for them in person), the same page, and the
same completion: changed answers go through `amend_answers(source=CHECK_IN)` (re-flagged, a
new priority flag back before a provider), `Submission.reconfirmed_at` is set, the confirmed
answers' provenance gets today's `confirmed_on`, and RECONFIRMED is audited by counts only.

Not re-confirmed by the appointment (`Status.MISSED`) is shown on the banner, never a flag
(contract rule 7).
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.models import Amendment, AuditEvent, Reconfirmation, Submission
from screening.questionnaire import reconfirm
from screening.records import audit
from screening.records.birth_date_gate import count_wrong_birth_date
from screening.visits.amendments import amend_answers


class Status:
    """Where a submission stands with re-confirmation."""

    NOT_DUE = "not_due"  # no appointment, or within SCREENING_RECONFIRM_DAYS of the submission
    DUE = "due"  # due and open: the appointment has not come yet
    DONE = "done"
    MISSED = "missed"  # due, and the appointment came without it


def _appointment_day(submission: Submission) -> date | None:
    """The appointment's day in the clinic's zone; None without one, or for a stored value past
    what Python holds once moved to the clinic's zone (no page may fail on it)."""
    if submission.appointment_at is None:
        return None
    try:
        return timezone.localdate(submission.appointment_at)
    except (OverflowError, ValueError):
        return None


def is_due(submission: Submission) -> bool:
    return reconfirm.is_due(
        submission.submitted_on,
        _appointment_day(submission),
        days=settings.SCREENING_RECONFIRM_DAYS,
    )


def status(submission: Submission, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if not is_due(submission):
        return Status.NOT_DUE
    if submission.reconfirmed_at is not None:
        return Status.DONE
    if now >= submission.appointment_at:
        return Status.MISSED
    return Status.DUE


def may_reconfirm(submission: Submission, *, now: datetime | None = None) -> bool:
    """Open for re-confirmation now: due, not done, not erased or withdrawn, and the
    appointment's day within SCREENING_RECONFIRM_DAYS from today and not past."""
    now = now or timezone.now()
    if submission.erased_at is not None or submission.status == Submission.Status.WITHDRAWN:
        return False
    if not is_due(submission) or submission.reconfirmed_at is not None:
        return False
    # Opens once the appointment is within the days itself (a re-confirmation made earlier
    # would be as stale by the visit), and stays open until the appointment's day ends (the
    # tablet's day).
    days_left = (_appointment_day(submission) - timezone.localdate(now)).days
    return 0 <= days_left <= settings.SCREENING_RECONFIRM_DAYS


def record_for(submission: Submission) -> Reconfirmation:
    record, _ = Reconfirmation.objects.get_or_create(submission=submission)
    return record


def is_locked(submission: Submission) -> bool:
    return Reconfirmation.objects.filter(submission=submission, locked_at__isnull=False).exists()


def check_birth_date(submission: Submission, birth_date: date, *, request=None) -> bool:
    """True when `birth_date` is the submission's; else count a failure and lock at
    SCREENING_RESUME_MAX_FAILURES. Failures and the lock are audited, never the date."""
    record = record_for(submission)
    if record.locked_at is not None:
        return False
    if submission.date_of_birth is not None and birth_date == submission.date_of_birth:
        Reconfirmation.objects.filter(pk=record.pk).update(birth_date_failures=0)
        # The answers are shown from here on: a view of the record, by the patient.
        audit.record(
            action=AuditEvent.Action.VIEWED,
            request=request,
            submission=submission,
            detail="re-confirmation: date of birth confirmed, answers shown to the patient",
        )
        return True
    count_wrong_birth_date(
        Reconfirmation.objects.filter(pk=record.pk),
        subject="re-confirmation",
        request=request,
        submission=submission,
    )
    return False


def tries_left(submission: Submission) -> int:
    failures = (
        Reconfirmation.objects.filter(submission=submission)
        .values_list("birth_date_failures", flat=True)
        .first()
    )
    return max(settings.SCREENING_RESUME_MAX_FAILURES - (failures or 0), 0)


def check_in_open(*, actor, submission: Submission, request=None) -> None:
    """The front desk opens the check-in tablet for a patient standing at the desk (audited).
    A lock left by wrong dates of birth on the link is lifted: the front desk has the patient
    in front of them (audited too); the tablet's own tries count again from zero."""
    with transaction.atomic():
        record = record_for(submission)
        audit.record(
            action=AuditEvent.Action.CHECK_IN_OPENED,
            request=request,
            actor=actor,
            submission=submission,
            detail="check-in tablet opened for re-confirmation",
        )
        if record.locked_at is not None or record.birth_date_failures:
            Reconfirmation.objects.filter(pk=record.pk).update(
                locked_at=None, birth_date_failures=0
            )
            if record.locked_at is not None:
                audit.record(
                    action=AuditEvent.Action.UNLOCKED,
                    request=request,
                    actor=actor,
                    submission=submission,
                    detail="re-confirmation: the front desk opened the check-in tablet",
                )


class AlreadyReconfirmed(Exception):
    """A second completion (a replayed POST, two devices): the first stands."""


def reconfirmation_complete(
    *,
    submission: Submission,
    via: str,
    confirmed_items: list[str],
    since_answers: dict,
    changes: dict,
    request=None,
) -> Reconfirmation:
    """Record the patient's re-confirmation. `changes` (question id -> raw answer, None to
    clear) go through `amend_answers(source=CHECK_IN)`, which raises AmendmentInvalid with
    nothing saved; `since_answers` are the since-questions' answers ("yes", "no", "unsure")."""
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
        if locked.reconfirmed_at is not None:
            raise AlreadyReconfirmed
        amendment = (
            amend_answers(
                locked,
                changes,
                source=Amendment.Source.CHECK_IN,
                address=audit.client_address(request) if request is not None else None,
                today=today,
            )
            if changes
            else None
        )
        locked.refresh_from_db()
        changed_ids = sorted(amendment.changes) if amendment is not None else []
        for item_key in confirmed_items:
            for question_id in reconfirm.ITEMS_BY_KEY[item_key].question_ids:
                if question_id in locked.answers and question_id not in changed_ids:
                    entry = locked.provenance.get(question_id) or {
                        "provenance": "answered",
                        "from_submission": locked.reference,
                        "answered_on": locked.submitted_on.isoformat(),
                        "confirmed_on": None,
                    }
                    locked.provenance[question_id] = {**entry, "confirmed_on": today.isoformat()}
        locked.reconfirmed_at = now
        locked.save(update_fields=["reconfirmed_at", "provenance"])
        record = record_for(locked)
        record.completed_at = now
        record.via = via
        record.since_date = locked.submitted_on
        record.since_answers = {
            qid: value for qid, value in since_answers.items() if qid in reconfirm.SINCE_IDS
        }
        record.changed_ids = changed_ids
        record.confirmed_items = list(confirmed_items)
        record.amendment = amendment
        record.save()
        opened = sum(
            1 for value in record.since_answers.values() if value in reconfirm.OPENING_ANSWERS
        )
        audit.record(
            action=AuditEvent.Action.RECONFIRMED,
            request=request,
            submission=locked,
            detail=(
                f"{via}: {len(confirmed_items)} item(s) still true, {len(changed_ids)} "
                f"answer(s) changed, {opened} since-question(s) answered yes or not sure"
            ),
        )
    return record
