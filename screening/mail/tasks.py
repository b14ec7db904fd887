"""Work done outside the patient's and provider's requests: sending email, with retries.

Tasks go through Django's Tasks framework (the django-tasks backport) into the database
(django-tasks-db), in the same transaction as the change that causes them, and run in
`manage.py db_worker`. Arguments are a kind and ids, never an address, a token or an answer:
the task table holds no health data. A failed send is queued again after
SCREENING_EMAIL_RETRY_MINUTES[n]; after the last, the task fails (Tasks Database Backend in the
admin), the invitation shows "Failed: call the patient", and an audit event records it.

Each email has a send-once record (screening.mail.dispatch) made when it is queued: retries and
recoveries work on it, so a message the mail server may already have is not sent again unless
the clinic chose that for its kind. A worker killed mid-task leaves its task RUNNING for ever;
`manage.py recover_tasks`, run by a scheduler, fails such tasks once they have run longer than
SCREENING_TASK_LEASE_MINUTES and queues their email again (audited).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from screening.mail import dispatch as send_once
from screening.mail import notifications
from screening.models import AuditEvent, EmailDispatch, Invitation, Submission
from screening.records import audit

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The last retry of an email failed; the cause is chained."""


class EmailUnconfirmed(Exception):
    """The mail server may have the email but never confirmed it; it is not sent again."""


class WorkerLost(Exception):
    """The worker running the task stopped (killed, crashed, restarted) before it finished."""


def queue_email(*, kind: str, object_id: int) -> None:
    """Queue one email; call it inside the transaction that makes it necessary."""
    if kind not in notifications.KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    record = send_once.create(kind=kind, object_id=object_id)
    send_email.enqueue(kind=kind, object_id=object_id, attempt=1, dispatch=record.pk)


def _set_state(kind: str, object_id: int, state: str, error: str = "") -> None:
    if kind in (notifications.INVITATION, notifications.REMINDER, notifications.RECONFIRM_REMINDER):
        Invitation.objects.filter(pk=object_id).update(email_state=state, email_error=error)


def _subject(kind: str, object_id: int) -> str:
    """What an email was about, for logs and the audit trail: ids and references only."""
    if kind in (notifications.INVITATION, notifications.REMINDER, notifications.RECONFIRM_REMINDER):
        return f"invitation #{object_id}"
    if kind in (notifications.NEW_SUBMISSION, notifications.RECEIPT):
        reference = Submission.objects.filter(pk=object_id).values_list("reference", flat=True)
        return f"submission {reference[0]}" if reference else f"submission #{object_id}"
    if kind == notifications.ANSWERS_CHANGED:
        reference = Submission.objects.filter(amendments__pk=object_id).values_list(
            "reference", flat=True
        )
        return f"submission {reference[0]}" if reference else f"amendment #{object_id}"
    if kind == notifications.PASSWORD_LINK:  # a staff member's username: not a patient's data
        username = get_user_model().objects.filter(pk=object_id).values_list("username", flat=True)
        return f"account {username[0]}" if username else f"account #{object_id}"
    return f"saved draft #{object_id}"


def _audit_submission(kind: str, object_id: int) -> Submission | None:
    if kind in (notifications.NEW_SUBMISSION, notifications.RECEIPT):
        return Submission.objects.filter(pk=object_id).first()
    if kind == notifications.ANSWERS_CHANGED:
        return Submission.objects.filter(amendments__pk=object_id).first()
    return None


def _retry_or_give_up(
    *,
    kind: str,
    object_id: int,
    attempt: int,
    record: EmailDispatch,
    reason: str,
    unconfirmed: bool,
) -> Exception | None:
    """Queue the next attempt after its delay (None); after the last, fail visibly and return
    the exception that fails the task."""
    delays = settings.SCREENING_EMAIL_RETRY_MINUTES
    if attempt <= len(delays):
        logger.warning("Email %s #%s not sent (%s); retrying", kind, object_id, reason)
        _set_state(kind, object_id, Invitation.EmailState.RETRYING, reason)
        send_email.using(run_after=timezone.now() + timedelta(minutes=delays[attempt - 1])).enqueue(
            kind=kind, object_id=object_id, attempt=attempt + 1, dispatch=record.pk
        )
        return None
    logger.error("Email %s #%s not sent after %s attempts", kind, object_id, attempt)
    if unconfirmed:
        return _unconfirmed(kind=kind, object_id=object_id, record=record, reason=reason)
    send_once.finish(record, EmailDispatch.State.FAILED)
    _set_state(kind, object_id, Invitation.EmailState.FAILED, reason)
    audit.record(
        action=AuditEvent.Action.EMAIL_FAILED,
        submission=_audit_submission(kind, object_id),
        detail=f"{kind} for {_subject(kind, object_id)}: {reason}",
    )
    # Not chained to the mail error: the task table keeps the formatted traceback, and an SMTP
    # error quotes the recipient's address (SMTPRecipientsRefused). The class name is in
    # `reason`; the frames stay.
    return EmailNotSent(reason)


