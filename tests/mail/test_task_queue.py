"""Email goes through the task queue: never in the request, retried while the mail server is
down, and a failure for good is visible to staff. The mail server is really down: an SMTP
backend pointed at a port where nothing listens."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.invitations import service as invitations
from screening.models import AuditEvent, EmailDispatch, Invitation
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 2


def _invite(email="ana@example.org"):
    return invitations.invitation_create(
        actor=None,
        first_name="Ana",
        last_name="Ruiz",
        email=email,
        appointment_at=timezone.now() + timedelta(days=5),
    ).invitation


def test_a_submission_queues_its_email_and_sends_nothing_in_the_request(make_staff, submit_answers):
    make_staff("Provider", level="physician")
    submission = submit_answers()
    assert mail.outbox == []
    (queued,) = DBTaskResult.objects.all()
    (record,) = EmailDispatch.objects.all()
    assert queued.args_kwargs["kwargs"] == {
        "kind": "new_submission",
        "object_id": submission.pk,
        "attempt": 1,
        "dispatch": record.pk,
    }
    run_queued_tasks()
    assert len(mail.outbox) == 1


def test_a_mail_server_that_is_down_is_retried_later_and_the_email_goes_out(smtp_down, settings):
    settings.SCREENING_EMAIL_RETRY_MINUTES = [5]
    invitation = _invite()
    run_queued_tasks()
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.RETRYING
    assert "ConnectionRefusedError" in invitation.email_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(minutes=4)
    run_queued_tasks()  # not yet due: nothing happens
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # server is back
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # 5 minutes on
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.SENT


def test_after_the_last_retry_the_failure_is_visible_to_staff(smtp_down, settings):
    settings.SCREENING_EMAIL_RETRY_MINUTES = [0, 0]
    invitation = _invite()
    run_queued_tasks()
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]  # two retries queued, then failed
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "EmailNotSent" in failed.traceback
    # The mail error's own text (it can quote the address) is not chained into the stored trace.
    assert "direct cause" not in failed.traceback
    assert "ana@example.org" not in failed.traceback
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.FAILED
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_FAILED)
    assert f"invitation #{invitation.pk}" in event.detail
    assert "ana@example.org" not in event.detail


def test_the_task_table_holds_ids_only_never_an_address_or_a_token():
    created = invitations.invitation_create(
        actor=None,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=timezone.now() + timedelta(days=5),
    )
    token = created.link.rstrip("/").rsplit("/", 1)[1]
    stored = repr(list(DBTaskResult.objects.values()))
    assert token not in stored
    assert "ana@example.org" not in stored
    assert "Ruiz" not in stored


def test_a_clinic_admin_sees_the_mail_queue_and_the_front_desk_the_email_state(
    make_staff, client, smtp_down, settings
):
    settings.SCREENING_EMAIL_RETRY_MINUTES = []
    invitation = _invite()
    run_queued_tasks()
    client.force_login(make_staff("Clinic admin"))
    page = client.get("/staff/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert page.status_code == 200
    assert "Invitation (to a patient)" in page.content.decode()
    assert f"invitation #{invitation.pk}" in page.content.decode()
    assert "Failed for good" in page.content.decode()
    client.force_login(make_staff("Front desk"))
    page = client.get("/staff/screening/invitation/")
    assert "Failed: call the patient" in page.content.decode()
    assert invitation.pk
