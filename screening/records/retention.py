"""Retention: erase the health data of submissions older than the clinic's retention period.

The reference, dates, flag codes and severities and the decision's outcome and modality stay for
the record; answers, contact fields, and whatever repeats them are erased: the answers quoted in
flags, the flags' reasons (they quote answer dates), the comments providers left when
acknowledging flags, the decision notes, the amendments' changes, earlier answers and
reasons, and the name and contact of the invitation the
submission answered. Off unless SCREENING_RETENTION_DAYS is set. Each erasure is audited.

An erased value is gone for the app, not yet from the disk: PostgreSQL keeps the old row versions
until VACUUM reuses them, and its logs, WAL archives and backups keep what they kept
(docs/retention.md says what to run).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.models import (
    Amendment,
    AuditEvent,
    Decision,
    Flag,
    Invitation,
    Reconfirmation,
    Submission,
)

ERASED_CONTACT = {
    "first_name": "",
    "last_name": "",
    "preferred_name": "",
    "email": "",
    "phone": "",
    "date_of_birth": None,
    # The typed signature is a name; its time, version and hash stay as the record of signing.
    "signature_name": "",
}
# The invitation keeps its appointment, dates and email state; the person goes.
ERASED_INVITATION_CONTACT = {"first_name": "", "last_name": "", "email": "", "phone": ""}
# A flag keeps its code and severity; its reason (which quotes answers) says what happened.
ERASED_FLAG_REASON = "Erased: past the retention period."


def expired_submissions(now=None):
    """Submissions past the retention period and not yet erased (none when retention is off)."""
    days = settings.SCREENING_RETENTION_DAYS
    if not days:
        return Submission.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Submission.objects.filter(submitted_at__lt=cutoff, erased_at__isnull=True)


def submissions_erase(*, submissions, dry_run: bool = False) -> int:
    """Erase the health data of `submissions`; returns how many were (or would be) erased."""
    ids = list(submissions.values_list("id", flat=True))
    if dry_run or not ids:
        return len(ids)
    now = timezone.now()
    with transaction.atomic():
        Submission.objects.filter(id__in=ids).update(answers={}, erased_at=now, **ERASED_CONTACT)
        Flag.objects.filter(submission_id__in=ids).update(
            questions={}, reason=ERASED_FLAG_REASON, acknowledgement_comment=""
        )
        Decision.objects.filter(submission_id__in=ids).update(notes="")
        # An amendment keeps who, when, its source and version; what changed (answers before
        # and after), the whole earlier answer set and the provider's reason are health data.
        Amendment.objects.filter(submission_id__in=ids).update(
            changes={}, answers_before={}, reason=""
        )
        Invitation.objects.filter(submission_id__in=ids).update(**ERASED_INVITATION_CONTACT)
        # What the patient said at check-in (the since-questions, which answers changed).
        Reconfirmation.objects.filter(submission_id__in=ids).update(
            since_answers={}, changed_ids=[], confirmed_items=[]
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action=AuditEvent.Action.PURGED,
                submission_id=submission_id,
                detail=(
                    "retention: answers, contact, flag reasons, comments, decision notes, "
                    "amendments and the invitation's contact erased"
                ),
            )
            for submission_id in ids
        )
    return len(ids)