def _unconfirmed(*, kind: str, object_id: int, record: EmailDispatch, reason: str) -> Exception:
    """The mail server may have the message: record it, tell staff, and send nothing more."""
    send_once.finish(record, EmailDispatch.State.UNCONFIRMED)
    logger.error("Email %s #%s not confirmed by the mail server; not sent again", kind, object_id)
    _set_state(kind, object_id, Invitation.EmailState.UNCONFIRMED, reason)
    audit.record(
        action=AuditEvent.Action.EMAIL_FAILED,
        submission=_audit_submission(kind, object_id),
        detail=f"{kind} for {_subject(kind, object_id)}: not confirmed ({reason}), not sent again",
    )
    return EmailUnconfirmed(reason)


@task()
def send_email(*, kind: str, object_id: int, attempt: int = 1, dispatch: int | None = None) -> str:
    """Send one email once; on failure queue the next attempt, or fail for good after the last."""
    record = send_once.for_task(dispatch_id=dispatch, kind=kind, object_id=object_id)
    claim = send_once.claim(record)
    if not claim.token:
        if claim.newly_unconfirmed:
            raise _unconfirmed(
                kind=kind,
                object_id=object_id,
                record=record,
                reason="no answer to an earlier attempt",
            )
        return f"not sent: already {claim.state}"
    outgoing = notifications.build(kind, object_id)
    if outgoing is None:
        send_once.finish(record, EmailDispatch.State.NOTHING)
        return "nothing to send"
    outcome, error = send_once.send(record, claim.token, outgoing.message)
    if outcome is send_once.Outcome.SENT:
        _set_state(kind, object_id, Invitation.EmailState.SENT)
        return "sent"
    if outcome is send_once.Outcome.BUSY:
        return "not sent: another attempt holds it"
    # The class only: an SMTP error's text can quote the recipient's address.
    reason = f"{error} on attempt {attempt}"
    if outcome is send_once.Outcome.UNCONFIRMED and not send_once.resends_unconfirmed(kind):
        raise _unconfirmed(kind=kind, object_id=object_id, record=record, reason=reason)
    failure = _retry_or_give_up(
        kind=kind,
        object_id=object_id,
        attempt=attempt,
        record=record,
        reason=reason,
        unconfirmed=outcome is send_once.Outcome.UNCONFIRMED,
    )
    if failure is not None:
        raise failure
    return "retry queued"


# --- Tasks whose worker stopped -------------------------------------------------------------------

LOST_TRACEBACK = (
    "The worker running this task stopped (killed, crashed or restarted) before it finished; "
    "recovered by manage.py recover_tasks.\n"
)


def stale_tasks(*, now: datetime, lease: timedelta):
    """Tasks RUNNING for longer than `lease`: no send takes that long, so their worker is gone."""
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - lease)


def recover_stale_tasks(*, now: datetime, lease: timedelta) -> int:
    """Fail each task whose worker stopped and queue its email again (or fail the email for good
    after its last attempt); each audited. Returns how many tasks were recovered."""
    recovered = 0
    for stale in stale_tasks(now=now, lease=lease).order_by("started_at"):
        with transaction.atomic():
            # Only if still as found: a worker that was slow, not gone, may finish it meanwhile.
            taken = DBTaskResult.objects.filter(
                pk=stale.pk, status="RUNNING", started_at=stale.started_at
            ).update(
                status="FAILED",
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=LOST_TRACEBACK,
            )
            if taken:
                recovered += 1
                _requeue(stale)
    return recovered


def _requeue(stale: DBTaskResult) -> None:
    kwargs = stale.args_kwargs.get("kwargs", {})
    if stale.task_path != send_email.module_path:
        audit.record(
            action=AuditEvent.Action.EMAIL_RECOVERED,
            detail=f"task {stale.task_path.rsplit('.', 1)[-1]}: worker stopped; failed",
        )
        return
    kind, object_id, attempt = kwargs["kind"], kwargs["object_id"], kwargs.get("attempt", 1)
    record = send_once.for_task(dispatch_id=kwargs.get("dispatch"), kind=kind, object_id=object_id)
    audit.record(
        action=AuditEvent.Action.EMAIL_RECOVERED,
        submission=_audit_submission(kind, object_id),
        detail=f"{kind} for {_subject(kind, object_id)}: worker stopped on attempt {attempt}",
    )
    reason = f"WorkerLost on attempt {attempt}"
    delays = settings.SCREENING_EMAIL_RETRY_MINUTES
    if attempt <= len(delays):
        # At once: the delay since the worker stopped has been waited already.
        _set_state(kind, object_id, Invitation.EmailState.RETRYING, reason)
        send_email.enqueue(kind=kind, object_id=object_id, attempt=attempt + 1, dispatch=record.pk)
        return
    handed_over = EmailDispatch.objects.filter(
        pk=record.pk, state=EmailDispatch.State.HANDED_OVER
    ).exists()
    _retry_or_give_up(
        kind=kind,
        object_id=object_id,
        attempt=attempt,
        record=record,
        reason=reason,
        unconfirmed=handed_over,
    )
