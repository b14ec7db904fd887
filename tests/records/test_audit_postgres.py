"""On PostgreSQL the audit trail is append-only in the database itself (migration 0003)."""

import pytest
from django.db import DatabaseError, connection, transaction

from screening.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def event(submit_answers):
    submit_answers()
    return AuditEvent.objects.get(action="submitted")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE screening_auditevent SET detail = 'rewritten'",
        "DELETE FROM screening_auditevent",
    ],
)
def test_the_database_refuses_to_rewrite_the_trail(event, statement):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL screening.allow_audit_truncate = 'off'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(statement)
        cursor.execute("SELECT count(*), min(detail) FROM screening_auditevent")
        assert cursor.fetchone() == (1, event.detail)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "statement", ["TRUNCATE screening_auditevent", "TRUNCATE screening_auditevent CASCADE"]
)
def test_the_database_refuses_to_truncate_the_trail(event, statement):
    # Committed rows (a truncate in the inserting transaction fails for another reason).
    with connection.cursor() as cursor:
        cursor.execute("SET screening.allow_audit_truncate = 'off'")
        try:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(statement)
        finally:
            cursor.execute("SET screening.allow_audit_truncate = 'on'")  # the test flush
        cursor.execute("SELECT count(*) FROM screening_auditevent")
        assert cursor.fetchone() == (1,)


def test_purge_expired_still_works_with_the_trigger(settings, event):
    from django.core.management import call_command

    from screening.models import Submission

    settings.SCREENING_RETENTION_DAYS = 1
    Submission.objects.update(submitted_at="2020-01-01T00:00:00Z")
    call_command("purge_expired")
    submission = Submission.objects.get()
    assert submission.erased_at is not None and submission.answers == {}
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"submitted", "purged"}
