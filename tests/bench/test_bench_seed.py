"""The benchmark's seeders make realistic rows: the PostgreSQL one (made by the server) and the
ORM one (SQLite) give the same kind of data, with the flags the catalogue really raises.

Small sizes and a few answer profiles: the benchmark itself seeds 1,000,000 (bench/run.py).
"""

import re

import pytest
from django.db import connection
from django.db.models import F, Sum

from bench import seed as seeding
from screening import flags as flag_rules
from screening.models import Decision, Flag, Submission

OPEN_STATUSES = {"submitted", "in_review", "consultation_booked"}


@pytest.fixture
def few_profiles(monkeypatch):
    monkeypatch.setattr(seeding, "PROFILES", 25)
    monkeypatch.setattr(seeding, "OPEN_BACKLOG", 40)


def check_seeded(total: int) -> None:
    submissions = Submission.objects.all()
    assert submissions.count() == total
    statuses = set(submissions.values_list("status", flat=True))
    assert statuses >= {"decided", "submitted"}
    assert submissions.filter(status__in=OPEN_STATUSES).count() == seeding.OPEN_BACKLOG
    # Every submission carries the real flags of its answers, and the counts the queue reads.
    for submission in submissions.order_by("?")[:10]:
        raised = flag_rules.flags_for(submission.answers, seeding.TODAY)
        stored = list(submission.flags.order_by("id").values_list("code", flat=True))
        assert sorted(stored) == sorted(flag.code for flag in raised)
        ranks = [flag.severity.rank for flag in raised]
        assert submission.priority_count == ranks.count(2)
        assert submission.top_severity_rank == max(ranks, default=-1)
        assert submission.answers["email"] == submission.email
        assert submission.answers["last_name"] == submission.last_name
    totals = submissions.aggregate(
        flags=Sum(F("priority_count") + F("discuss_count") + F("info_count"))
    )
    assert Flag.objects.count() == totals["flags"]
    assert Decision.objects.count() == submissions.filter(status="decided").count()
    references = list(submissions.values_list("reference", flat=True))
    assert len(set(references)) == total
    assert all(re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", ref) for ref in references)


@pytest.mark.django_db
def test_the_seeder_makes_realistic_submissions_with_their_flags(few_profiles):
    assert seeding.seed(120) == 120
    check_seeded(120)
    assert seeding.seed(120) == 0  # a seeded database is reused
    assert seeding.seed(150) == 30  # and topped up
    assert Submission.objects.count() == 150


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server-side seeder")
def test_the_postgresql_seeder_makes_rows_the_app_can_add_to(few_profiles, submit_answers):
    assert seeding.seed_postgresql(200) == 200
    check_seeded(200)
    booked = Submission.objects.filter(status="consultation_booked")
    assert booked.exists() and not booked.filter(appointment_at__isnull=True).exists()
    acknowledged = Flag.objects.filter(acknowledged_by__isnull=False)
    assert acknowledged.exists()
    assert not acknowledged.exclude(submission__status="decided").exists()
    # The ids were given explicitly; the app's next submission still gets a new one.
    submission = submit_answers()
    assert submission.pk > max(
        Submission.objects.exclude(pk=submission.pk).values_list("pk", flat=True)
    )
