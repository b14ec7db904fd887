"""Re-confirmation's service (visits/reconfirmation.py): due at the boundary, the date-of-birth
check and its lock, completion (amended through check-in, audited by counts), the reminder."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from screening.invitations.service import invitation_create
from screening.mail import notifications
from screening.models import AuditEvent, Invitation, Submission
from screening.visits import reconfirmation
from screening.visits.amendments import AmendmentInvalid
from screening.visits.reconfirm_reminders import reconfirm_hour_due, send_reconfirm_reminders
from tests import factories
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def sent(days_before, appointment_in=timedelta(hours=2), **overrides) -> Submission:
    submission = factories.submission(
        today=timezone.localdate() - timedelta(days=days_before), **overrides
    )
    Submission.objects.filter(pk=submission.pk).update(
        appointment_at=timezone.now() + appointment_in
    )
    submission.refresh_from_db()
    return submission


def at_noon_in(days: int):
    """Noon, `days` days from today in the clinic's time zone (no midnight edge)."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))


@pytest.mark.parametrize(("gap", "due"), [(14, False), (15, True)])
def test_due_only_past_the_days(gap, due):
    submission = factories.submission(today=timezone.localdate())
    submission.appointment_at = at_noon_in(gap)
    assert reconfirmation.is_due(submission) is due


@override_settings(SCREENING_RECONFIRM_DAYS=30)
def test_the_days_are_the_clinics():
    submission = factories.submission(today=timezone.localdate())
    submission.appointment_at = at_noon_in(20)
    assert not reconfirmation.is_due(submission)


def test_status_due_done_missed():
    submission = sent(20)
    assert reconfirmation.status(submission) == reconfirmation.Status.DUE
    later = timezone.now() + timedelta(hours=3)
    assert reconfirmation.status(submission, now=later) == reconfirmation.Status.MISSED
    submission.reconfirmed_at = timezone.now()
    assert reconfirmation.status(submission, now=later) == reconfirmation.Status.DONE


def test_open_until_the_appointments_day_ends_not_after():
    submission = sent(20, appointment_in=timedelta(hours=-1))
    assert reconfirmation.may_reconfirm(submission)  # at the desk, the appointment under way
    tomorrow = timezone.now() + timedelta(days=1)
    assert not reconfirmation.may_reconfirm(submission, now=tomorrow)


def test_opens_only_once_the_appointment_is_within_the_days():
    submission = factories.submission(today=timezone.localdate() - timedelta(days=10))
    submission.appointment_at = at_noon_in(15)  # due: 25 days after the answers
    assert reconfirmation.is_due(submission)
    assert not reconfirmation.may_reconfirm(submission)  # done now, as stale by the visit
    submission.appointment_at = at_noon_in(14)
    assert reconfirmation.may_reconfirm(submission)


def test_withdrawn_or_erased_never_opens():
    submission = sent(20)
    submission.status = Submission.Status.WITHDRAWN
    assert not reconfirmation.may_reconfirm(submission)


@override_settings(SCREENING_RESUME_MAX_FAILURES=3)
def test_the_birth_date_locks_at_the_limit_and_is_never_in_the_trail():
    submission = sent(20)
    wrong = submission.date_of_birth + timedelta(days=1)
    assert not reconfirmation.check_birth_date(submission, wrong)
    assert not reconfirmation.check_birth_date(submission, wrong)
    assert not reconfirmation.is_locked(submission) and reconfirmation.tries_left(submission) == 1
    assert not reconfirmation.check_birth_date(submission, wrong)
    assert reconfirmation.is_locked(submission)
    assert not reconfirmation.check_birth_date(submission, submission.date_of_birth)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED).exists()
    details = AuditEvent.objects.values_list("detail", flat=True)
    assert not any(str(submission.date_of_birth.year) in detail for detail in details)


def test_the_right_birth_date_is_audited_as_the_patient_viewing_their_answers():
    submission = sent(20)
    assert reconfirmation.check_birth_date(submission, submission.date_of_birth)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEWED)
    assert event.submission == submission and event.actor is None
    assert "answers shown to the patient" in event.detail


def test_complete_twice_is_refused():
    submission = sent(20)
    reconfirmation.reconfirmation_complete(
        submission=submission, via="link", confirmed_items=[], since_answers={}, changes={}
    )
    with pytest.raises(reconfirmation.AlreadyReconfirmed):
        reconfirmation.reconfirmation_complete(
            submission=submission, via="link", confirmed_items=[], since_answers={}, changes={}
        )


def test_an_invalid_change_saves_nothing():
    submission = sent(20)
    with pytest.raises(AmendmentInvalid):
        reconfirmation.reconfirmation_complete(
            submission=submission,
            via="tablet",
            confirmed_items=["sun"],
            since_answers={},
            changes={"pregnancy_status": "maybe"},
        )
    submission.refresh_from_db()
    assert submission.reconfirmed_at is None and submission.answers_version == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.RECONFIRMED).exists()


def test_the_audit_holds_counts_not_answers():
    submission = sent(20)
    reconfirmation.reconfirmation_complete(
        submission=submission,
        via="tablet",
        confirmed_items=["sun", "skin_prep"],
        since_answers={"since_last_medicines": "yes", "since_last_treatments": "no"},
        changes={"pregnancy_status": "pregnant"},
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECONFIRMED)
    assert event.detail == (
        "tablet: 2 item(s) still true, 1 answer(s) changed, 1 since-question(s) answered yes "
        "or not sure"
    )
    assert "pregnan" not in event.detail.lower()


def invited_and_sent(days_before, hours_ahead=20):
    submission = sent(days_before, appointment_in=timedelta(hours=hours_ahead))
    desk = factories.staff_user("Front desk", username=f"desk-{submission.pk}")
    invitation = invitation_create(
        actor=desk,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=submission.appointment_at,
    ).invitation
    Invitation.objects.filter(pk=invitation.pk).update(submission=submission)
    invitation.refresh_from_db()
    return invitation


def test_the_last_reminder_asks_a_due_patient_to_re_confirm_once():
    invitation = invited_and_sent(20)
    run_queued_tasks()
    mail.outbox.clear()

    assert send_reconfirm_reminders(now=timezone.now()) == 1
    assert send_reconfirm_reminders(now=timezone.now()) == 0  # once
    run_queued_tasks()

    (message,) = mail.outbox
    assert "check a few answers" in message.subject
    assert notifications.invitation_link(invitation) in message.body
    assert "Ruiz" not in message.body and "pregnan" not in message.body.lower()


def test_no_re_confirmation_reminder_when_not_due_or_before_the_hour():
    not_due = invited_and_sent(10)
    assert reconfirm_hour_due(not_due, now=timezone.now()) is None
    early = invited_and_sent(20, hours_ahead=30)
    assert reconfirm_hour_due(early, now=timezone.now()) is None
