"""A wrong date of birth on a patient's link: counted on its row, locked at the limit, audited.

One rule for every door that asks the date of birth before showing answers (a saved draft's
link, amending after sending, re-confirming before the visit): each keeps its own count and lock
on its own row, and each wrong try and the lock are audited without the date.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.models import AuditEvent
from screening.records import audit


def count_wrong_birth_date(
    row_query,
    *,
    subject: str,
    request=None,
    submission=None,
    failures_field: str = "birth_date_failures",
    locked_field: str = "locked_at",
) -> tuple[int, datetime | None]:
    """Add one wrong try to the single row of `row_query` (locked for the update) and lock it at
    SCREENING_RESUME_MAX_FAILURES; audit "{subject}: try N" and, at the limit, LOCKED. Returns the
    row's tries and lock time after the update."""
    with transaction.atomic():
        row = row_query.select_for_update(of=("self",)).get()
        failures = getattr(row, failures_field) + 1
        setattr(row, failures_field, failures)
        locked = failures >= settings.SCREENING_RESUME_MAX_FAILURES
        if locked:
            setattr(row, locked_field, timezone.now())
        row.save(update_fields=[failures_field, locked_field])
        audit.record(
            action=AuditEvent.Action.BIRTH_DATE_FAILED,
            request=request,
            submission=submission,
            detail=f"{subject}: try {failures}",
        )
        if locked:
            audit.record(
                action=AuditEvent.Action.LOCKED,
                request=request,
                submission=submission,
                detail=subject,
            )
    return failures, getattr(row, locked_field)
