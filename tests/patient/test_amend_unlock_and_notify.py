"""After sending: staff unlock a patient's amending link locked by wrong dates of birth (from the
submission's or the invitation's page, audited); a patient's change (their link, or at check-in)
emails the provider who reviews it the reference and the link, nothing more; a new priority flag
re-routes to a qualified provider and shows on their My day."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from screening.mail import notifications
from screening.models import (
    Amendment,
    AuditEvent,
    EmailDispatch,
    Invitation,
    Submission,
)
from screening.questionnaire import current
from screening.visits.amendments import AmendmentInvalid, amend_answers
from tests import factories
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, step_url
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

ANSWERS = full_answers(
    date_of_birth="1984-03-27",
    first_name="Zqxfirst",
    last_name="Zqxlast",
    current_medications_text="Zqxmedication",
)
DOB = {"date_of_birth_day": "27", "date_of_birth_month": "3", "date_of_birth_year": "1984"}
WRONG = {**DOB, "date_of_birth_year": "1985"}


def _sent(days_ahead: float = 5) -> tuple[str, Submission]:
    link = invite(days_ahead=days_ahead)
    patient = Client()
    patient.get(link)
    for section in current().first_visit_sections:
        response = patient.post(
            step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"}
        )
        assert response.status_code == 302, section.key
    assert patient.post("/review/", SIGNED)["Location"] == "/thank-you/"
    return link, Submission.objects.get()


def _locked(link, sent) -> None:
    device = Client()
    device.get(link)
    for _ in range(settings.SCREENING_RESUME_MAX_FAILURES):
        last = device.post("/change/", WRONG)
    assert last.status_code == 403
    # The locked page tells the patient what to do: call the clinic.
    assert "please call us" in last.content.decode()
    sent.refresh_from_db()
    assert sent.amend_locked_at is not None


def _amend_pregnancy(link) -> None:
    device = Client()
    assert "Change my answers" in device.get(link).content.decode()
    assert device.post("/change/", DOB)["Location"] == "/change/"
    health = current().sections_by_key["health"]
    data = {**post_data_for(health, {**ANSWERS, "pregnancy_status": "pregnant"}), "nav": "next"}
    assert device.post("/change/health/", data)["Location"] == "/change/review/"
    assert device.post("/change/review/", {"nav": "send"})["Location"] == "/change/sent/"


def _changed_emails():
    return [message for message in mail.outbox if message.subject.startswith("Answers changed")]


# --- 1. Unlocking the amending link ----------------------------------------------------------


def test_the_front_desk_unlocks_amending_from_the_submission_page(client, doctor):
    link, sent = _sent()
    _locked(link, sent)
    assert "Change my answers" not in Client().get(link).content.decode()
    desk = factories.staff_user("Front desk", username="desk")
    client.force_login(desk)
    page = reverse("admin:screening_submission_change", args=[sent.pk])
    assert "Unlock changing answers" in client.get(page).content.decode()

    response = client.post(reverse("admin:screening_submission_unlock_amending", args=[sent.pk]))

    assert response.status_code == 302 and response["Location"] == page
    sent.refresh_from_db()
    assert sent.amend_locked_at is None and sent.amend_birth_date_failures == 0
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNLOCKED)
    assert event.actor == desk and event.submission_id == sent.pk
    assert "1984" not in event.detail
    assert "Unlock changing answers" not in client.get(page).content.decode()
    _amend_pregnancy(link)  # the patient's own link works again, date of birth first
    # A second press has nothing to unlock, and records nothing.
    client.post(reverse("admin:screening_submission_unlock_amending", args=[sent.pk]))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCKED).count() == 1


def test_the_invitation_page_unlocks_an_answered_invitations_amending(client, doctor):
    link, sent = _sent()
    _locked(link, sent)
    invitation = Invitation.objects.get(submission=sent)
    admin = factories.staff_user("Clinic admin", username="admin1")
    client.force_login(admin)
    page = reverse("admin:screening_invitation_change", args=[invitation.pk])
    assert "Unlock changing answers" in client.get(page).content.decode()

    client.post(reverse("admin:screening_invitation_unlock", args=[invitation.pk]))

    sent.refresh_from_db()
    assert sent.amend_locked_at is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNLOCKED)
    assert event.actor == admin and event.submission_id == sent.pk
    assert "Change my answers" in Client().get(link).content.decode()


def test_a_provider_may_not_unlock_and_sees_no_button(client, doctor):
    link, sent = _sent()
    _locked(link, sent)
    client.force_login(doctor)
    page = client.get(reverse("admin:screening_submission_change", args=[sent.pk]))
    assert page.status_code == 200 and "Unlock changing answers" not in page.content.decode()
    response = client.post(reverse("admin:screening_submission_unlock_amending", args=[sent.pk]))
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.amend_locked_at is not None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCKED).exists()


# --- 2. The email to the provider who reviews it ---------------------------------------------


def test_a_patients_change_emails_the_provider_the_reference_and_link_only(doctor):
    link, sent = _sent()
    run_queued_tasks()
    mail.outbox.clear()

    _amend_pregnancy(link)
    run_queued_tasks()

    (message,) = _changed_emails()
    assert message.to == [doctor.email]
    assert sent.reference in message.subject and sent.reference in message.body
    assert f"/staff/screening/submission/{sent.pk}/change/" in message.body
    text = f"{message.subject}\n{message.body}".lower()
    for private in (
        "zqx",  # the name, the free text
        "pregnan",  # the answer, its flag code, its label
        "priority",
        "flag",
        "1984",
        "ana@example.org",
    ):
        assert private not in text, private
    assert "through their link" in message.body


def test_a_change_at_check_in_emails_and_an_unassigned_one_goes_to_the_fallback(settings):
    settings.SCREENING_FALLBACK_EMAIL = "lead@clinic.example"
    sent = factories.submission()
    Submission.objects.filter(pk=sent.pk).update(assigned_provider=None)
    run_queued_tasks()
    mail.outbox.clear()

    amend_answers(sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.CHECK_IN)
    run_queued_tasks()

    (message,) = _changed_emails()
    assert message.to == ["lead@clinic.example"]
    assert "at check-in" in message.body and "Please assign it" in message.body
    assert "pregnan" not in message.body.lower()


def test_a_providers_own_amendment_sends_nothing(doctor):
    sent = factories.submission()
    amend_answers(
        sent,
        {"pregnancy_status": "pregnant"},
        source=Amendment.Source.PROVIDER,
        actor=doctor,
        reason="Told at the consultation",
    )
    assert not EmailDispatch.objects.filter(kind=notifications.ANSWERS_CHANGED).exists()
    run_queued_tasks()
    assert _changed_emails() == []


def test_the_email_is_queued_in_the_amendments_transaction(doctor):
    sent = factories.submission()
    with pytest.raises(RuntimeError), transaction.atomic():
        amend_answers(sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PATIENT)
        assert EmailDispatch.objects.filter(kind=notifications.ANSWERS_CHANGED).count() == 1
        raise RuntimeError("the request failed after the amendment")
    assert not EmailDispatch.objects.filter(kind=notifications.ANSWERS_CHANGED).exists()
    with pytest.raises(AmendmentInvalid):
        amend_answers(sent, {"pregnancy_status": "bogus"}, source=Amendment.Source.PATIENT)
    assert not EmailDispatch.objects.filter(kind=notifications.ANSWERS_CHANGED).exists()


def test_no_email_for_an_amendment_of_a_submission_erased_since(doctor):
    sent = factories.submission()
    amendment = amend_answers(
        sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PATIENT
    )
    Submission.objects.filter(pk=sent.pk).update(erased_at=sent.submitted_at)
    assert notifications.build(notifications.ANSWERS_CHANGED, amendment.pk) is None


# --- 3. A new priority flag re-routes; My day shows it ---------------------------------------


def test_a_priority_flag_from_the_patients_pages_reroutes_and_shows_on_my_day(client, make_staff):
    aesthetician = make_staff("Provider", level="aesthetician")
    link, sent = _sent(days_ahead=0.5)  # the consultation within the attention hours
    assert sent.assigned_provider.user == aesthetician
    physician = make_staff("Provider", level="physician")
    run_queued_tasks()
    mail.outbox.clear()

    _amend_pregnancy(link)

    sent.refresh_from_db()
    assert sent.assigned_provider.user == physician and not sent.reviewed
    assert sent.flags.get(code="PREGNANT").severity == "priority"
    assert AuditEvent.objects.filter(submission=sent, action=AuditEvent.Action.ASSIGNED).exists()
    run_queued_tasks()
    (message,) = _changed_emails()
    assert message.to == [physician.email]  # the provider it was routed to, not the earlier one

    client.force_login(physician)
    day = client.get(reverse("admin:screening_submission_my_day")).content.decode()
    attention = re.search(r'<section class="attention".*?</section>', day, re.S)
    assert attention is not None and sent.reference in attention.group(0)
    assert "Priority flag, not reviewed" in attention.group(0)


# --- 4. After re-confirming on their own device, other answers can be changed -----------------


def _due_through_the_link(client, username: str) -> Submission:
    """A submission due for re-confirmation, its reminder's link opened on this device."""
    from screening.invitations.service import invitation_create
    from tests.patient.test_check_in import due_submission

    sent = due_submission()
    created = invitation_create(
        actor=factories.staff_user("Front desk", username=username),
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=sent.appointment_at,
    )
    created.invitation.submission = sent
    created.invitation.save()
    client.get(created.link[created.link.index("/i/") :])
    return sent


