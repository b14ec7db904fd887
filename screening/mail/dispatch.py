"""Each email handed to the mail server once: the send-once record (`EmailDispatch`).

A send can end three ways, and only one of them is ambiguous:

- not handed over: the connection, the greeting, the sender or a recipient failed, or the server
  refused the DATA command. Nothing reached the server: trying again cannot make a duplicate.
- handed over and confirmed (250 after the message): sent.
- handed over and not confirmed: the server has the whole message but its answer never came (a
  timeout, a dropped connection, a worker killed while waiting). It may have delivered it.

The record is marked HANDED_OVER, in its own committed write, at the moment the server says "go
ahead" (354) and before a byte of the message leaves, so a worker killed at any point leaves a
record that says which of the three it was. Every attempt first claims the record (a random value
per attempt); only the holder of the claim may hand the message over, so two attempts that
overlap (a worker thought dead that was only slow) cannot both send.

What a retry does with an unconfirmed message depends on its kind, SCREENING_EMAIL_RESEND_UNCONFIRMED:
at-least-once (sent again, with the same Message-ID, which mail clients use to fold copies
together) or at-most-once (not sent again; marked "not confirmed" for staff to check). Why
each kind is what it is: docs/email.md.
"""

from __future__ import annotations

import contextlib
import enum
import secrets
import smtplib
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db.models import F
from django.utils import timezone

from screening.models import EmailDispatch

State = EmailDispatch.State


class Outcome(enum.Enum):
    SENT = "sent"
    NOT_SENT = "not sent"  # nothing reached the server: a retry is safe
    UNCONFIRMED = "unconfirmed"  # the server may have it
    BUSY = "busy"  # another attempt holds the message


class HandOverRefused(Exception):
    """Another attempt claimed the message since this one did: this one must not send it."""


def resends_unconfirmed(kind: str) -> bool:
    """Whether the clinic accepts a possible duplicate of `kind` rather than a possible loss."""
    return kind in settings.SCREENING_EMAIL_RESEND_UNCONFIRMED


def _message_id() -> str:
    # The sender's domain, not the host's name: a Message-ID travels with the email.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def create(*, kind: str, object_id: int) -> EmailDispatch:
    """The record of one email to send; call it in the transaction that queues the email."""
    return EmailDispatch.objects.create(kind=kind, object_id=object_id, message_id=_message_id())


def for_task(*, dispatch_id: int | None, kind: str, object_id: int) -> EmailDispatch:
    """The task's record; a task queued before records existed gets one on its first attempt."""
    if dispatch_id is not None:
        found = EmailDispatch.objects.filter(pk=dispatch_id).first()
        if found is not None:
            return found
    return create(kind=kind, object_id=object_id)


@dataclass(frozen=True)
class Claim:
    """What an attempt got: a claim to send with, or the reason it must not send."""

    token: str = ""
    state: str = ""  # the record's state when there is no claim
    newly_unconfirmed: bool = False  # this attempt found the message unconfirmed and stopped


def claim(record: EmailDispatch) -> Claim:
    """Claim the message for this attempt, or say why not (sent, final, or not confirmed)."""
    token = secrets.token_hex(16)
    now = timezone.now()
    # A SENDING record's holder never handed the message over: taking it over is safe, and the
    # holder, if it still runs, finds its claim gone before it could hand anything over.
    taken = EmailDispatch.objects.filter(
        pk=record.pk, state__in=[State.QUEUED, State.SENDING]
    ).update(state=State.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1)
    if taken:
        return Claim(token=token)
    current = EmailDispatch.objects.get(pk=record.pk)
    if current.state != State.HANDED_OVER:
        return Claim(state=current.state)
    if resends_unconfirmed(current.kind):
        taken = EmailDispatch.objects.filter(
            pk=record.pk, state=State.HANDED_OVER, claim=current.claim
        ).update(
            state=State.SENDING,
            claim=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            resent_unconfirmed=F("resent_unconfirmed") + 1,
        )
        return Claim(token=token) if taken else Claim(state=State.HANDED_OVER)
    stopped = EmailDispatch.objects.filter(
        pk=record.pk, state=State.HANDED_OVER, claim=current.claim
    ).update(state=State.UNCONFIRMED, finished_at=now)
    return Claim(state=State.UNCONFIRMED, newly_unconfirmed=bool(stopped))


def _hand_over(record: EmailDispatch, token: str) -> None:
    handed = EmailDispatch.objects.filter(pk=record.pk, state=State.SENDING, claim=token).update(
        state=State.HANDED_OVER, handed_over_at=timezone.now()
    )
    if not handed:
        raise HandOverRefused


class _Watch:
    """How far one SMTP conversation got: "go ahead" received (handed over), 250 after it."""

    def __init__(self):
        self.handed_over = False
        self.accepted = False


def _watch_smtp(connection: smtplib.SMTP, watch: _Watch, on_hand_over) -> None:
    """Wrap this connection's DATA command: call `on_hand_over` between the server's 354 and
    the message, and note the server's 250 after it."""
    original_data = connection.data
    original_getreply = connection.getreply

    def getreply():
        code, text = original_getreply()
        if not watch.handed_over and code == 354:
            try:
                on_hand_over()
            except HandOverRefused:
                connection.close()  # mid-DATA: drop it, so no QUIT is read as the message
                raise
            watch.handed_over = True
        elif watch.handed_over and code == 250:
            watch.accepted = True
        return code, text

    def data(message):
        connection.getreply = getreply
        try:
            return original_data(message)
        finally:
            del connection.getreply

    connection.data = data


def send(record: EmailDispatch, token: str, message: EmailMessage) -> tuple[Outcome, str]:
    """Send `message` under the claim `token`; (outcome, the error's class name or "")."""
    message.extra_headers["Message-ID"] = record.message_id
    watch = _Watch()
    connection = get_connection()
    opened = False
    try:
        if isinstance(connection, SmtpBackend):
            opened = connection.open()
            _watch_smtp(connection.connection, watch, lambda: _hand_over(record, token))
        else:
            # A backend that is no conversation (console, file, memory): the call is the handing over.
            _hand_over(record, token)
            watch.handed_over = True
        connection.send_messages([message])
        watch.accepted = True
    except HandOverRefused:
        return Outcome.BUSY, ""
    except Exception as error:
        name = type(error).__name__
        if watch.accepted:
            pass  # the server confirmed; the error came after (QUIT)
        elif not watch.handed_over:
            _release(record, token, State.SENDING)
            return Outcome.NOT_SENT, name
        elif isinstance(error, smtplib.SMTPResponseException):
            # The server answered the message with a refusal: it does not have it.
            _release(record, token, State.HANDED_OVER)
            return Outcome.NOT_SENT, name
        else:
            return Outcome.UNCONFIRMED, name
    finally:
        if opened:
            # The outcome is known by now; QUIT is a courtesy that may fail on a dead connection.
            with contextlib.suppress(Exception):
                connection.close()
    EmailDispatch.objects.filter(
        pk=record.pk, claim=token, state__in=[State.HANDED_OVER, State.UNCONFIRMED]
    ).update(state=State.SENT, finished_at=timezone.now())
    return Outcome.SENT, ""


def _release(record: EmailDispatch, token: str, state: str) -> None:
    EmailDispatch.objects.filter(pk=record.pk, claim=token, state=state).update(state=State.QUEUED)


def finish(record: EmailDispatch, state: str) -> None:
    """Close the record for good (nothing to send, failed, not confirmed) unless it was sent."""
    EmailDispatch.objects.filter(pk=record.pk).exclude(state=State.SENT).update(
        state=state, finished_at=timezone.now()
    )
