"""Inviting a returning patient to a re-screen: the front desk's page (contact details and the
visit's context, never answers or flags), the invitation's fields, the audit, and the email that
goes no earlier than SCREENING_RESCREEN_LEAD_DAYS before the appointment, once."""

import re
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from screening.invitations import rescreen
from screening.invitations.reminders import send_due_reminders
from screening.models import AuditEvent, Invitation, Submission
from screening.staff.decisions import decision_record
from tests import factories
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

PREVIOUS_DAY = date(2026, 10, 1)


def page(submission):
    return f"/staff/screening/invitation/return-visit/{submission.pk}/"


def _at(days: int, hour: int = 10):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def treated(doctor):
    """A patient seen on PREVIOUS_DAY's appointment, with a series decision to proceed."""
    previous = factories.submission(
        today=PREVIOUS_DAY,
        first_name="Rosa",
        last_name="Vidal",
        email="rosa@example.org",
        pregnancy_status="pregnant",  # a priority flag: never on the front desk's page
    )
    appointment = timezone.make_aware(datetime(2026, 10, 8, 9, 30))
    Submission.objects.filter(pk=previous.pk).update(appointment_at=appointment)
    previous.refresh_from_db()
    previous.flags.update(acknowledged_by=doctor, acknowledged_at=timezone.now())
    decision_record(
        submission=previous,
        outcome="proceed",
        modality="fractional_ablative",
        notes="SECRET-NOTE",
        actor=doctor,
        provider_skin_type="II",
        next_session_weeks=6,
    )
    run_queued_tasks()
    mail.outbox.clear()  # the provider's "new submission" email
    return previous


@pytest.fixture
def front_desk(client, make_staff):
    user = make_staff("Front desk")
    client.force_login(user)
    client.user = user
    return client


def _post(client, previous, **data):
    return client.post(
        page(previous),
        {
            "visit_type": "series_session",
            "appointment_at": _at(20).strftime("%Y-%m-%d %H:%M"),
            "treatment_date": "2026-10-08",
            "email": "rosa@example.org",
            "phone": "",
            "provider": "",
            "language": "en",
            **data,
        },
    )


def test_the_page_offers_the_series_and_the_previous_appointment_as_the_treatment_date(
    front_desk, treated
):
    body = front_desk.get(page(treated)).content.decode()
    assert "Rosa Vidal" in body and treated.reference in body
    assert 'value="series_session"' in body and 'value="new_consultation"' in body
    assert 'name="treatment_date" value="2026-10-08"' in body
    assert 'value="rosa@example.org"' in body
    content = body.split('id="content-main"')[1]
    for clinical in ("pregnan", "PREGNANT", "priority", "flag", "SECRET-NOTE", "ablative"):
        assert clinical not in content, clinical


def test_without_a_series_decision_only_a_new_consultation_and_no_treatment_date(
    front_desk, make_staff
):
    previous = factories.submission(today=PREVIOUS_DAY)
    body = front_desk.get(page(previous)).content.decode()
    assert 'value="series_session"' not in body and 'value="new_consultation"' in body
    assert 'name="treatment_date" value=' not in body
    response = _post(front_desk, previous)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_makes_the_invitation_with_its_visit_and_audits_it(front_desk, treated):
    response = _post(front_desk, treated, treatment_date="2026-10-09")
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/invitation/{invitation.pk}/change/")
    assert invitation.previous_submission == treated
    assert invitation.visit_type == "series_session"
    assert invitation.treatment_date == date(2026, 10, 9)
    assert (invitation.first_name, invitation.last_name) == ("Rosa", "Vidal")
    assert invitation.created_by == front_desk.user
    shown = front_desk.get(response["Location"]).content.decode()
    assert f"from {treated.reference}; last treatment here 2026-10-09" in shown
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESCREEN_INVITED)
    assert event.actor == front_desk.user and event.submission == treated
    assert f"invitation #{invitation.pk}" in event.detail
    assert "Rosa" not in event.detail and "rosa@" not in event.detail


def test_an_empty_treatment_date_means_not_treated_here(front_desk, treated):
    _post(front_desk, treated, treatment_date="", visit_type="new_consultation")
    invitation = Invitation.objects.get()
    assert invitation.treatment_date is None and invitation.visit_type == "new_consultation"


@pytest.mark.parametrize(
    "treatment_date, message",
    [
        ("2099-01-01", "cannot be in the future"),
        ("2026-09-30", "on or after the previous form (2026-10-01)"),
        ("08/10/2026", "Enter a valid date"),
    ],
)
def test_a_wrong_treatment_date_is_refused_with_a_clear_error(
    front_desk, treated, treatment_date, message
):
    response = _post(front_desk, treated, treatment_date=treatment_date)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert 'id="error-summary"' in body and 'href="#id_treatment_date"' in body
    assert not Invitation.objects.exists()


def test_a_past_appointment_and_no_contact_are_refused(front_desk, treated):
    body = _post(front_desk, treated, appointment_at="2020-01-01 10:00", email="").content
    assert b"The appointment must be in the future." in body
    assert b"Give an email address or a mobile number." in body
    assert not Invitation.objects.exists()


def test_contact_details_are_checked_as_for_any_invitation(front_desk, treated):
    body = _post(front_desk, treated, email="not-an-email", phone="call me").content.decode()
    assert body.count("Enter a valid email address.") == 2  # the summary and the field
    assert not Invitation.objects.exists()


