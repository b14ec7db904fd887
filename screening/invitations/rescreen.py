"""Inviting a returning patient to a re-screen: a series session, or a new consultation.

The invitation names the submission it re-screens from, why the patient comes back and the
clinic's record of its last treatment since then (the patient's pages read them to ask the short
re-screen). Its email goes no earlier than SCREENING_RESCREEN_LEAD_DAYS before the appointment,
so that the "now" answers are fresh and late problems after a session have shown (return-visit
contract, "Timing"): an appointment further away keeps the email scheduled, and
`send_due_rescreen_invitations` (run with the reminders) queues it when the time comes, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.invitations.service import PURPOSE, Created
from screening.mail import link_tokens, notifications, tasks
from screening.models import AuditEvent, Decision, Invitation, Provider, Submission
from screening.questionnaire import carry_over
from screening.records import audit

SERIES_SESSION = Submission.VisitType.SERIES_SESSION
NEW_CONSULTATION = Submission.VisitType.NEW_CONSULTATION
PROCEED_OUTCOMES = (Decision.Outcome.PROCEED, Decision.Outcome.PROCEED_WITH_CONDITIONS)


def lead() -> timedelta:
    return timedelta(days=settings.SCREENING_RESCREEN_LEAD_DAYS)


def email_due_at(appointment_at: datetime) -> datetime:
    """The earliest moment a re-screen's invitation email may go."""
    return appointment_at - lead()


def current_decision(previous: Submission) -> Decision | None:
    return previous.decisions.filter(superseded_by__isnull=True).order_by("-decided_at").first()


def visit_types_for(previous: Submission) -> list[str]:
    """The visit types the front desk may choose: a series session only when the current
    decision on `previous` said "series: next session in about N weeks"."""
    decision = current_decision(previous)
    series = decision is not None and decision.next_session_weeks is not None
    return [SERIES_SESSION, NEW_CONSULTATION] if series else [NEW_CONSULTATION]


def default_treatment_date(previous: Submission) -> date | None:
    """The clinic's last treatment, as the front desk most often knows it: the previous
    appointment's day when a decision to proceed stands on it (editable; none otherwise)."""
    decision = current_decision(previous)
    if decision is None or decision.outcome not in PROCEED_OUTCOMES:
        return None
    if previous.appointment_at is None:
        return None
    return timezone.localdate(previous.appointment_at)


@dataclass(frozen=True)
class Form:
    """Which form a re-screen invitation opens, in the front desk's words."""

    full: bool
    label: str


def form_for(previous: Submission, *, today: date | None = None) -> Form:
    """The short re-screen, or (rule 2: every carried answer outside About you is over
    SCREENING_CARRY_OVER_MONTHS old) the full questionnaire with About you filled in. Judged on
    the day the invitation is made (`today`), and kept for it: staleness only grows."""
    months = settings.SCREENING_CARRY_OVER_MONTHS
    view = carry_over.Previous(
        reference=previous.reference,
        version=previous.questionnaire_version,
        submitted_on=previous.submitted_on,
        answers=previous.answers or {},
        provenance=previous.provenance or {},
    )
    if carry_over.all_stale(view, today=today or timezone.localdate(), months=months):
        return Form(True, f"full questionnaire: the last answers are over {months} months old")
    return Form(False, "short re-screen")


def full_questionnaire(invitation: Invitation) -> bool:
    """Whether a re-screen invitation opens the full questionnaire (judged as of its creation
    day, as its page said); False for a first visit's invitation."""
    previous = invitation.previous_submission
    if previous is None or refusal(previous):
        return False  # an erased one has nothing to fill in: a whole first-visit form
    made = timezone.localdate(invitation.created_at) if invitation.created_at else None
    return form_for(previous, today=made).full


def refusal(previous: Submission) -> str:
    """Why no return-visit invitation may be made from `previous`, whoever asks (the page adds
    the staff member's access, screening.staff.access.can_invite_returning); "" if none."""
    if previous.erased_at is not None:
        return "The previous submission was erased: invite the patient as new."
    if previous.status == Submission.Status.WITHDRAWN:
        return "The previous submission was withdrawn: invite the patient as new."
    return ""


