"""Reminders of invitations not yet answered, SCREENING_REMINDER_HOURS before the appointment.

`send_due_reminders(now=...)` is run by `manage.py send_reminders` from a scheduler (every 15
minutes or so). A reminder is due from its hour before the appointment until the appointment; an
invitation created after that hour does not get it (it was just invited). When a run was missed
and several are due at once, one email goes and all of them count as done. Each reminder queued
is audited; the email is the link only (screening.mail.notifications).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from screening.invitations import service as invitations
from screening.mail import notifications, tasks
from screening.models import AuditEvent, Invitation
from screening.records import audit


def due_hours(invitation: Invitation, *, now: datetime) -> list[int]:
    """The reminder hours due for `invitation` at `now` and not yet sent (pure)."""
    if invitation.submission_id or not invitation.email or now >= invitation.appointment_at:
        return []
    if invitation.email_state == Invitation.EmailState.SCHEDULED:
        return []  # a re-screen whose invitation has not gone yet (invitations.rescreen)
    due = []
    for hours in settings.SCREENING_REMINDER_HOURS:
        moment = invitation.appointment_at - timedelta(hours=hours)
        if invitation.created_at < moment <= now and hours not in invitation.reminders_sent:
            due.append(hours)
    return due


def send_due_reminders(*, now: datetime) -> int:
    """Queue every reminder due at `now`; returns how many emails were queued."""
    longest = max(settings.SCREENING_REMINDER_HOURS, default=0)
    candidates = (
        Invitation.objects.filter(
            submission__isnull=True,
            appointment_at__gt=now,
            appointment_at__lte=now + timedelta(hours=longest),
        )
        .exclude(email="")
        .select_related("draft")
    )
    queued = 0
    for invitation in candidates:
        if invitations.state(invitation, now=now) == invitations.State.LOCKED:
            continue  # the front desk calls a patient whose answers are locked
        hours = due_hours(invitation, now=now)
        if not hours:
            continue
        with transaction.atomic():
            if not invitations.mark_reminded(invitation=invitation, hours=hours):
                continue  # another run took it
            tasks.queue_email(kind=notifications.REMINDER, object_id=invitation.pk)
            audit.record(
                action=AuditEvent.Action.REMINDED,
                detail=f"invitation #{invitation.pk}: {min(hours)} h before the appointment",
            )
        queued += 1
    return queued
