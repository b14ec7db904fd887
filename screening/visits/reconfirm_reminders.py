"""The reminder to re-confirm: an invitation already answered whose answers are due for
re-confirmation (the appointment more than SCREENING_RECONFIRM_DAYS after them) gets one
reminder of its own, at the last of SCREENING_REMINDER_HOURS (24 by default). Its link (the
invitation's) then leads to the re-confirmation, after the date of birth
(screening.patient.check_in). Run with the other reminders by `manage.py send_reminders`; each
queued is audited; the email is the link only (screening.mail.notifications)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from screening.invitations import service as invitations
from screening.mail import notifications, tasks
from screening.models import AuditEvent, Invitation
from screening.records import audit
from screening.visits import reconfirmation


def reconfirm_hour_due(invitation: Invitation, *, now: datetime) -> int | None:
    """The reminder hour at which the answered `invitation` is reminded to re-confirm (the
    last of SCREENING_REMINDER_HOURS) if due at `now` and not yet sent; else None."""
    submission = invitation.submission
    if submission is None or not invitation.email or not settings.SCREENING_REMINDER_HOURS:
        return None
    hours = min(settings.SCREENING_REMINDER_HOURS)
    moment = invitation.appointment_at - timedelta(hours=hours)
    if not (moment <= now < invitation.appointment_at) or hours in invitation.reminders_sent:
        return None
    if not reconfirmation.may_reconfirm(submission, now=now):
        return None
    return hours


def send_reconfirm_reminders(*, now: datetime) -> int:
    """Queue the re-confirmation reminders due at `now`; returns how many were queued."""
    last = min(settings.SCREENING_REMINDER_HOURS, default=0)
    candidates = (
        Invitation.objects.filter(
            submission__isnull=False,
            submission__reconfirmed_at__isnull=True,
            appointment_at__gt=now,
            appointment_at__lte=now + timedelta(hours=last),
        )
        .exclude(email="")
        .select_related("submission")
    )
    queued = 0
    for invitation in candidates:
        hours = reconfirm_hour_due(invitation, now=now)
        if hours is None:
            continue
        with transaction.atomic():
            if not invitations.mark_reminded(invitation=invitation, hours=[hours]):
                continue  # another run took it
            tasks.queue_email(kind=notifications.RECONFIRM_REMINDER, object_id=invitation.pk)
            audit.record(
                action=AuditEvent.Action.REMINDED,
                submission=invitation.submission,
                detail=f"invitation #{invitation.pk}: re-confirm, {hours} h before the appointment",
            )
        queued += 1
    return queued
