"""A task whose worker stopped mid-task is RUNNING for ever; `manage.py recover_tasks` fails it
once it has run longer than the lease, queues its email again and audits it; a database check
tells the clinic when tasks are stuck."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.checks import stale_tasks_check
from screening.invitations import service as invitations
from screening.mail.tasks import recover_stale_tasks
from screening.models import AuditEvent, EmailDispatch, Invitation
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

LEASE = timedelta(minutes=15)


def _invite():
    return invitations.invitation_create(
        actor=None,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=timezone.now() + timedelta(days=5),
    ).invitation


def _running_since(started_at):
    """The queued email as a killed worker leaves it: claimed, RUNNING, never finished."""
    DBTaskResult.objects.update(status="RUNNING", started_at=started_at)
    return DBTaskResult.objects.get()


def test_a_task_running_longer_than_the_lease_is_failed_and_its_email_queued_again(settings):
    settings.SCREENING_EMAIL_RETRY_MINUTES = [1, 5]
    invitation = _invite()
    now = timezone.now()
    stale = _running_since(now - LEASE - timedelta(seconds=1))

    assert recover_stale_tasks(now=now, lease=LEASE) == 1

    stale.refresh_from_db()
    assert stale.status == "FAILED"
    assert stale.exception_class_path == "screening.mail.tasks.WorkerLost"
    again = DBTaskResult.objects.get(status="READY")
    record = EmailDispatch.objects.get()
    assert again.args_kwargs["kwargs"] == {
        "kind": "invitation",
        "object_id": invitation.pk,
        "attempt": 2,
        "dispatch": record.pk,
    }
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.RETRYING
    assert invitation.email_error == "WorkerLost on attempt 1"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_RECOVERED)
    assert (
        event.detail == f"invitation for invitation #{invitation.pk}: worker stopped on attempt 1"
    )
    assert recover_stale_tasks(now=now, lease=LEASE) == 0  # once


def test_a_task_within_its_lease_is_left_to_its_worker():
    _invite()
    now = timezone.now()
    running = _running_since(now - LEASE)  # exactly the lease: not yet past it
    assert recover_stale_tasks(now=now, lease=LEASE) == 0
    running.refresh_from_db()
    assert running.status == "RUNNING"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_RECOVERED).exists()


def test_after_the_last_attempt_a_lost_worker_fails_the_email_visibly(settings):
    settings.SCREENING_EMAIL_RETRY_MINUTES = []
    invitation = _invite()
    now = timezone.now()
    _running_since(now - LEASE - timedelta(minutes=1))
    assert recover_stale_tasks(now=now, lease=LEASE) == 1
    assert not DBTaskResult.objects.filter(status="READY").exists()
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.FAILED
    assert EmailDispatch.objects.get().state == EmailDispatch.State.FAILED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EMAIL_FAILED).count() == 1


def test_a_lost_worker_after_handing_the_message_over_leaves_it_not_confirmed(settings):
    """Killed while waiting for the server's answer: the invitation may have arrived. The next
    attempt does not send it again; staff see "Not confirmed"."""
    settings.SCREENING_EMAIL_RETRY_MINUTES = [0]
    invitation = _invite()
    EmailDispatch.objects.update(state=EmailDispatch.State.HANDED_OVER, claim="gone")
    now = timezone.now()
    _running_since(now - LEASE - timedelta(minutes=1))
    recover_stale_tasks(now=now, lease=LEASE)
    run_queued_tasks()
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.UNCONFIRMED
    assert EmailDispatch.objects.get().state == EmailDispatch.State.UNCONFIRMED


def test_the_command_uses_the_lease_setting(settings):
    settings.SCREENING_TASK_LEASE_MINUTES = 15
    _invite()
    _running_since(timezone.now() - timedelta(minutes=14))
    out = StringIO()
    call_command("recover_tasks", stdout=out)
    assert out.getvalue() == "tasks recovered: 0\n"
    settings.SCREENING_TASK_LEASE_MINUTES = 10
    call_command("recover_tasks", stdout=out)
    assert out.getvalue().endswith("tasks recovered: 1\n")


def test_the_database_check_warns_of_stuck_tasks_and_of_no_worker(settings):
    settings.SCREENING_TASK_LEASE_MINUTES = 15
    assert stale_tasks_check(databases=["default"]) == []
    _invite()
    assert stale_tasks_check(databases=["default"]) == []  # just queued
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=16))
    assert [problem.id for problem in stale_tasks_check(databases=["default"])] == [
        "screening.W102"
    ]
    _running_since(timezone.now() - timedelta(minutes=16))
    assert [problem.id for problem in stale_tasks_check(databases=["default"])] == [
        "screening.W101"
    ]
    assert stale_tasks_check() == []  # `check` without --database reads no table
