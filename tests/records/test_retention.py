"""Retention: old submissions lose their health data, keep their record, and it is audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.models import AuditEvent, Decision, Flag, Submission
from tests.commands import purge

pytestmark = pytest.mark.django_db

RETENTION = "submissions past retention (answers and contact erased)"


@pytest.fixture
def old_and_new(submit_answers, make_staff):
    doctor = make_staff("Provider", level="physician")
    old = submit_answers(cold_sore_now="yes", anything_else_text="Zqx secret")
    new = submit_answers()
    Submission.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    Decision.objects.create(
        submission=old, provider=doctor.provider, outcome="proceed", modality="non_ablative"
    )
    return old, new


def test_retention_is_off_by_default(old_and_new, settings):
    settings.SCREENING_RETENTION_DAYS = None
    assert f"{RETENTION}: deleted 0" in purge()
    old, _ = old_and_new
    old.refresh_from_db()
    assert old.answers["anything_else_text"] == "Zqx secret"


def test_a_dry_run_counts_and_erases_nothing(old_and_new, settings):
    settings.SCREENING_RETENTION_DAYS = 365
    assert f"{RETENTION}: would delete 1" in purge("--dry-run")
    old, _ = old_and_new
    old.refresh_from_db()
    assert old.erased_at is None


def test_old_submissions_lose_answers_and_contact_but_keep_the_record(old_and_new, settings):
    settings.SCREENING_RETENTION_DAYS = 365
    old, new = old_and_new
    flag_codes = set(old.flags.values_list("code", flat=True))
    assert f"{RETENTION}: deleted 1" in purge()
    old.refresh_from_db()
    assert old.answers == {}
    assert (old.first_name, old.last_name, old.email, old.phone) == ("", "", "", "")
    assert old.date_of_birth is None
    assert old.erased_at is not None
    assert old.reference and old.submitted_at and old.status
    assert set(old.flags.values_list("code", flat=True)) == flag_codes
    assert not Flag.objects.filter(submission=old).exclude(questions={}).exists()
    assert old.decisions.get().outcome == "proceed"
    assert AuditEvent.objects.filter(submission=old, action="purged").count() == 1
    new.refresh_from_db()
    assert new.answers and new.erased_at is None
    assert f"{RETENTION}: deleted 0" in purge()  # once only


def test_what_was_said_at_check_in_is_erased_too(old_and_new, settings):
    from screening.models import Reconfirmation

    settings.SCREENING_RETENTION_DAYS = 365
    old, new = old_and_new
    Reconfirmation.objects.create(
        submission=old,
        since_answers={"since_last_medicines": "yes"},
        changed_ids=["pregnancy_status"],
        confirmed_items=["sun"],
    )
    kept = Reconfirmation.objects.create(
        submission=new, since_answers={"since_last_medicines": "no"}
    )
    purge()
    erased = Reconfirmation.objects.get(submission=old)
    assert (erased.since_answers, erased.changed_ids, erased.confirmed_items) == ({}, [], [])
    kept.refresh_from_db()
    assert kept.since_answers == {"since_last_medicines": "no"}
