"""A patient changes answers after sending, through their link: the date of birth first, a
section's step prefilled, the review of what changes, a neutral confirmation; never a flag;
only until the appointment (with none, until a provider's decision)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from screening.models import Amendment, AuditEvent, Decision, Submission
from screening.questionnaire import current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, step_url

pytestmark = pytest.mark.django_db

ANSWERS = full_answers(date_of_birth="1984-03-27")
DOB = {"date_of_birth_day": "27", "date_of_birth_month": "3", "date_of_birth_year": "1984"}


def _health():
    return current().sections_by_key["health"]


def _sent_through_invitation(**invite_options):
    link = invite(**invite_options)
    patient = Client()
    patient.get(link)
    for section in current().first_visit_sections:
        response = patient.post(
            step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"}
        )
        assert response.status_code == 302, section.key
    assert patient.post("/review/", SIGNED)["Location"] == "/thank-you/"
    return link, Submission.objects.get()


def _confirmed(link) -> Client:
    device = Client()
    page = device.get(link).content.decode()
    assert "Change my answers" in page
    assert device.post("/change/", DOB)["Location"] == "/change/"
    return device


def _health_post(**changes):
    return {**post_data_for(_health(), {**ANSWERS, **changes}), "nav": "next"}


def test_a_patient_changes_an_answer_and_the_original_stays():
    link, sent = _sent_through_invitation()
    device = _confirmed(link)

    sections = device.get("/change/").content.decode()
    assert "/change/health/" in sections and "/change/about-you/" not in sections
    assert "/change/since-your-last-visit/" not in sections  # a re-screen's own section
    step = device.get("/change/health/").content.decode()
    assert re.search(
        rf'name="pregnancy_status" value="{ANSWERS["pregnancy_status"]}" id="\w+" checked', step
    )

    assert (
        device.post("/change/health/", _health_post(pregnancy_status="pregnant"))["Location"]
        == "/change/review/"
    )
    review = device.get("/change/review/").content.decode()
    assert "You answered" in review and "Your answer now" in review
    sent.refresh_from_db()
    assert sent.answers["pregnancy_status"] == ANSWERS["pregnancy_status"]  # not before Send

    assert device.post("/change/review/", {"nav": "send"})["Location"] == "/change/sent/"
    confirmation = device.get("/change/sent/").content.decode()
    assert "received your changes" in confirmation
    for flag_word in ("PREGNANT", "flag", "Flag", "priority"):
        assert flag_word not in confirmation

    sent.refresh_from_db()
    amendment = Amendment.objects.get()
    assert amendment.source == Amendment.Source.PATIENT and amendment.actor is None
    assert amendment.answers_before["pregnancy_status"] == ANSWERS["pregnancy_status"]
    assert sent.answers["pregnancy_status"] == "pregnant" and sent.answers_version == 2
    assert sent.flags.get(code="PREGNANT").raised_by_amendment == amendment
    actions = set(AuditEvent.objects.filter(submission=sent).values_list("action", flat=True))
    assert {AuditEvent.Action.AMENDED, AuditEvent.Action.VIEWED} <= actions
    views = set(
        AuditEvent.objects.filter(submission=sent, action=AuditEvent.Action.VIEWED).values_list(
            "detail", flat=True
        )
    )
    assert {"patient amending: health", "patient amending: changes"} <= views
    details = AuditEvent.objects.filter(submission=sent).values_list("detail", flat=True)
    assert not [detail for detail in details if "pregnant" in detail]  # the answer, never


def test_the_step_shows_the_error_summary_as_on_the_first_visit():
    link, _ = _sent_through_invitation()
    device = _confirmed(link)
    data = _health_post()
    data.pop("pregnancy_status")
    page = device.post("/change/health/", data)
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert not Amendment.objects.exists()


def test_without_javascript_a_follow_up_is_asked_before_the_step_is_kept():
    link, _ = _sent_through_invitation()
    device = _confirmed(link)
    page = device.post("/change/health/", _health_post(smoking_status="former"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A few more questions about what you chose." in text
    assert "There is a problem" not in text
    assert 'name="asked" value="quit_date"' in text
    data = {**_health_post(smoking_status="former"), "asked": ["quit_date"]}
    data.update({"quit_date_month": "1", "quit_date_year": "2020"})
    assert device.post("/change/health/", data)["Location"] == "/change/review/"


def test_a_wrong_date_of_birth_is_counted_and_locks_at_the_limit():
    link, sent = _sent_through_invitation()
    device = Client()
    device.get(link)
    wrong = {**DOB, "date_of_birth_year": "1985"}
    for _ in range(settings.SCREENING_RESUME_MAX_FAILURES - 1):
        page = device.post("/change/", wrong)
        assert "doesn&#x27;t match" in page.content.decode()
    assert device.post("/change/", wrong).status_code == 403
    sent.refresh_from_db()
    assert sent.amend_locked_at is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED, submission=sent).exists()
    assert "Change my answers" not in Client().get(link).content.decode()


def test_nothing_to_change_after_the_appointment():
    link, sent = _sent_through_invitation()
    device = _confirmed(link)
    Submission.objects.filter(pk=sent.pk).update(
        appointment_at=timezone.now() - timedelta(minutes=1)
    )
    assert device.get("/change/health/")["Location"] == "/change/"
    assert device.get("/change/").status_code == 410
    assert "Change my answers" not in Client().get(link).content.decode()


def test_without_an_appointment_a_decision_closes_it(make_staff):
    link, sent = _sent_through_invitation()
    Submission.objects.filter(pk=sent.pk).update(appointment_at=None)
    assert "Change my answers" in Client().get(link).content.decode()
    doctor = make_staff("Provider", level="physician")
    Decision.objects.create(
        submission=sent, provider=doctor.provider, outcome="proceed", modality="non_ablative"
    )
    assert "Change my answers" not in Client().get(link).content.decode()


def test_the_urls_hold_no_answers_and_a_fresh_device_reaches_nothing():
    _ = _sent_through_invitation()
    stranger = Client()
    assert stranger.get("/change/").status_code == 410
    assert stranger.get("/change/health/")["Location"] == "/change/"
    assert stranger.get("/change/review/")["Location"] == "/change/"
    assert stranger.get("/change/sent/").status_code == 404


def test_stop_without_sending_changes_nothing():
    link, sent = _sent_through_invitation()
    device = _confirmed(link)
    device.post("/change/health/", _health_post(pregnancy_status="pregnant"))
    page = device.post("/change/review/", {"nav": "cancel"})
    assert "Nothing was changed" in page.content.decode()
    sent.refresh_from_db()
    assert sent.answers_version == 1 and not Amendment.objects.exists()


def test_in_spanish():
    link, _ = _sent_through_invitation()
    device = _confirmed(link)
    device.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "Cambiar sus respuestas" in device.get("/change/").content.decode()
    device.post("/change/health/", _health_post(pregnancy_status="pregnant"))
    assert "Revise sus cambios" in device.get("/change/review/").content.decode()


def test_a_walk_ins_resume_link_after_sending_offers_the_change_too(client):
    from django.core import mail

    from tests.patient_steps import start
    from tests.task_queue import run_queued_tasks

    start(client)
    for section in current().first_visit_sections[:2]:
        client.post(step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"})
    client.post("/save/", {"email": "me@example.org"})
    run_queued_tasks()
    body = mail.outbox[-1].body
    link = body[body.index("/r/") :].split()[0]
    for section in current().first_visit_sections[2:]:
        client.post(step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"})
    client.post("/review/", SIGNED)
    sent = Submission.objects.get()
    Submission.objects.filter(pk=sent.pk).update(appointment_at=None)
    device = Client()
    assert "Change my answers" in device.get(link).content.decode()
    assert device.post("/change/", DOB)["Location"] == "/change/"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LINK_OPENED, submission=sent).exists()


def test_the_language_switch_keeps_what_is_typed():
    link, _ = _sent_through_invitation()
    device = _confirmed(link)
    switched = device.post(
        "/change/health/", {**_health_post(pregnancy_status="pregnant"), "nav": "language-es"}
    )
    assert switched["Location"] == "/change/health/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = device.get("/change/health/").content.decode()
    assert 'lang="es"' in page
    assert re.search(r'name="pregnancy_status" value="pregnant" id="\w+" checked', page)


def test_sending_nothing_changed_sends_nothing():
    link, sent = _sent_through_invitation()
    device = _confirmed(link)
    assert device.post("/change/health/", _health_post())["Location"] == "/change/review/"
    assert "You haven't changed any answers." in device.get("/change/review/").content.decode()
    assert device.post("/change/review/", {"nav": "send"})["Location"] == "/change/review/"
    sent.refresh_from_db()
    assert sent.answers_version == 1 and not Amendment.objects.exists()
