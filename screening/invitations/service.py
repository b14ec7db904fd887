"""Invitations: a patient asked to answer before a booked consultation, through a personal link.

Services take the acting user and record their own audit event. The link's token is made here
and never stored (screening.mail.link_tokens); the email that carries it is queued in the same
transaction (screening.mail.tasks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from screening.mail import link_tokens, notifications, tasks
from screening.models import AuditEvent, Invitation, Provider, SavedDraft
from screening.questionnaire.date_display import shifted
from screening.records import audit

PURPOSE = "invitation"


class State:
    """What the front desk sees of an invitation, in the order a patient goes through them."""

    INVITED = "invited, not started"
    STARTED = "started"
    SENT = "sent"
    LOCKED = "locked: wrong dates of birth"
    EXPIRED = "expired"
    ALL = (INVITED, STARTED, SENT, LOCKED, EXPIRED)


def expires_at(invitation: Invitation) -> datetime:
    grace = timedelta(hours=settings.SCREENING_INVITATION_GRACE_HOURS)
    return shifted(invitation.appointment_at, grace)


def is_expired(invitation: Invitation, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(invitation)


def state(invitation: Invitation, *, now: datetime | None = None) -> str:
    if invitation.submission_id:
        return State.SENT
    draft = getattr(invitation, "draft", None) if invitation.pk else None
    if draft is not None and draft.locked_at:
        return State.LOCKED
    if is_expired(invitation, now=now):
        return State.EXPIRED
    if draft is not None or invitation.opened_at:
        return State.STARTED
    return State.INVITED


@dataclass(frozen=True)
class Created:
    invitation: Invitation
    link: str  # shown once (mobile-only patients); never stored, never logged


def invitation_create(
    *,
    actor,
    first_name: str,
    last_name: str,
    appointment_at: datetime,
    email: str = "",
    phone: str = "",
    provider: Provider | None = None,
    language: str = "",
    request=None,
) -> Created:
    """Create an invitation, audit it, and queue the email with the link when there is an address."""
    if not (email or phone):
        raise ValueError("An invitation needs an email address or a mobile number.")
    salt = link_tokens.new_salt()
    token = link_tokens.token_for(purpose=PURPOSE, salt=salt)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            appointment_at=appointment_at,
            provider=provider,
            language=language,
            token_salt=salt,
            token_hash=link_tokens.token_hash(token),
            created_by=actor,
            email_state=Invitation.EmailState.QUEUED if email else Invitation.EmailState.NONE,
        )
        audit.record(
            action=AuditEvent.Action.INVITED,
            request=request,
            actor=actor,
            detail=f"invitation #{invitation.pk} for {appointment_at:%Y-%m-%d %H:%M}",
        )
        if email:
            tasks.queue_email(kind=notifications.INVITATION, object_id=invitation.pk)
    return Created(invitation=invitation, link=notifications.patient_link("i", token))


def invitation_resend(*, actor, invitation: Invitation, request=None) -> None:
    """Queue the invitation email again (after a failure, or a corrected address)."""
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(
            email_state=Invitation.EmailState.QUEUED, email_error=""
        )
        audit.record(
            action=AuditEvent.Action.INVITED,
            request=request,
            actor=actor,
            detail=f"invitation #{invitation.pk}: email queued again",
        )
        tasks.queue_email(kind=notifications.INVITATION, object_id=invitation.pk)


def links_show(*, actor, invitation_ids, request=None) -> list[tuple[Invitation, str]]:
    """The personal links of phone-only invitations, for the front desk to text or read out;
    each showing is audited. Answered invitations are left out (their link no longer works)."""
    shown = []
    with transaction.atomic():
        for invitation in Invitation.objects.filter(
            pk__in=invitation_ids, submission__isnull=True
        ).order_by("appointment_at", "pk"):
            audit.record(
                action=AuditEvent.Action.LINK_SHOWN,
                request=request,
                actor=actor,
                detail=f"invitation #{invitation.pk}: link shown to give by phone",
            )
            shown.append((invitation, notifications.invitation_link(invitation)))
    return shown


class Resent:
    """What "send again" did for one invitation, in words for the front desk."""

    EMAILED = "email queued again to the address on file"
    LINK = "no email address: its link is on the links page, to text or read out"
    ANSWERED = "already answered: nothing sent"
    EXPIRED = "expired (the appointment has passed): nothing sent"
    SCHEDULED = (
        "a return visit's invitation not due yet: its email goes by itself nearer the "
        "appointment; nothing sent now"
    )


def invitation_send_again(*, actor, invitation: Invitation, request=None) -> str:
    """Send an invitation again the way it can go: by email when it has an address; a
    phone-only one's link is to be shown to the front desk (links_show). Returns a Resent."""
    if invitation.submission_id:
        return Resent.ANSWERED
    if is_expired(invitation):
        return Resent.EXPIRED
    if invitation.email_state == Invitation.EmailState.SCHEDULED:
        return Resent.SCHEDULED  # not before its time (invitations.rescreen)
    if invitation.email:
        invitation_resend(actor=actor, invitation=invitation, request=request)
        return Resent.EMAILED
    return Resent.LINK


def invitation_unlock(*, actor, invitation: Invitation, request=None) -> bool:
    """Unlock a draft locked by wrong dates of birth (after the front desk checked who called)."""
    with transaction.atomic():
        unlocked = SavedDraft.objects.filter(invitation=invitation, locked_at__isnull=False).update(
            locked_at=None, birth_date_failures=0
        )
        if unlocked:
            audit.record(
                action=AuditEvent.Action.UNLOCKED,
                request=request,
                actor=actor,
                detail=f"invitation #{invitation.pk}",
            )
    return bool(unlocked)


def find(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None (wrong, guessed or truncated token)."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("submission")
        .filter(token_hash=link_tokens.token_hash(token))
        .first()
    )


def link_opened(*, invitation: Invitation, request) -> None:
    """Audit an opening of the link; remember the first."""
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    audit.record(
        action=AuditEvent.Action.LINK_OPENED,
        request=request,
        submission=invitation.submission,
        detail=f"invitation #{invitation.pk}",
    )


def mark_reminded(*, invitation: Invitation, hours: list[int]) -> bool:
    """Record that the reminders `hours` are done; False if another run did it first."""
    updated = Invitation.objects.filter(
        pk=invitation.pk, reminders_sent=invitation.reminders_sent
    ).update(reminders_sent=sorted({*invitation.reminders_sent, *hours}, reverse=True))
    return bool(updated)


def past_retention(*, now: datetime):
    """Invitations whose contact details are still there though their appointment is older than
    SCREENING_RETENTION_DAYS, or their submission was erased (by an earlier version that left
    the invitation as it was)."""
    days = settings.SCREENING_RETENTION_DAYS
    due = Q(submission__erased_at__isnull=False)
    if days:
        due |= Q(appointment_at__lt=now - timedelta(days=days))
    return Invitation.objects.filter(due).exclude(first_name="", last_name="", email="", phone="")


def invitations_erase(*, invitations_qs, dry_run: bool = False) -> int:
    """Erase the name and contact of `invitations_qs`, keeping the row for the audit trail."""
    ids = list(invitations_qs.values_list("id", flat=True))
    if dry_run or not ids:
        return len(ids)
    with transaction.atomic():
        Invitation.objects.filter(id__in=ids).update(
            first_name="", last_name="", email="", phone=""
        )
        for pk in ids:
            audit.record(
                action=AuditEvent.Action.PURGED,
                detail=f"invitation #{pk}: retention: contact erased",
            )
    return len(ids)
