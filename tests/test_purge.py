"""purge_expired: expired sessions (abandoned drafts) and refilled rate-limit buckets go."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from screening.management.commands import purge_expired
from tests.patient import start
from throttle.models import Bucket

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


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


def test_each_purge_is_one_entry_so_another_can_be_added():
    purges = dict(purge_expired.PURGES)
    assert {"expired sessions", "refilled rate-limit buckets"} <= set(purges)
    for label in ("expired sessions", "refilled rate-limit buckets"):
        assert purges[label](now=timezone.now(), dry_run=True) == 0
