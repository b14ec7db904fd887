"""Clinical review and scheduling are separate states: only a provider's review action (marking
the review done, acknowledging every priority flag, a decision) makes a submission reviewed;
a booking, a reassignment or any other front-desk or admin action never does."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from screening.models import AuditEvent, Flag, Submission
from screening.staff.decisions import (
    DecisionRefused,
    decision_record,
    flags_acknowledge,
    submission_assign,
    submission_mark_reviewed,
    submission_set_status,
)

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
PRIORITY = {"cold_sore_now": "yes", "keloid_history": "yes"}
BOOKED = Submission.Status.CONSULTATION_BOOKED


def panel_of(client):
    page = client.get(QUEUE).content.decode()
    found = re.search(r'<section class="attention".*?</section>', page, re.S)
    return found[0] if found else ""


def row_of(client, submission):
    page = client.get(QUEUE).content.decode()
    return re.search(rf"<tr>(?:(?!</tr>).)*{submission.reference}.*?</tr>", page, re.S)[0]


@pytest.fixture
def priority_today(submit_answers):
    flagged = submit_answers(**PRIORITY)
    soon = timezone.now() + timedelta(hours=3)
    Submission.objects.filter(pk=flagged.pk).update(appointment_at=soon)
    flagged.refresh_from_db()
    return flagged


def test_a_front_desk_booking_leaves_a_priority_patient_in_the_providers_attention_panel(
    client, doctor, make_staff, priority_today
):
    front_desk = make_staff("Front desk")
    submission_set_status(submission=priority_today, status=BOOKED, actor=front_desk)
    priority_today.refresh_from_db()
    assert priority_today.status == BOOKED
    assert not priority_today.reviewed and priority_today.reviewed_at is None
    client.force_login(doctor)
    assert priority_today.reference in panel_of(client)
    row = row_of(client, priority_today)
    assert "Reviewed" not in row
    # still first in the queue: unreviewed priority before the rest
    page = client.get(QUEUE).content.decode()
    first = re.search(r'<th class="field-reference"><a [^>]*>([A-Z0-9-]+)</a>', page)[1]
    assert first == priority_today.reference


def test_the_front_desk_booking_through_the_change_form_does_not_review_it(
    client, doctor, make_staff, priority_today
):
    front_desk = make_staff("Front desk")
    client.force_login(front_desk)
    response = client.post(
        f"{QUEUE}{priority_today.pk}/change/",
        {
            "status": BOOKED,
            "appointment_at_0": timezone.localtime(priority_today.appointment_at).strftime(
                "%Y-%m-%d"
            ),
            "appointment_at_1": "10:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    priority_today.refresh_from_db()
    assert priority_today.status == BOOKED and not priority_today.reviewed


def test_reassigning_or_a_clinic_admins_status_move_does_not_review_it(
    doctor, make_staff, priority_today
):
    admin = make_staff("Clinic admin")
    other = make_staff("Provider", level="physician")
    submission_assign(submission=priority_today, provider=other.provider, actor=admin)
    submission_set_status(submission=priority_today, status="in_review", actor=admin)
    submission_set_status(submission=priority_today, status=BOOKED, actor=admin)
    priority_today.refresh_from_db()
    assert not priority_today.reviewed


def test_a_provider_moving_it_to_in_review_is_not_a_review_either(doctor, submit_answers):
    plain = submit_answers()
    submission_set_status(submission=plain, status="in_review", actor=doctor)
    plain.refresh_from_db()
    assert not plain.reviewed


def test_acknowledging_every_priority_flag_is_the_providers_review(doctor, priority_today):
    priority = list(priority_today.flags.filter(severity="priority"))
    assert len(priority) >= 2
    flags_acknowledge(submission=priority_today, flags=priority[:1], actor=doctor)
    priority_today.refresh_from_db()
    assert not priority_today.reviewed  # a priority flag is still open
    flags_acknowledge(submission=priority_today, flags=priority[1:], actor=doctor)
    priority_today.refresh_from_db()
    assert priority_today.reviewed and priority_today.reviewed_by == doctor
    assert priority_today.reviewed_at is not None
    assert AuditEvent.objects.filter(submission=priority_today, action="reviewed").count() == 1


def test_marking_the_review_done_needs_a_qualified_provider_and_no_open_priority_flag(
    doctor, make_staff, priority_today, submit_answers
):
    plain = submit_answers()  # the doctor's: the only provider yet
    with pytest.raises(DecisionRefused):
        submission_mark_reviewed(submission=priority_today, actor=make_staff("Front desk"))
    nurse = make_staff("Provider", level="nurse")
    with pytest.raises(DecisionRefused):
        submission_mark_reviewed(submission=priority_today, actor=nurse)
    with pytest.raises(DecisionRefused, match="priority flag"):
        submission_mark_reviewed(submission=priority_today, actor=doctor)
    assert submission_mark_reviewed(submission=plain, actor=doctor) is True
    assert submission_mark_reviewed(submission=plain, actor=doctor) is False  # once
    plain.refresh_from_db()
    assert plain.reviewed and plain.reviewed_by == doctor


def test_the_review_pages_mark_reviewed_button_takes_it_out_of_the_panel(
    client, doctor, submit_answers, settings
):
    settings.SCREENING_REVIEW_TARGET_HOURS = 24
    waiting = submit_answers()
    Submission.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - timedelta(hours=30)
    )
    client.force_login(doctor)
    assert waiting.reference in panel_of(client)
    page = client.get(f"{QUEUE}{waiting.pk}/change/").content.decode()
    assert 'name="mark_reviewed"' in page
    response = client.post(f"{QUEUE}{waiting.pk}/acknowledge/", {"mark_reviewed": "1"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.reviewed and waiting.reviewed_by == doctor
    assert waiting.reference not in panel_of(client)
    assert "Reviewed" in row_of(client, waiting)


def test_a_decision_is_a_review(doctor, submit_answers):
    plain = submit_answers()
    decision_record(
        submission=plain, outcome="proceed", modality="non_ablative", notes="", actor=doctor
    )
    plain.refresh_from_db()
    assert plain.status == "decided" and plain.reviewed and plain.reviewed_by == doctor


def test_existing_rows_keep_review_only_from_a_providers_action(doctor, submit_answers):
    """The data migration: decided (with a decision) and fully acknowledged stay reviewed;
    a row "reviewed" only because it was booked goes back to not reviewed."""
    booked = submit_answers(**PRIORITY)
    acknowledged = submit_answers(**PRIORITY)
    partly = submit_answers(**PRIORITY)
    decided = submit_answers()
    decision_record(
        submission=decided, outcome="proceed", modality="non_ablative", notes="", actor=doctor
    )
    decided_at = decided.decisions.get().decided_at
    at = timezone.now() - timedelta(days=1)
    acknowledged.flags.filter(severity="priority").update(
        acknowledged_by=doctor, acknowledged_at=at
    )
    partly.flags.filter(severity="priority").filter(
        pk=partly.flags.filter(severity="priority").first().pk
    ).update(acknowledged_by=doctor, acknowledged_at=at)
    # As the old code left them: reviewed follows the status, with nobody named.
    Submission.objects.filter(pk__in=[booked.pk, acknowledged.pk, partly.pk]).update(
        status=BOOKED, reviewed=True
    )
    Submission.objects.filter(pk=decided.pk).update(reviewed_at=None, reviewed_by=None)
    migration = import_module("screening.migrations.0011_review_state_apart_from_scheduling")
    migration.review_from_provider_actions(apps, None)
    rows = {row.pk: row for row in Submission.objects.all()}
    assert not rows[booked.pk].reviewed
    assert not rows[partly.pk].reviewed
    assert rows[acknowledged.pk].reviewed and rows[acknowledged.pk].reviewed_by == doctor
    assert rows[acknowledged.pk].reviewed_at == at
    assert rows[decided.pk].reviewed and rows[decided.pk].reviewed_by == doctor
    assert rows[decided.pk].reviewed_at == decided_at
    assert Flag.objects.filter(acknowledged_at=at).exists()
