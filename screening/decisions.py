"""Provider actions on a submission: status, flag acknowledgement, candidacy decisions.

Writes go through these functions (views and admin actions alike), each atomic and audited. The
flag rules never call them: only a provider records a decision.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import audit
from . import flags as flag_rules
from .access import can_decide, provider_of
from .models import AuditEvent, Decision, Flag, Submission


class DecisionRefused(Exception):
    """The decision cannot be recorded yet; the message says why (for the provider)."""


def submission_set_status(*, submission: Submission, status: str, request) -> None:
    if submission.status == status:
        return
    with transaction.atomic():
        previous = submission.status
        submission.status = status
        submission.reviewed = status != Submission.Status.SUBMITTED
        submission.save(update_fields=["status", "reviewed"])
        audit.record(
            action=AuditEvent.Action.CHANGED,
            request=request,
            submission=submission,
            detail=f"status {previous} -> {status}",
        )


def unacknowledged_priority_flags(submission: Submission):
    return submission.flags.filter(severity=Flag.Severity.PRIORITY, acknowledged_at__isnull=True)


def flags_acknowledge(*, submission: Submission, flags, request) -> None:
    """Record that the requesting provider has read these flags (who and when)."""
    if not can_decide(request.user):
        raise DecisionRefused("Only a provider can acknowledge flags.")
    now = timezone.now()
    with transaction.atomic():
        for flag in flags:
            if flag.submission_id != submission.pk or flag.acknowledged_at is not None:
                continue
            flag.acknowledged_by = request.user
            flag.acknowledged_at = now
            flag.save(update_fields=["acknowledged_by", "acknowledged_at"])
            audit.record(
                action=AuditEvent.Action.ACKNOWLEDGED,
                request=request,
                submission=submission,
                detail=flag.code,
            )


def modality_flag_preview(*, submission: Submission, modality: str):
    """The flags a modality would raise (flags.md 2.8), to show before the decision is saved."""
    return flag_rules.modality_flags_for(
        submission.answers,
        modality,
        submission.submitted_on,
        questionnaire_version=submission.questionnaire_version,
    )


def decision_record(
    *, submission: Submission, outcome: str, modality: str, notes: str, request
) -> Decision:
    """Save a new decision (superseding the current one), with its modality-dependent flags.

    Refused unless the user is an active provider and every priority flag is acknowledged.
    """
    provider = provider_of(request.user)
    if provider is None or not can_decide(request.user):
        raise DecisionRefused("Only a provider can record a decision.")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if unacknowledged_priority_flags(locked).exists():
            raise DecisionRefused("Acknowledge every priority flag before recording a decision.")
        current = locked.decisions.order_by("-decided_at", "-id").first()
        decision = Decision.objects.create(
            submission=locked,
            provider=provider,
            outcome=outcome,
            modality=modality,
            notes=notes,
            supersedes=current,
        )
        Flag.objects.bulk_create(
            Flag.from_raised(
                flag,
                submission=locked,
                decision=decision,
                raised_by=Flag.RaisedBy.PROVIDER_INPUT,
            )
            for flag in modality_flag_preview(submission=locked, modality=modality)
        )
        locked.status = Submission.Status.DECIDED
        locked.reviewed = True
        locked.save(update_fields=["status", "reviewed"])
        audit.record(
            action=AuditEvent.Action.DECIDED,
            request=request,
            submission=locked,
            detail=f"{outcome}; modality {modality}",
        )
    return decision
