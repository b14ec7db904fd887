"""FHIR API requests without a valid token: audited per client address and window, not per request.

The first refused request of an address in a window (REFUSAL_WINDOW, 10 minutes) is an audit
event at once; the rest are counted (`RefusedApiRequests`), and once the window has closed one
more event says how many there were. The closing events are written by the next refused request
from anywhere, and by `purge_expired`, which a scheduler runs every 15 minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from screening.models import AuditEvent, RefusedApiRequests
from screening.records import audit

REFUSAL_WINDOW = timedelta(minutes=10)


def window_of(moment: datetime) -> datetime:
    seconds = int(REFUSAL_WINDOW.total_seconds())
    stamp = int(moment.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, tz=UTC)


def refusal_record(*, address: str | None, path: str, now=None) -> None:
    """Count one refused request from `address`; audit it if it opens the address's window."""
    now = now or timezone.now()
    window = window_of(now)
    address = address or ""
    counted = RefusedApiRequests.objects.filter(address=address, window_start=window).update(
        count=F("count") + 1
    )
    if counted:
        return
    try:
        with transaction.atomic():
            RefusedApiRequests.objects.create(address=address, window_start=window, count=1)
    except IntegrityError:  # another process opened the window a moment ago
        RefusedApiRequests.objects.filter(address=address, window_start=window).update(
            count=F("count") + 1
        )
        return
    audit.record(
        action=AuditEvent.Action.REFUSED,
        address=address or None,
        detail=(
            f"FHIR API GET {path} (no valid token); further refusals from this address are "
            f"counted until {(window + REFUSAL_WINDOW):%H:%M} UTC"
        ),
    )
    refusals_close(now=now)


def refusals_close(*, now=None, dry_run: bool = False) -> int:
    """Audit the count of every closed window and forget it; returns how many windows closed."""
    now = now or timezone.now()
    closed = RefusedApiRequests.objects.filter(window_start__lte=now - REFUSAL_WINDOW)
    if dry_run:
        return closed.count()
    done = 0
    with transaction.atomic():
        for window in closed.select_for_update(skip_locked=True):
            if window.count > 1:
                end = window.window_start + REFUSAL_WINDOW
                audit.record(
                    action=AuditEvent.Action.REFUSED,
                    address=window.address or None,
                    detail=(
                        f"FHIR API: {window.count} requests without a valid token from "
                        f"{window.window_start:%Y-%m-%d %H:%M} to {end:%H:%M} UTC"
                    ),
                )
            window.delete()
            done += 1
    return done
