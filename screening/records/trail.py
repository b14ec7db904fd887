"""A patient's trail for the privacy officer: every event of their submissions and invitations,
found by name and date of birth, in one list.

Submissions carry the date of birth; an invitation not yet answered has it only in the draft the
patient started (if any), so an open invitation matches by name when its draft's date agrees or
when there is no draft yet (the list says which). Invitation events name their invitation in the
detail ("invitation #12..."), submission events point at the submission.

The search is itself an audit event: what it found (references and invitation numbers), never
the name or date typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from screening.models import AuditEvent, Invitation, Submission
from screening.records import audit

BIRTH_DATE_ID = "date_of_birth"
MAX_EVENTS = 1000


@dataclass(frozen=True)
class Trail:
    submissions: list
    invitations: list  # (invitation, how it matched)
    events: list
    truncated: bool


def _invitation_events(invitation_ids) -> Q:
    query = Q(pk__in=[])
    for pk in invitation_ids:
        name = f"invitation #{pk}"
        query |= (
            Q(detail=name) | Q(detail__startswith=f"{name}:") | Q(detail__startswith=f"{name} ")
        )
    return query


def patient_trail(
    *, actor, last_name: str, date_of_birth: date, first_name: str = "", address=None
) -> Trail:
    """The events of the patient named `first_name` (optional) `last_name`, born
    `date_of_birth`, oldest first; the search is audited."""
    last_name, first_name = last_name.strip(), first_name.strip()
    names = Q(last_name__iexact=last_name)
    if first_name:
        names &= Q(first_name__iexact=first_name)
    submissions = list(
        Submission.objects.filter(names, date_of_birth=date_of_birth).order_by("submitted_at")
    )
    invitations = []
    for invitation in (
        Invitation.objects.filter(names)
        .select_related("submission", "draft")
        .order_by("appointment_at", "pk")
    ):
        if invitation.submission_id:
            if invitation.submission in submissions:
                invitations.append((invitation, "answered"))
            continue
        draft = getattr(invitation, "draft", None)
        born = draft.answers.get(BIRTH_DATE_ID) if draft is not None else None
        if born == date_of_birth.isoformat():
            invitations.append((invitation, "started: date of birth agrees"))
        elif born is None:
            invitations.append((invitation, "not started: matched by name only"))
    invitation_ids = [invitation.pk for invitation, _ in invitations]
    events = list(
        AuditEvent.objects.filter(
            Q(submission__in=submissions) | _invitation_events(invitation_ids)
        )
        .select_related("actor", "submission")
        .order_by("at", "pk")[: MAX_EVENTS + 1]
    )
    found = [submission.reference for submission in submissions] + [
        f"invitation #{pk}" for pk in invitation_ids
    ]
    audit.record(
        action=AuditEvent.Action.TRAIL_SEARCHED,
        actor=actor,
        address=address,
        detail=f"found {', '.join(found)}" if found else "found nothing",
    )
    return Trail(
        submissions=submissions,
        invitations=invitations,
        events=events[:MAX_EVENTS],
        truncated=len(events) > MAX_EVENTS,
    )
