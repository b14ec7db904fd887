"""Every submission reaches a qualified provider, or is visibly unassigned and announced."""

from datetime import date

import pytest
from django.core import mail

from screening.models import AuditEvent, Submission
from tests import factories
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

PRIORITY = {"cold_sore_now": "yes"}  # HSV_ACTIVE


def test_a_priority_submission_goes_to_a_provider_qualified_for_priority_flags(
    make_staff, submit_answers
):
    make_staff("Provider", level="aesthetician")
    doctor = make_staff("Provider", level="physician")
    submission = submit_answers(**PRIORITY)
    assert submission.priority_count >= 1
    assert submission.assigned_provider.user == doctor


def test_a_submission_without_priority_flags_may_go_to_any_active_provider(
    make_staff, submit_answers
):
    aesthetician = make_staff("Provider", level="aesthetician")
    submission = submit_answers()
    assert submission.top_severity_rank < 2
    assert submission.assigned_provider.user == aesthetician


def test_the_provider_with_fewest_open_submissions_is_chosen(make_staff, submit_answers):
    first = make_staff("Provider", level="physician")
    second = make_staff("Provider", level="physician")
    assignees = [submit_answers().assigned_provider.user for _ in range(4)]
    assert assignees == [first, second, first, second]


def test_decided_submissions_do_not_count_as_open(make_staff, submit_answers):
    first = make_staff("Provider", level="physician")
    second = make_staff("Provider", level="physician")
    done = submit_answers()
    assert done.assigned_provider.user == first
    Submission.objects.filter(pk=done.pk).update(status=Submission.Status.DECIDED)
    assert submit_answers().assigned_provider.user == first
    assert submit_answers().assigned_provider.user == second


def test_inactive_providers_are_skipped(make_staff, submit_answers):
    make_staff("Provider", level="physician", is_active=False)
    active = make_staff("Provider", level="physician")
    assert submit_answers().assigned_provider.user == active


def test_the_priority_levels_are_a_setting(make_staff, submit_answers, settings):
    settings.SCREENING_PRIORITY_REVIEW_LEVELS = ["aesthetician"]
    make_staff("Provider", level="physician")
    aesthetician = make_staff("Provider", level="aesthetician")
    assert submit_answers(**PRIORITY).assigned_provider.user == aesthetician


def test_with_no_eligible_provider_it_saves_unassigned_and_emails_the_fallback(
    make_staff, submit_answers, settings
):
    settings.SCREENING_FALLBACK_EMAIL = "lead@clinic.example"
    make_staff("Provider", level="aesthetician")  # not qualified for priority flags
    submission = submit_answers(**PRIORITY)
    run_queued_tasks()  # email goes out through the task queue, after the commit
    assert submission.pk is not None
    assert submission.assigned_provider is None
    assert [message.to for message in mail.outbox] == [["lead@clinic.example"]]
    assert submission.reference in mail.outbox[0].body
    assert AuditEvent.objects.filter(submission=submission, action="submitted").exists()


def test_the_assigned_provider_is_emailed_a_reference_link_and_flag_summary(
    make_staff, submit_answers
):
    doctor = make_staff("Provider", level="physician")
    submission = submit_answers(**PRIORITY)
    run_queued_tasks()  # email goes out through the task queue, after the commit
    (message,) = mail.outbox
    assert message.to == [doctor.email]
    assert submission.reference in message.subject
    assert f"/staff/screening/submission/{submission.pk}/change/" in message.body
    assert "top severity: priority" in message.body


MARKERS = {
    "first_name": "Zqxfirst",
    "last_name": "Zqxlast",
    "email": "zqx@example.com",
    "phone": "555 010 9876",
    "anything_else_text": "Zqxfreetext",
    "current_medications_text": "Zqxmedication",
    "cold_sore_now": "yes",
    "pregnancy_status": "pregnant",
}


def test_no_email_carries_a_name_answers_or_health_data(make_staff, submit_answers):
    make_staff("Provider", level="physician")
    submit_answers(**MARKERS)
    run_queued_tasks()  # email goes out through the task queue, after the commit
    (message,) = mail.outbox
    text = f"{message.subject}\n{message.body}".lower()
    for marker in ("zqx", "555 010 9876", "pregnan", "cold sore", "hsv", "answers"):
        assert marker not in text


def test_the_answers_changed_email_carries_no_name_answer_or_flag(make_staff, submit_answers):
    from screening.models import Amendment
    from screening.visits.amendments import amend_answers

    make_staff("Provider", level="physician")
    submission = submit_answers(**MARKERS)
    run_queued_tasks()
    mail.outbox.clear()
    amend_answers(
        submission,
        {"current_medications_text": "Zqxnewmedicine", "skin_history": ["keloid"]},
        source=Amendment.Source.PATIENT,
    )
    run_queued_tasks()
    (message,) = mail.outbox
    assert submission.reference in message.subject
    text = f"{message.subject}\n{message.body}".lower()
    for marker in ("zqx", "555 010 9876", "pregnan", "keloid", "medicine", "flag", "priority"):
        assert marker not in text


def test_a_mail_failure_never_reaches_the_patient(make_staff, submit_answers, settings):
    settings.EMAIL_BACKEND = "tests.staff.test_routing.BrokenBackend"
    make_staff("Provider", level="physician")
    submission = submit_answers()
    run_queued_tasks()  # email goes out through the task queue, after the commit
    assert Submission.objects.filter(pk=submission.pk).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_a_re_screen_with_a_new_priority_flag_goes_to_a_provider_qualified_for_it(make_staff):
    # The first form had no priority flag and went to the aesthetician; a scar after session 1
    # (POST_TREATMENT_SCARRING, priority) sends the re-screen to the physician.
    aesthetician = make_staff("Provider", level="aesthetician")
    first = factories.submission(today=date(2026, 10, 1))
    assert first.assigned_provider.user == aesthetician
    doctor = make_staff("Provider", level="physician")
    again = factories.rescreen_submission(
        first,
        {
            "last_session_problems": ["scar"],
            "last_session_still_now": "yes",
            "last_session_seen_for_it": "no",
        },
        treatment_date=date(2026, 10, 8),
    )
    assert again.flags.filter(code="POST_TREATMENT_SCARRING").exists()
    assert again.priority_count >= 1
    assert again.assigned_provider.user == doctor