def test_an_appointment_further_than_the_lead_keeps_the_email_until_its_time(
    front_desk, treated, settings
):
    settings.SCREENING_RESCREEN_LEAD_DAYS = 7
    settings.SCREENING_REMINDER_HOURS = [72, 24]
    response = _post(front_desk, treated)
    invitation = Invitation.objects.get()
    assert invitation.email_state == Invitation.EmailState.SCHEDULED
    run_queued_tasks()
    assert mail.outbox == []
    messages = front_desk.get(response["Location"]).content.decode()
    assert "Its email goes on" in messages and "7 days before the appointment" in messages
    appointment = invitation.appointment_at
    # Not a reminder either while the invitation itself has not gone.
    assert send_due_reminders(now=appointment - timedelta(days=8)) == 0
    assert (
        rescreen.send_due_rescreen_invitations(now=appointment - timedelta(days=7, seconds=1)) == 0
    )
    assert rescreen.send_due_rescreen_invitations(now=appointment - timedelta(days=7)) == 1
    assert rescreen.send_due_rescreen_invitations(now=appointment - timedelta(days=6)) == 0
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    for never in ("Rosa", "Vidal", "pregnan", "series", "treatment"):
        assert never not in message.body, never
    assert re.search(r"https?://\S+/i/[\w-]{43}/", message.body)
    invitation.refresh_from_db()
    assert invitation.email_state == Invitation.EmailState.SENT
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.INVITED, detail__contains="re-screen email queued"
        ).count()
        == 1
    )


def test_send_again_does_not_send_a_scheduled_invitation_before_its_time(front_desk, treated):
    from screening.invitations import service

    _post(front_desk, treated)
    invitation = Invitation.objects.get()
    outcome = service.invitation_send_again(actor=front_desk.user, invitation=invitation)
    assert outcome == service.Resent.SCHEDULED
    assert Invitation.objects.get().email_state == Invitation.EmailState.SCHEDULED
    run_queued_tasks()
    assert mail.outbox == []


def test_a_late_run_sends_the_invitation_and_no_reminder_for_hours_already_past(
    make_staff, treated, settings
):
    settings.SCREENING_RESCREEN_LEAD_DAYS = 7
    settings.SCREENING_REMINDER_HOURS = [72, 24]
    created = rescreen.rescreen_invitation_create(
        actor=make_staff("Front desk"),
        previous=treated,
        visit_type="series_session",
        appointment_at=_at(30),
        email="rosa@example.org",
    )
    appointment = created.invitation.appointment_at
    missed = appointment - timedelta(hours=48)  # the scheduler was down for days
    assert rescreen.send_due_rescreen_invitations(now=missed) == 1
    assert Invitation.objects.get().reminders_sent == [72]
    assert send_due_reminders(now=missed) == 0
    assert send_due_reminders(now=appointment - timedelta(hours=24)) == 1


def test_an_appointment_within_the_lead_is_emailed_at_once(front_desk, treated, settings):
    settings.SCREENING_RESCREEN_LEAD_DAYS = 7
    _post(front_desk, treated, appointment_at=_at(5).strftime("%Y-%m-%d %H:%M"))
    assert Invitation.objects.get().email_state == Invitation.EmailState.QUEUED
    run_queued_tasks()
    assert len(mail.outbox) == 1


def test_the_scheduled_job_runs_with_the_reminders_command(make_staff, treated, settings):
    settings.SCREENING_RESCREEN_LEAD_DAYS = 40
    rescreen.rescreen_invitation_create(
        actor=make_staff("Front desk"),
        previous=treated,
        visit_type="series_session",
        appointment_at=_at(20),
        email="rosa@example.org",
        now=timezone.now() - timedelta(days=30),  # made when the appointment was far away
    )
    assert Invitation.objects.get().email_state == Invitation.EmailState.SCHEDULED
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "re-screen invitations queued: 1" in out.getvalue()
    assert Invitation.objects.get().email_state == Invitation.EmailState.QUEUED


def test_a_phone_only_return_visit_goes_to_the_links_page(front_desk, treated):
    response = _post(front_desk, treated, email="", phone="+1 555 0100")
    assert response["Location"].endswith("/invitation/links/")
    assert Invitation.objects.get().email_state == Invitation.EmailState.NONE


def test_a_provider_may_not_invite_and_the_refusal_is_audited(client, doctor, treated):
    client.force_login(doctor)
    assert client.get(page(treated)).status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.REFUSED, detail="return-visit invitation"
    ).exists()


def test_an_erased_submission_cannot_be_invited_back(front_desk, treated):
    Submission.objects.filter(pk=treated.pk).update(erased_at=timezone.now())
    assert front_desk.get(page(treated)).status_code == 403
    assert front_desk.get("/staff/screening/invitation/return-visit/999999/").status_code == 404


def test_the_clinic_admin_invites_as_the_front_desk_does(client, make_staff, treated):
    client.force_login(make_staff("Clinic admin"))
    assert client.get(page(treated)).status_code == 200
    assert _post(client, treated).status_code == 302
    assert Invitation.objects.get().previous_submission == treated


def test_the_submission_page_links_the_front_desk_to_the_return_visit(front_desk, treated):
    body = front_desk.get(f"/staff/screening/submission/{treated.pk}/change/").content.decode()
    assert page(treated) in body and "Invite for a return visit" in body