@dataclass(frozen=True)
class RescreenCreated(Created):
    scheduled: bool  # the email waits until SCREENING_RESCREEN_LEAD_DAYS before the appointment


def rescreen_invitation_create(
    *,
    actor,
    previous: Submission,
    visit_type: str,
    appointment_at: datetime,
    treatment_date: date | None = None,
    email: str = "",
    phone: str = "",
    provider: Provider | None = None,
    language: str = "",
    request=None,
    now: datetime | None = None,
) -> RescreenCreated:
    """Invite the patient of `previous` back for a re-screen; audited RESCREEN_INVITED (ids and
    references only). The email is queued now when the appointment is within the lead time,
    else scheduled."""
    if not (email or phone):
        raise ValueError("An invitation needs an email address or a mobile number.")
    if visit_type not in visit_types_for(previous):
        raise ValueError(f"visit type {visit_type!r} is not open for this submission")
    if refusal(previous):
        raise ValueError(refusal(previous))
    now = now or timezone.now()
    scheduled = bool(email) and now < email_due_at(appointment_at)
    if not email:
        state = Invitation.EmailState.NONE
    elif scheduled:
        state = Invitation.EmailState.SCHEDULED
    else:
        state = Invitation.EmailState.QUEUED
    salt = link_tokens.new_salt()
    token = link_tokens.token_for(purpose=PURPOSE, salt=salt)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            first_name=previous.first_name,
            last_name=previous.last_name,
            email=email.strip(),
            phone=phone.strip(),
            appointment_at=appointment_at,
            provider=provider,
            language=language,
            token_salt=salt,
            token_hash=link_tokens.token_hash(token),
            created_by=actor,
            email_state=state,
            previous_submission=previous,
            visit_type=visit_type,
            treatment_date=treatment_date,
        )
        audit.record(
            action=AuditEvent.Action.RESCREEN_INVITED,
            request=request,
            actor=actor,
            submission=previous,
            detail=f"invitation #{invitation.pk} for {appointment_at:%Y-%m-%d %H:%M}"
            + ("; email scheduled" if scheduled else ""),
        )
        if state == Invitation.EmailState.QUEUED:
            tasks.queue_email(kind=notifications.INVITATION, object_id=invitation.pk)
    return RescreenCreated(
        invitation=invitation, link=notifications.patient_link("i", token), scheduled=scheduled
    )


def send_due_rescreen_invitations(*, now: datetime) -> int:
    """Queue the scheduled re-screen invitation emails whose time has come (at most
    SCREENING_RESCREEN_LEAD_DAYS before an appointment still to come); each once, audited.
    Reminder hours already past count as done: the invitation itself has just gone."""
    due = Invitation.objects.filter(
        email_state=Invitation.EmailState.SCHEDULED,
        submission__isnull=True,
        appointment_at__gt=now,
        appointment_at__lte=now + lead(),
    ).exclude(email="")
    queued = 0
    for invitation in due:
        past = [
            hours
            for hours in settings.SCREENING_REMINDER_HOURS
            if invitation.appointment_at - timedelta(hours=hours) <= now
        ]
        with transaction.atomic():
            # The state moves once: a second run (or a concurrent one) finds nothing to move.
            moved = Invitation.objects.filter(
                pk=invitation.pk, email_state=Invitation.EmailState.SCHEDULED
            ).update(
                email_state=Invitation.EmailState.QUEUED,
                reminders_sent=sorted({*invitation.reminders_sent, *past}, reverse=True),
            )
            if not moved:
                continue
            tasks.queue_email(kind=notifications.INVITATION, object_id=invitation.pk)
            audit.record(
                action=AuditEvent.Action.INVITED,
                detail=f"invitation #{invitation.pk}: re-screen email queued "
                f"{settings.SCREENING_RESCREEN_LEAD_DAYS} days before the appointment",
            )
        queued += 1
    return queued
