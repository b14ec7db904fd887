"""Retention erases every copy of the health data, not only the answers and contact columns."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from screening.invitations import service as invitations
from screening.models import Decision, Flag, Invitation, Submission
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


def _invitation_answered_by(submission, *, appointment_days_ago):
    invitation = invitations.invitation_create(
        actor=None,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        phone="+1 555 0100",
        appointment_at=timezone.now() - timedelta(days=appointment_days_ago),
    ).invitation
    Invitation.objects.filter(pk=invitation.pk).update(submission=submission)
    return invitation


def test_the_invitation_an_erased_submission_answered_loses_its_name_and_contact(
    decided_long_ago,
):
    old, kept = decided_long_ago
    # The appointment is within the retention period: only the submission's erasure reaches it.
    erased_with = _invitation_answered_by(old, appointment_days_ago=300)
    untouched = _invitation_answered_by(kept, appointment_days_ago=300)

    call_command("purge_expired", stdout=StringIO())

    erased_with.refresh_from_db()
    assert (erased_with.first_name, erased_with.last_name) == ("", "")
    assert (erased_with.email, erased_with.phone) == ("", "")
    assert erased_with.appointment_at and erased_with.submission_id == old.pk
    untouched.refresh_from_db()
    assert (untouched.last_name, untouched.phone) == ("Ruiz", "+1 555 0100")


def test_an_invitation_left_with_its_contact_by_an_earlier_erasure_is_erased_now(
    submit_answers, settings
):
    settings.SCREENING_RETENTION_DAYS = None  # retention off: the submission was erased before
    submission = submit_answers()
    Submission.objects.filter(pk=submission.pk).update(erased_at=timezone.now(), last_name="")
    invitation = _invitation_answered_by(submission, appointment_days_ago=1)

    out = StringIO()
    call_command("purge_expired", stdout=out)

    assert "invitations past retention (contact erased): deleted 1" in out.getvalue()
    invitation.refresh_from_db()
    assert (invitation.first_name, invitation.email, invitation.phone) == ("", "", "")


def test_an_amendments_changes_earlier_answers_and_reason_are_erased(decided_long_ago, make_staff):
    from screening.models import Amendment, AuditEvent
    from screening.visits.amendments import amend_answers

    old, kept = decided_long_ago
    doctor = make_staff("Provider", level="physician")
    for submission in (old, kept):
        amend_answers(
            submission,
            {"pregnancy_status": "pregnant"},
            source=Amendment.Source.PROVIDER,
            actor=doctor,
            reason="She told me in person she is pregnant.",
        )

    call_command("purge_expired", stdout=StringIO())

    erased = Amendment.objects.get(submission=old)
    assert (erased.changes, erased.answers_before, erased.reason) == ({}, {}, "")
    # Who, when, from where and which version stay for the record.
    assert (erased.source, erased.actor, erased.answers_version) == ("provider", doctor, 2)
    untouched = Amendment.objects.get(submission=kept)
    assert untouched.reason.startswith("She told me") and untouched.answers_before
    assert untouched.changes["pregnancy_status"]["after"] == "pregnant"
    purged = AuditEvent.objects.get(action=AuditEvent.Action.PURGED, submission=old)
    assert "amendments" in purged.detail
