"""Concurrency and scale-out on PostgreSQL, the production database (skipped on SQLite).

Several patients and app processes at the same instant must behave like one careful process:
every submission saved, routed and flagged once, balanced across providers, no deadlock.
"""

import os
import uuid
from pathlib import Path

import pytest
from django.db import connection

from screening.models import Submission
from screening.patient.submission import submission_create
from tests.concurrency import at_the_same_moment
from tests.factories import full_answers, many_followups_answers
from tests.http_patient import HttpPatient, gunicorn
from tests.patient_steps import SIGNED

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.postgres,
    # Real commits (threads and other processes must see the rows); the roles that a migration
    # made are restored after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def providers(make_staff):
    return [make_staff("Provider", level="physician") for _ in range(4)]


def test_twenty_patients_at_once_give_twenty_flagged_routed_balanced_submissions(providers, today):
    def submit(index):
        answers = full_answers(
            email=f"p{index}@example.com", current_skin_problems_area=["cold_sore"]
        )
        return submission_create(
            signature_name="Ana Ruiz", draft_key=str(uuid.uuid4()), answers=answers, today=today
        ).pk

    ids = at_the_same_moment(20, submit)
    assert len(set(ids)) == 20
    submissions = Submission.objects.filter(pk__in=ids)
    assert all(s.assigned_provider_id and s.priority_count for s in submissions)
    assert all(s.flags.filter(code="HSV_ACTIVE").exists() for s in submissions)
    per_provider = [submissions.filter(assigned_provider__user=user).count() for user in providers]
    assert sorted(per_provider) == [5, 5, 5, 5]


def test_the_same_draft_from_two_threads_gives_exactly_one_submission(providers, today):
    key = str(uuid.uuid4())
    ids = at_the_same_moment(
        2,
        lambda _: (
            submission_create(
                signature_name="Ana Ruiz", draft_key=key, answers=full_answers(), today=today
            ).pk
        ),
    )
    assert ids[0] == ids[1]
    assert Submission.objects.filter(draft_key=key).count() == 1


@pytest.fixture
def two_app_processes(providers):
    """Two gunicorn processes on two ports, sharing the test database."""
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SCREENING_RATE_LIMIT_PER_MINUTE": "1",
        "SCREENING_RATE_LIMIT_BURST": "12",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with gunicorn("clinic.wsgi", env) as (first, _), gunicorn("clinic.wsgi", env) as (second, _):
        yield [first, second]


def test_two_app_processes_behave_as_one(two_app_processes):
    patient = HttpPatient(*two_app_processes)  # every request goes to the other process
    patient.answer_everything(many_followups_answers())
    token_page = "/review/"
    assert "Check your answers" in patient.get(token_page)
    first = patient.post("/review/", SIGNED, token_from=token_page)
    assert first == 302
    assert Submission.objects.count() == 1
    # A replayed final POST, to either process, still gives one submission.
    for _ in range(2):
        patient.request("/review/", {"csrfmiddlewaretoken": "x"})
    assert Submission.objects.count() == 1


def test_the_rate_limit_counts_requests_to_both_processes(two_app_processes):
    patient = HttpPatient(*two_app_processes)
    patient.post("/start/", {}, token_from="/")
    statuses = [
        patient.post("/questions/about-you/", {"nav": "next"}, token_from="/questions/about-you/")
        for _ in range(14)
    ]
    # A burst of 12 shared by both processes: the 13th POST is refused whichever gets it.
    assert statuses[:12] == [200] * 12
    assert 429 in statuses[12:]
