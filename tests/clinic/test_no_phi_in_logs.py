"""Health data never reaches a log record or an error email, even when a submission fails."""

import logging
from unittest import mock

import pytest
from django.conf import settings as project_settings
from django.core import mail

from screening.models import Submission
from screening.questionnaire import current
from tests.factories import many_followups_answers
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, start, step_url

pytestmark = pytest.mark.django_db

MARKER = "Zqxmarker"
PATIENT = many_followups_answers(
    first_name=MARKER,
    last_name=f"{MARKER}son",
    email=f"{MARKER.lower()}@example.com",
    anything_else_text=f"{MARKER} notes",
)
FORMATTER = logging.Formatter("%(name)s %(levelname)s %(message)s")


@pytest.fixture
def production_errors(settings, caplog):
    """DEBUG off, admins to email, and every log record at DEBUG captured."""
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@clinic.example")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.security", "screening", "throttle"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _assert_marker_nowhere(caplog):
    for record in caplog.records:
        formatted = FORMATTER.format(record)
        assert MARKER.lower() not in formatted.lower(), formatted
        assert MARKER.lower() not in repr(vars(record)).lower(), record.name
    for message in mail.outbox:
        parts = [
            message.subject,
            message.body,
            *(content for content, _ in getattr(message, "alternatives", [])),
        ]
        assert all(MARKER.lower() not in str(part).lower() for part in parts), message.subject


def test_a_failing_submission_logs_and_emails_no_answer(client, production_errors):
    answer_all_steps(client, PATIENT)
    client.raise_request_exception = False
    with mock.patch(
        "screening.patient.views.submission_create",
        side_effect=RuntimeError("the database went away"),
    ):
        response = client.post("/review/", SIGNED)
    assert response.status_code == 500
    assert Submission.objects.count() == 0
    assert any(record.levelno >= logging.ERROR for record in production_errors.records)
    assert len(mail.outbox) == 1  # the error report was sent: the check below is not vacuous
    # The exception's type and where it happened stay; its message (which may quote a row) goes.
    assert "RuntimeError" in mail.outbox[0].body
    assert "the database went away" not in mail.outbox[0].body
    _assert_marker_nowhere(production_errors)


def test_a_failing_step_logs_and_emails_no_posted_answer(client, production_errors):
    start(client)
    client.raise_request_exception = False
    with mock.patch("screening.patient.views.validate_answers", side_effect=RuntimeError("broken")):
        response = client.post(
            step_url(current().first_visit_sections[0]),
            {**post_data_for(current().first_visit_sections[0], PATIENT), "nav": "next"},
        )
    assert response.status_code == 500
    body = mail.outbox[0].body
    # sensitive_post_parameters: the keys are listed, every value starred out.
    assert "first_name = '********************'" in body
    _assert_marker_nowhere(production_errors)


def test_the_whole_path_and_every_refusal_log_no_answer(client, production_errors, settings):
    settings.SCREENING_RATE_LIMIT_BURST = len(current().first_visit_sections) + 4
    answer_all_steps(client, PATIENT)
    client.post(
        step_url(current().first_visit_sections[0]),
        {"first_name": MARKER, "email": "bad", "nav": "next"},
    )
    client.post(
        step_url(current().first_visit_sections[0]), {"first_name": MARKER + "\x00", "nav": "next"}
    )
    client.post("/thank-you/", {"first_name": MARKER})  # 405
    client.post("/review/", SIGNED)
    for _ in range(3):  # over the limit: 429s
        client.post(
            step_url(current().first_visit_sections[0]), {"first_name": MARKER, "nav": "next"}
        )
    client.post("/start/", {"first_name": MARKER}, HTTP_X_FORWARDED_FOR=MARKER)
    from django.test import Client

    Client(enforce_csrf_checks=True).post("/review/", {"first_name": MARKER})  # 403
    client.post("/review/", data=MARKER * 30_000, content_type="text/plain")  # 413
    assert Submission.objects.count() == 1
    assert {"django.request", "django.security.csrf"} <= {r.name for r in production_errors.records}
    _assert_marker_nowhere(production_errors)


def test_sql_is_never_logged_even_in_debug_at_debug_level(client, settings, caplog):
    # In debug, Django logs every SQL statement with its parameters (the answers) at DEBUG.
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    answer_all_steps(client, PATIENT)
    client.post("/review/", SIGNED)
    assert Submission.objects.filter(first_name=MARKER).exists()
    assert not any(record.name == "django.db.backends" for record in caplog.records)
    _assert_marker_nowhere(caplog)


def test_the_logging_config_has_no_handler_or_format_that_could_write_a_body():
    config = project_settings.LOGGING
    for handler in config.get("handlers", {}).values():
        assert handler["class"] in {
            "logging.StreamHandler",
            "logging.NullHandler",
            "django.utils.log.AdminEmailHandler",
        }, handler
        assert handler.get("include_html") in (None, False)  # no local variables in emails
    for formatter in config.get("formatters", {}).values():
        assert "request" not in str(formatter) and "body" not in str(formatter)
    for name in ("django.db.backends", "django.template"):
        assert config["loggers"][name]["level"] != "DEBUG", name
