"""purge_expired: expired sessions (abandoned drafts) and refilled rate-limit buckets go; one run\npurges every kind (retention's own rules are in test_retention.py)."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from screening.models import Submission
from tests.commands import purge
from tests.patient_steps import start
from throttle.models import Bucket

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(client, settings):
    """One abandoned draft (expired), one live draft, one refilled and one busy bucket."""
    settings.SCREENING_RATE_LIMIT_PER_MINUTE = 30
    settings.SCREENING_RATE_LIMIT_BURST = 60  # full again after 2 minutes
    start(client)
    abandoned = client.session.session_key
    Session.objects.filter(session_key=abandoned).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    from django.test import Client

    live_client = Client()
    start(live_client)
    Bucket.objects.all().delete()  # the starts' own (rate limit of POST /start/)
    now = time.time()
    Bucket.objects.create(key="a" * 64, tokens=3, refilled_at=now - 121)
    Bucket.objects.create(key="b" * 64, tokens=3, refilled_at=now - 60)
    return {"abandoned": abandoned, "live": live_client.session.session_key}


def test_a_dry_run_counts_and_deletes_nothing(records):
    output = purge("--dry-run")
    assert "expired sessions: would delete 1" in output
    assert "refilled rate-limit buckets: would delete 1" in output
    assert Session.objects.count() == 2
    assert Bucket.objects.count() == 2


def test_expired_sessions_and_refilled_buckets_are_deleted(records):
    output = purge()
    assert "expired sessions: deleted 1" in output
    assert "refilled rate-limit buckets: deleted 1" in output
    assert list(Session.objects.values_list("session_key", flat=True)) == [records["live"]]
    assert list(Bucket.objects.values_list("key", flat=True)) == ["b" * 64]
    assert "deleted 0" in purge()  # idempotent


def test_one_run_purges_every_kind_of_expired_record_and_keeps_the_live_ones(
    records, submit_answers, settings
):
    # What the scheduler's one command is for, judged by the records, not by its list of purges.
    settings.SCREENING_RETENTION_DAYS = 365
    old, new = submit_answers(), submit_answers()
    Submission.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    purge()
    assert list(Session.objects.values_list("session_key", flat=True)) == [records["live"]]
    assert list(Bucket.objects.values_list("key", flat=True)) == ["b" * 64]
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.answers, old.email) == ({}, "")
    assert old.erased_at is not None
    assert new.answers and new.email and new.erased_at is None


def test_closed_windows_of_refused_api_requests_are_written_to_the_trail():
    from screening.models import AuditEvent, RefusedApiRequests

    long_ago = timezone.now() - timedelta(hours=1)
    RefusedApiRequests.objects.create(address="192.0.2.7", window_start=long_ago, count=42)
    RefusedApiRequests.objects.create(address="192.0.2.8", window_start=timezone.now(), count=3)
    output = purge()
    assert "refused FHIR API request counts (written to the audit trail): deleted 1" in output
    [event] = AuditEvent.objects.filter(action="refused")
    assert (event.client_address, "42 requests" in event.detail) == ("192.0.2.7", True)
    assert list(RefusedApiRequests.objects.values_list("address", flat=True)) == ["192.0.2.8"]


def test_audit_events_past_their_retention_are_pruned_and_that_is_audited(settings):
    from django.db import connection

    from screening.models import AuditEvent

    with connection.cursor() as cursor:
        for at, detail in (
            ("2015-01-01 00:00:00+00:00", "old"),
            ("2025-01-01 00:00:00+00:00", "kept"),
        ):
            cursor.execute(
                "INSERT INTO screening_auditevent (action, detail, at) VALUES ('viewed', %s, %s)",
                [detail, at],
            )
    assert "audit events past SCREENING_AUDIT_RETENTION_DAYS: deleted 0" in purge()  # unset
    settings.SCREENING_AUDIT_RETENTION_DAYS = 2190
    assert "audit events past SCREENING_AUDIT_RETENTION_DAYS: would delete 1" in purge("--dry-run")
    assert "audit events past SCREENING_AUDIT_RETENTION_DAYS: deleted 1" in purge()
    assert set(AuditEvent.objects.values_list("detail", flat=True)) == {
        "kept",
        "audit trail: 1 events older than 2190 days deleted",
    }


def test_an_audit_retention_under_six_years_stops_the_checks(settings):
    from screening.checks import audit_retention_check

    settings.SCREENING_AUDIT_RETENTION_DAYS = 2189
    assert [error.id for error in audit_retention_check()] == ["screening.E021"]
    settings.SCREENING_AUDIT_RETENTION_DAYS = 2190
    assert audit_retention_check() == []
