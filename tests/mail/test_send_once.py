"""Each email reaches the mail server once: a retry after a send the server may have taken does
not send it again (unless its kind is one the clinic resends), and a send that surely did not
reach the server is retried. A real SMTP server on 127.0.0.1 (tests/smtp_sink.py) misbehaves."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.invitations import service as invitations
from screening.mail import dispatch, notifications
from screening.mail.tasks import queue_email, send_email
from screening.models import AuditEvent, EmailDispatch, Invitation
from tests.smtp_sink import SmtpSink
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    server = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 0.5  # seconds: how long a stalled server is waited for
    settings.SCREENING_EMAIL_RETRY_MINUTES = [0, 0]  # retries due at once: the run sees them
    yield server
    server.stop()


def _invite(email="ana@example.org"):
    return invitations.invitation_create(
        actor=None,
        first_name="Ana",
        last_name="Ruiz",
        email=email,
        appointment_at=timezone.now() + timedelta(days=5),
    ).invitation


def test_an_invitation_the_server_took_without_confirming_is_not_sent_again(sink):
    sink.plan["ana@example.org"] = ["stall_after_message"]
    invitation = _invite()
    run_queued_tasks()
    assert len(sink.received("ana@example.org")) == 1  # before: a second copy on the retry
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.UNCONFIRMED
    assert invitation.get_email_state_display() == "Not confirmed: check with the patient"
    # smtplib reports the timeout waiting for the answer as a dropped connection.
    assert invitation.email_error == "SMTPServerDisconnected on attempt 1"
    assert EmailDispatch.objects.get().state == EmailDispatch.State.UNCONFIRMED
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_FAILED)
    assert event.detail.startswith(f"invitation for invitation #{invitation.pk}: not confirmed")
    assert "ana@example.org" not in event.detail


def test_a_message_that_never_reached_the_server_is_retried_and_sent_once(sink):
    sink.plan["ana@example.org"] = ["stall_at_data"]
    invitation = _invite()
    run_queued_tasks()
    assert len(sink.received("ana@example.org")) == 1
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.SENT
    record = EmailDispatch.objects.get()
    assert (record.state, record.attempts) == (EmailDispatch.State.SENT, 2)


def test_a_message_the_server_refused_is_retried(sink):
    sink.plan["ana@example.org"] = ["refuse_message"]
    invitation = _invite()
    run_queued_tasks()
    assert len(sink.received("ana@example.org")) == 1
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.SENT
    assert EmailDispatch.objects.get().attempts == 2


def test_every_email_carries_the_message_id_of_its_record(sink):
    _invite()
    run_queued_tasks()
    (message,) = sink.received("ana@example.org")
    record = EmailDispatch.objects.get()
    assert message["Message-ID"] == record.message_id
    assert record.message_id.endswith("@clinic.example>")  # the sender's domain, not the host's


def test_the_staff_notification_is_resent_when_unconfirmed_with_the_same_message_id(
    sink, settings, make_staff, submit_answers
):
    """At-least-once for staff: a possible duplicate (folded by Message-ID) over a possible loss."""
    provider = make_staff("Provider", level="physician")
    sink.plan[provider.email.lower()] = ["stall_after_message"]
    submit_answers()
    run_queued_tasks()
    copies = sink.received(provider.email.lower())
    assert len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"]
    record = EmailDispatch.objects.get(kind=notifications.NEW_SUBMISSION)
    assert (record.state, record.resent_unconfirmed) == (EmailDispatch.State.SENT, 1)

    settings.SCREENING_EMAIL_RESEND_UNCONFIRMED = []  # the clinic prefers no duplicate
    sink.plan[provider.email.lower()] = ["stall_after_message"]
    submit_answers()
    run_queued_tasks()
    assert len(sink.received(provider.email.lower())) == 3


def test_two_tasks_for_one_email_send_it_once(sink):
    """A task queued again (a worker thought dead) does not repeat a send that succeeded."""
    invitation = _invite()
    record = EmailDispatch.objects.get()
    send_email.enqueue(kind="invitation", object_id=invitation.pk, attempt=2, dispatch=record.pk)
    run_queued_tasks()
    assert len(sink.received("ana@example.org")) == 1
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [
        "not sent: already sent",
        "sent",
    ]


def test_an_attempt_whose_claim_was_taken_over_hands_nothing_over(sink):
    """The first claim's holder was slow, not gone: a second attempt claimed the message since.
    The first one reaches the server's "go ahead" and stops there: the server gets nothing."""
    invitation = _invite()
    record = EmailDispatch.objects.get()
    first = dispatch.claim(record)
    second = dispatch.claim(record)
    assert first.token and second.token and first.token != second.token
    message = notifications.build("invitation", invitation.pk).message
    assert dispatch.send(record, first.token, message) == (dispatch.Outcome.BUSY, "")
    assert sink.received("ana@example.org") == []
    message = notifications.build("invitation", invitation.pk).message
    assert dispatch.send(record, second.token, message) == (dispatch.Outcome.SENT, "")
    assert len(sink.received("ana@example.org")) == 1


def test_a_task_queued_before_send_once_records_existed_gets_one(sink):
    invitation = _invite()
    EmailDispatch.objects.all().delete()
    DBTaskResult.objects.all().delete()
    send_email.enqueue(kind="invitation", object_id=invitation.pk, attempt=1)
    run_queued_tasks()
    assert len(sink.received("ana@example.org")) == 1
    assert EmailDispatch.objects.get().state == EmailDispatch.State.SENT


def test_nothing_to_send_closes_the_record(sink):
    queue_email(kind="invitation", object_id=999_999)
    run_queued_tasks()
    assert EmailDispatch.objects.get().state == EmailDispatch.State.NOTHING
    assert sink.messages == []
