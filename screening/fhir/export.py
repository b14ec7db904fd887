"""Exporting submissions as FHIR: the one service the command, the admin action and the API use.

Every submission that leaves as FHIR is an audit event (`exported`, detail "FHIR ..."), written
in the same call that builds what leaves.
"""

from __future__ import annotations

from django.db import transaction

from screening.fhir import mapping
from screening.models import AuditEvent, Submission
from screening.records import audit

# Everything `mapping.submission_resources` reads, fetched in four queries for any number.
RELATED = ("flags__acknowledged_by__provider", "decisions__provider", "amendments")


def exportable(queryset):
    """`queryset` with what the mapping reads prefetched (no query per submission)."""
    return queryset.prefetch_related(*RELATED)


def fhir_export(
    *, submissions, actor, channel: str, address: str | None = None, api_token=None
) -> dict:
    """A collection Bundle of `submissions` (response, flags, decisions of each); one
    `exported` audit event per submission names the channel ("command", "admin", "api ...")."""
    submissions = list(submissions)
    bundle = mapping.collection_bundle(submissions)
    with transaction.atomic():
        for submission in submissions:
            audit.record(
                action=AuditEvent.Action.EXPORTED,
                actor=actor,
                address=address,
                submission=submission,
                detail=f"FHIR ({channel})",
                api_token=api_token,
            )
    return bundle


def submissions_since(day):
    """Submissions submitted on or after `day` (a date), oldest first."""
    return exportable(Submission.objects.filter(submitted_on__gte=day).order_by("submitted_at"))
