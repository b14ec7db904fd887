"""A real PostgreSQL refusal of a row reaches no log line and no error email with its data.

PostgreSQL quotes a refused row whole (`DETAIL: Failing row contains (...)`): name, email,
phone, answers. A CHECK constraint added inside the test makes the database refuse the patient's
submission (or its flags) for real; the submit goes through the real view in production mode.
"""

import io
import logging

import pytest
from django.core import mail
from django.db import connection

from screening.models import Submission
from tests.factories import many_followups_answers
from tests.patient_steps import SIGNED, answer_all_steps

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")

MARKER = "Qvwmarker"
PATIENT = many_followups_answers(
    first_name=MARKER,
    last_name=f"{MARKER}son",
    email=f"{MARKER.lower()}@example.com",
    phone="+1 555 010 7788",
    anything_else_text=f"{MARKER} notes",
    isotretinoin_ever="yes",
    isotretinoin_current="no",
    isotretinoin_last_dose="2026-08",
)
# What the flag row quotes of the patient's answers (its reason and its questions).
FLAG_QUOTE = "August 2026"


@pytest.fixture
def production_logging(settings, caplog):
    """DEBUG off, errors emailed to the admins, the console handler's output captured."""
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@clinic.example")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caplog.set_level(logging.DEBUG)
    console = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    output = io.StringIO()
    previous = console.setStream(output)
    yield caplog, output
    console.setStream(previous)


def refuse_rows(table: str, condition: str):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT test_refuses CHECK ({condition})")


def submit_and_collect(client, production_logging):
    caplog, console = production_logging
    answer_all_steps(client, PATIENT)
    client.raise_request_exception = False
    response = client.post("/review/", SIGNED)
    texts = [console.getvalue()]
    for record in caplog.records:
        texts.append(logging.Formatter("%(name)s %(message)s").format(record))
        texts.append(repr(vars(record)))
    for message in mail.outbox:
        texts += [message.subject, message.body]
        texts += [content for content, _ in getattr(message, "alternatives", [])]
    return response, "\n".join(texts)


def assert_nothing_of_the_patient_in(everything: str, *quotes: str):
    for text in (MARKER, MARKER.lower(), "010 7788", "Failing row", *quotes):
        assert text.lower() not in everything.lower(), text


@pytest.mark.postgres
@pytest.mark.django_db
@on_postgresql
def test_a_refused_submission_row_is_in_no_log_and_no_email(client, production_logging):
    refuse_rows("screening_submission", f"first_name <> '{MARKER}'")
    response, everything = submit_and_collect(client, production_logging)
    assert response.status_code == 500
    assert not Submission.objects.exists()
    assert len(mail.outbox) == 1  # the error email was sent: the check below is not vacuous
    body = mail.outbox[0].body
    assert "IntegrityError" in body  # the type stays
    assert 'File "' in body and "submission_create" in body  # and where it happened
    assert "Internal Server Error: /review/" in everything
    assert "IntegrityError" in production_logging[1].getvalue()  # the console has it too
    assert_nothing_of_the_patient_in(everything)


@pytest.mark.postgres
@pytest.mark.django_db
@on_postgresql
def test_a_refused_flag_row_is_in_no_log_and_no_email(client, production_logging):
    refuse_rows("screening_flag", "code <> 'ISO_WITHIN_6M'")
    response, everything = submit_and_collect(client, production_logging)
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert "IntegrityError" in mail.outbox[0].body
    assert_nothing_of_the_patient_in(everything, FLAG_QUOTE)


# --- The filter itself, on any database ----------------------------------------------------------


def test_every_configured_handler_carries_the_filter():
    from django.conf import settings

    for name, handler in settings.LOGGING["handlers"].items():
        assert "strip_exception_details" in handler.get("filters", []), name
    django_logger = logging.getLogger("django")
    assert django_logger.handlers, "Django's default handlers were not replaced"
    for handler in [*django_logger.handlers, *logging.getLogger().handlers]:
        if type(handler).__module__.startswith(("logging", "django")):
            assert any(type(f).__name__ == "StripExceptionDetails" for f in handler.filters)


def test_exceptions_as_arguments_and_detail_lines_in_messages_are_stripped():
    from clinic.logging_filters import StripExceptionDetails

    error = ValueError(f"Failing row contains ({MARKER}, ...)")
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "saving failed: %s", (error,), None)
    StripExceptionDetails().filter(record)
    assert record.getMessage() == "saving failed: ValueError"
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        f"refused\nDETAIL:  Failing row contains ({MARKER})",
        (),
        None,
    )
    StripExceptionDetails().filter(record)
    assert MARKER not in record.getMessage()
    try:
        raise KeyError(MARKER)
    except KeyError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    StripExceptionDetails().filter(record)
    formatted = logging.Formatter().format(record)
    assert "KeyError" in formatted and "test_no_phi_in_database_errors.py" in formatted
    assert MARKER not in formatted
