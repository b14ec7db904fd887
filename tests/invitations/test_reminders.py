"""Reminders at SCREENING_REMINDER_HOURS before the appointment, for invitations not yet sent:
time travel by passing `now`, the link only in the email, each one audited once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from screening.invitations.reminders import send_due_reminders
from screening.models import AuditEvent, Invitation, SavedDraft, Submission
from tests.invited import invite
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(settings):
    """An invitation made 10 days before its appointment; its email already sent."""
    settings.SCREENING_REMINDER_HOURS = [72, 24]
    link = invite(days_ahead=10)
    run_queued_tasks()
    mail.outbox.clear()
    invitation = Invitation.objects.get()
    return invitation, link


def _reminders_at(moment):
    count = send_due_reminders(now=moment)
    run_queued_tasks()
    return count


def test_reminders_go_at_72_and_24_hours_before_and_once_each(invited):
    invitation, link = invited
    appointment = invitation.appointment_at
    assert _reminders_at(appointment - timedelta(hours=72, seconds=1)) == 0  # the boundary
    assert _reminders_at(appointment - timedelta(hours=72)) == 1
    assert _reminders_at(appointment - timedelta(hours=71)) == 0  # not twice
    assert _reminders_at(appointment - timedelta(hours=24, seconds=1)) == 0
    assert _reminders_at(appointment - timedelta(hours=24)) == 1
    assert _reminders_at(appointment - timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    assert Invitation.objects.get().reminders_sent == [72, 24]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REMINDED).count() == 2
    for message in mail.outbox:
        assert message.to == ["ana@example.org"]
        assert link in message.body


def test_a_reminder_holds_the_link_only_never_a_name_or_an_answer(invited, client):
    invitation, link = invited
    client.get(link)
    SavedDraft.objects.update(answers={"first_name": "Ana", "goals_text": "SECRET-GOAL"})
    _reminders_at(invitation.appointment_at - timedelta(hours=24))
    (message,) = mail.outbox
    for never in ("Ana", "Ruiz", "SECRET-GOAL"):
        assert never not in message.body and never not in message.subject


def test_missed_runs_send_one_reminder_not_a_burst(invited):
    invitation, _ = invited
    assert _reminders_at(invitation.appointment_at - timedelta(hours=20)) == 1
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().reminders_sent == [72, 24]


def test_no_reminder_once_sent_or_past_or_invited_after_the_reminder_time(invited, settings):
    invitation, _ = invited
    submission = Submission.objects.create(
        draft_key="00000000-0000-0000-0000-000000000001",
        submitted_on=timezone.localdate(),
        questionnaire_version="x",
        rules_version="x",
        answers={},
        first_name="",
        last_name="",
        email="",
        phone="",
    )
    Invitation.objects.update(submission=submission)
    assert _reminders_at(invitation.appointment_at - timedelta(hours=24)) == 0
    Invitation.objects.update(submission=None)
    assert _reminders_at(invitation.appointment_at + timedelta(minutes=1)) == 0
    late = Invitation.objects.create(
        first_name="B",
        last_name="C",
        email="b@example.org",
        appointment_at=timezone.now() + timedelta(hours=30),
        token_salt="s",
        token_hash="h",
    )
    assert send_due_reminders(now=late.appointment_at - timedelta(hours=24)) == 1  # only 24 h
    assert Invitation.objects.get(pk=late.pk).reminders_sent == [24]


def test_the_command_queues_what_is_due_now(invited):
    assert invited
    Invitation.objects.update(appointment_at=timezone.now() + timedelta(hours=23))
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=5))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminders queued: 1" in out.getvalue()
