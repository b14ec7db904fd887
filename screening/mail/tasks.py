"""Work done outside the patient's and provider's requests: sending email, with retries.

Tasks go through Django's Tasks framework (the django-tasks backport) into the database
(django-tasks-db), in the same transaction as the change that causes them, and run in
`manage.py db_worker`. Arguments are a kind and an id, never an address, a token or an answer:
the task table holds no health data. A failed send is queued again after
SCREENING_EMAIL_RETRY_MINUTES[n]; after the last, the task fails (Tasks Database Backend in the
admin), the invitation shows "Failed: call the patient", and an audit event records it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from screening.mail import notifications
from screening.models import AuditEvent, Invitation
from screening.records import audit

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The last retry of an email failed; the cause is chained."""


def queue_email(*, kind: str, object_id: int) -> None:
    """Queue one email; call it inside the transaction that makes it necessary."""
    if kind not in notifications.KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    send_email.enqueue(kind=kind, object_id=object_id, attempt=1)


def _set_state(invitation: Invitation | None, state: str, error: str = "") -> None:
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(email_state=state, email_error=error)


@task()
def send_email(*, kind: str, object_id: int, attempt: int = 1) -> str:
    """Send one email; on failure queue the next attempt, or fail for good after the last."""
    outgoing = notifications.build(kind, object_id)
    if outgoing is None:
        return "nothing to send"
    try:
        outgoing.message.send()
    except Exception as error:
        # The class only: an SMTP error's text can quote the recipient's address.
        reason = f"{type(error).__name__} on attempt {attempt}"
        delays = settings.SCREENING_EMAIL_RETRY_MINUTES
        if attempt <= len(delays):
            logger.warning("Email %s #%s not sent (%s); retrying", kind, object_id, reason)
            _set_state(outgoing.invitation, Invitation.EmailState.RETRYING, reason)
            send_email.using(
                run_after=timezone.now() + timedelta(minutes=delays[attempt - 1])
            ).enqueue(kind=kind, object_id=object_id, attempt=attempt + 1)
            return "retry queued"
        logger.error("Email %s #%s not sent after %s attempts", kind, object_id, attempt)
        _set_state(outgoing.invitation, Invitation.EmailState.FAILED, reason)
        audit.record(
            action=AuditEvent.Action.EMAIL_FAILED,
            submission=outgoing.submission,
            detail=f"{kind} for {_subject(outgoing, object_id)}: {reason}",
        )
        # Not `from error`: the task table keeps the formatted traceback, and a chained SMTP
        # error quotes the recipient's address (SMTPRecipientsRefused). The class name is in
        # `reason`; the frames stay.
        raise EmailNotSent(reason) from None
    _set_state(outgoing.invitation, Invitation.EmailState.SENT)
    return "sent"


def _subject(outgoing, object_id: int) -> str:
    if outgoing.account is not None:
        return f"account {outgoing.account.get_username()}"
    if outgoing.invitation is not None:
        return f"invitation #{object_id}"
    if outgoing.submission is not None:
        return f"submission {outgoing.submission.reference}"
    return f"saved draft #{object_id}"
