"""Retention erases every copy of the health data, not only the answers and contact columns."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from screening.models import Decision, Flag, Submission
from screening.records.retention import ERASED_FLAG_REASON

pytestmark = pytest.mark.django_db

ISOTRETINOIN_IN_AUGUST = {
    "isotretinoin_ever": "yes",
    "oral_retinoid_type": ["isotretinoin"],
    "isotretinoin_current": "no",
    "isotretinoin_last_dose": "2026-08",
}


@pytest.fixture
def decided_long_ago(submit_answers, make_staff, settings):
    settings.SCREENING_RETENTION_DAYS = 365
    doctor = make_staff("Provider", level="physician")
    old = submit_answers(**ISOTRETINOIN_IN_AUGUST)
    kept = submit_answers(**ISOTRETINOIN_IN_AUGUST)
    Submission.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    for submission in (old, kept):
        Decision.objects.create(
            submission=submission,
            provider=doctor.provider,
            outcome="needs_in_person",
            modality="non_ablative",
            notes="Stopped isotretinoin in August 2026; pregnant? asked to call.",
        )
    return old, kept


def test_flag_reasons_that_quote_answers_and_decision_notes_are_erased(decided_long_ago):
    old, _ = decided_long_ago
    flags_before = list(old.flags.values_list("code", "severity"))
    assert flags_before, "the fixture must raise a flag whose reason quotes the answer"
    assert any("August 2026" in reason for reason in old.flags.values_list("reason", flat=True))

    call_command("purge_expired", stdout=StringIO())

    assert list(old.flags.values_list("code", "severity")) == flags_before
    assert set(old.flags.values_list("reason", flat=True)) == {ERASED_FLAG_REASON}
    assert not Flag.objects.filter(submission=old).exclude(questions={}).exists()
    decision = Decision.objects.get(submission=old)
    assert decision.notes == ""
    assert (decision.outcome, decision.modality) == ("needs_in_person", "non_ablative")
    assert decision.decided_at and decision.provider_id


def test_submissions_within_retention_keep_reasons_and_notes(decided_long_ago):
    _, kept = decided_long_ago
    reasons = list(kept.flags.values_list("reason", flat=True))
    call_command("purge_expired", stdout=StringIO())
    assert list(kept.flags.values_list("reason", flat=True)) == reasons
    assert Decision.objects.get(submission=kept).notes.startswith("Stopped isotretinoin")


def test_acknowledgement_comments_are_erased_with_the_rest(decided_long_ago):
    old, kept = decided_long_ago
    for submission in (old, kept):
        submission.flags.update(acknowledgement_comment="Discussed her August dose by phone.")

    call_command("purge_expired", stdout=StringIO())

    assert set(old.flags.values_list("acknowledgement_comment", flat=True)) == {""}
    assert set(kept.flags.values_list("acknowledgement_comment", flat=True)) == {
        "Discussed her August dose by phone."
    }
