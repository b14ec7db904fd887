"""Amendments after sending: the original kept, the flags re-evaluated, refusals."""

import pytest

from screening.models import Amendment, AuditEvent, Flag
from screening.visits.amendments import AmendmentInvalid, AmendmentRefused, amend_answers
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_patient_amendment_keeps_the_original_and_raises_the_new_flag():
    sent = factories.submission()
    original = dict(sent.answers)
    assert sent.priority_count == 0

    amendment = amend_answers(
        sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PATIENT
    )

    sent.refresh_from_db()
    assert amendment.answers_before == original
    assert amendment.changes == {
        "pregnancy_status": {"before": original["pregnancy_status"], "after": "pregnant"}
    }
    assert sent.answers["pregnancy_status"] == "pregnant"
    assert sent.answers_version == 2 and amendment.answers_version == 2
    assert sent.priority_count == 1
    new = sent.flags.get(code="PREGNANT")
    assert new.raised_by_amendment == amendment
    assert sent.provenance["pregnancy_status"]["provenance"] == "answered"
    event = AuditEvent.objects.get(action=AuditEvent.Action.AMENDED)
    assert "pregnant" not in event.detail and "PREGNANT" not in event.detail
    assert event.detail == "patient: 1 answer(s) changed; 1 flag(s) raised, 0 cleared"


def test_a_flag_no_longer_raised_stays_marked_cleared_and_stops_counting():
    sent = factories.submission(pregnancy_status="pregnant")
    assert sent.priority_count == 1

    amendment = amend_answers(sent, {"pregnancy_status": "none"}, source=Amendment.Source.CHECK_IN)

    sent.refresh_from_db()
    flag = Flag.objects.get(submission=sent, code="PREGNANT")
    assert flag.cleared_by_amendment == amendment
    assert sent.priority_count == 0 and sent.top_severity_rank < flag.severity_rank


def test_nothing_changed_makes_no_amendment():
    sent = factories.submission()
    assert (
        amend_answers(
            sent,
            {"pregnancy_status": sent.answers["pregnancy_status"]},
            source=Amendment.Source.PATIENT,
        )
        is None
    )
    assert not Amendment.objects.exists()


def test_an_invalid_amendment_saves_nothing():
    sent = factories.submission()
    with pytest.raises(AmendmentInvalid) as raised:
        amend_answers(sent, {"pregnancy_status": "banana"}, source=Amendment.Source.PATIENT)
    assert "pregnancy_status" in raised.value.errors
    sent.refresh_from_db()
    assert sent.answers_version == 1 and not Amendment.objects.exists()


def test_a_provider_amendment_needs_a_reason(make_staff):
    sent = factories.submission()
    doctor = make_staff("Provider", username="dr-amend")
    with pytest.raises(AmendmentRefused):
        amend_answers(
            sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PROVIDER, actor=doctor
        )
    amendment = amend_answers(
        sent,
        {"pregnancy_status": "pregnant"},
        source=Amendment.Source.PROVIDER,
        actor=doctor,
        reason="Told me at the desk",
    )
    assert amendment.actor == doctor and amendment.reason == "Told me at the desk"


def test_a_changed_date_may_be_after_sending_and_an_unchanged_one_stays_valid():
    """Validated as of sending or as of the amendment: a last dose since sending is a month
    after the submission date (refused as of sending alone), and an event then upcoming that
    has passed since stays as it was."""
    from datetime import date

    sent = factories.submission(
        today=date(2026, 11, 24), upcoming_event="yes", upcoming_event_date="2026-12"
    )
    later = date(2027, 2, 10)
    with pytest.raises(AmendmentInvalid):  # still refused: a month after the amendment's date
        amend_answers(
            sent,
            {
                "isotretinoin_ever": "yes",
                "oral_retinoid_type": ["isotretinoin"],
                "isotretinoin_current": "no",
                "isotretinoin_last_dose": "2027-03",
            },
            source=Amendment.Source.PATIENT,
            today=later,
        )
    amendment = amend_answers(
        sent,
        {
            "isotretinoin_ever": "yes",
            "oral_retinoid_type": ["isotretinoin"],
            "isotretinoin_current": "no",
            "isotretinoin_last_dose": "2027-01",
        },
        source=Amendment.Source.PATIENT,
        today=later,
    )
    sent.refresh_from_db()
    assert amendment is not None
    assert sent.answers["isotretinoin_last_dose"] == "2027-01"
    assert sent.answers["upcoming_event_date"] == "2026-12"  # past now, kept as answered
