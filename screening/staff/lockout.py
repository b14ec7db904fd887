"""Staff sign-in lockout (django-axes): what a failed sign-in locks, and who is told.

Failures lock the pair of username and client address (AXES_LOCKOUT_PARAMETERS calls
`lockout_parameters`): five wrong tries from one place lock that username from that place only,
so a stranger's guesses never lock a staff member out at the office, and one person's typos
never lock a colleague out of the same address. Failures for a username from everywhere still
lock that username (a guesser spread over many addresses), except at an address where that
username has signed in before: from there a right password and a right code still get in, and
wrong ones count towards the address's own lock. An address from which failed sign-ins name
STAFF_LOGIN_ADDRESS_USERNAMES (10) different usernames within the cool-off is locked for every
username: one password tried against the whole staff list is guessing, not typing.

A lockout is an audit event, and the staff member and the clinic admins get an email (through
the task queue) naming the username, the address and the time: never a password or a code,
which django-axes does not store either (AXES_SENSITIVE_PARAMETERS).
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from clinic.client_address import client_address
from screening.mail import notifications
from screening.mail.tasks import queue_email
from screening.models import AuditEvent
from screening.records import audit

PAIR = ["username", "ip_address"]


def signed_in_before(*, username: str, address: str) -> bool:
    """Has `username` signed in from `address` before (the audit trail's sign-ins)."""
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGNED_IN, actor__username=username, client_address=address
    ).exists()


def sprays_usernames(address: str) -> bool:
    """Have failed sign-ins from `address` named many usernames within the cool-off?"""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    named = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        .values("username")
        .distinct()
    )
    return named.count() >= settings.STAFF_LOGIN_ADDRESS_USERNAMES


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """django-axes' lockout parameters for this sign-in: the pair of username and address; the
    username alone unless this address is one the username has signed in from; the address
    alone once it has tried many usernames."""
    if not isinstance(request_or_attempt, HttpRequest):
        return [PAIR, ["username"]]
    request = request_or_attempt
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    parameters = [PAIR]
    if not (username and address and signed_in_before(username=str(username), address=address)):
        parameters.append(["username"])
    if address and sprays_usernames(address):
        parameters.append(["ip_address"])
    return parameters


def sign_in_locked(*, username: str, address: str | None, now=None) -> AuditEvent | None:
    """Audit a lockout and tell the staff member and the clinic admins, once per lock (axes
    reports every refused try while it lasts)."""
    now = now or timezone.now()
    username = str(username or "")[:150]
    detail = f"username {username!r} locked for {_minutes()} minutes after failed sign-ins"
    with transaction.atomic():
        recent = AuditEvent.objects.filter(
            action=AuditEvent.Action.SIGN_IN_LOCKED,
            client_address=address,
            detail=detail,
            at__gte=now - settings.AXES_COOLOFF_TIME,
        )
        if recent.exists():
            return None
        account = get_user_model().objects.filter(username=username).first()
        # The actor is whose sign-in was locked (None for a username no account has); the
        # email is built from the event at sending time.
        event = audit.record(
            action=AuditEvent.Action.SIGN_IN_LOCKED,
            actor=account,
            address=address,
            detail=detail,
        )
        queue_email(kind=notifications.SIGN_IN_LOCKED, object_id=event.pk)
    return event


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