def _reconfirmed_through_the_link(client):
    from tests.patient.test_check_in import ALL_STILL_TRUE, BIRTH

    sent = _due_through_the_link(client, "desk3")
    client.post(reverse("screening:check_in"), BIRTH)
    done = client.post(reverse("screening:check_in_answers"), ALL_STILL_TRUE)
    return sent, client.get(done["Location"]).content.decode()


def test_the_done_page_offers_other_changes_behind_the_date_of_birth(client):
    sent, done = _reconfirmed_through_the_link(client)
    assert "Change my answers" in done and "/change/" in done
    gate = client.get("/change/").content.decode()
    assert "Date of birth" in gate and "pregnancy_status" not in gate  # nothing before the date
    wrong = {"date_of_birth_day": "18", "date_of_birth_month": "5", "date_of_birth_year": "1980"}
    assert "doesn&#x27;t match" in client.post("/change/", wrong).content.decode()
    right = {**wrong, "date_of_birth_day": "17"}
    assert client.post("/change/", right)["Location"] == "/change/"
    assert "/change/health/" in client.get("/change/").content.decode()
    sent.refresh_from_db()
    assert sent.amend_birth_date_failures == 0


def test_the_tablets_done_page_offers_nothing(client):
    from tests.patient.test_check_in import ALL_STILL_TRUE, BIRTH, due_submission, open_tablet

    sent = due_submission()
    open_tablet(client, factories.staff_user("Front desk", username="desk4"), sent)
    client.post(reverse("screening:check_in"), BIRTH)
    done = client.post(reverse("screening:check_in_answers"), ALL_STILL_TRUE)
    page = client.get(done["Location"]).content.decode()
    assert "hand the tablet back" in page and "Change my answers" not in page
    assert client.get("/change/").status_code == 410


def test_a_locked_re_confirmation_link_sends_the_patient_to_the_front_desk(client):
    from tests.patient.test_check_in import WRONG

    _due_through_the_link(client, "desk5")
    for _ in range(settings.SCREENING_RESUME_MAX_FAILURES):
        last = client.post(reverse("screening:check_in"), WRONG)
    assert last.status_code == 403
    # Where the patient can be unlocked: the front desk's "Start check-in" (test_check_in.py).
    assert "check in at the front desk" in last.content.decode()
