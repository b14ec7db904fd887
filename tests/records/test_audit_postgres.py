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


# --- the split of roles: the app's runtime role cannot switch the trail off ----------------------

RUNTIME_ROLE = "screening_runtime_test"


def _insert_event(cursor, *, at: str, detail: str) -> None:
    # As the owner, before the role is taken: `at` is set by the database only through SQL.
    cursor.execute(
        "INSERT INTO screening_auditevent (action, detail, at) VALUES ('viewed', %s, %s)",
        [detail, at],
    )


@pytest.fixture
def as_runtime_role(db):
    """The test's connection switched to a runtime role granted by the app's own statements;
    CREATE ROLE is transactional, so the test's rollback removes it."""
    from screening.records.audit_retention import grant_runtime_role

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {RUNTIME_ROLE} NOLOGIN")
        grant_runtime_role(RUNTIME_ROLE)
        _insert_event(cursor, at="2015-01-01T00:00:00Z", detail="long past retention")
        _insert_event(cursor, at="2025-06-01T00:00:00Z", detail="within retention")
        cursor.execute(f"SET ROLE {RUNTIME_ROLE}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE screening_auditevent",
        "ALTER TABLE screening_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER screening_auditevent_no_update_delete ON screening_auditevent",
        "DELETE FROM screening_auditevent",
        "UPDATE screening_auditevent SET detail = 'rewritten'",
        "SELECT screening_audit_prune(1)",  # below the minimum the function insists on
    ],
)
def test_the_runtime_role_cannot_switch_the_trail_off(as_runtime_role, statement):
    cursor = as_runtime_role
    cursor.execute("SET LOCAL screening.allow_audit_truncate = 'on'")  # no help to it
    cursor.execute("SELECT set_config('screening.audit_prune_before', 'infinity', true)")
    refused = r"permission denied|must be owner|kept at least"
    with pytest.raises(DatabaseError, match=refused), transaction.atomic():
        cursor.execute(statement)
    cursor.execute("SELECT count(*) FROM screening_auditevent")
    assert cursor.fetchone() == (2,)


def test_the_runtime_role_appends_to_the_trail(as_runtime_role):
    from screening.records import audit

    audit.record(action="viewed", detail="as the runtime role")
    assert AuditEvent.objects.filter(detail="as the runtime role").exists()


def test_purge_expired_prunes_past_retention_as_the_runtime_role(as_runtime_role, settings):
    from django.core.management import call_command

    settings.SCREENING_AUDIT_RETENTION_DAYS = 2190
    settings.SCREENING_RETENTION_DAYS = 30
    call_command("purge_expired")  # every purge, with only the runtime role's privileges
    details = set(AuditEvent.objects.values_list("detail", flat=True))
    assert "long past retention" not in details
    assert "within retention" in details
    assert "audit trail: 1 events older than 2190 days deleted" in details


def test_the_deploy_check_warns_when_the_app_owns_the_trail():
    from screening.checks import audit_table_role_check

    [warning] = audit_table_role_check(databases=["default"])  # the suite runs as the owner
    assert warning.id == "screening.W021" and "owns it" in warning.msg


def test_the_deploy_check_is_quiet_for_a_runtime_role(as_runtime_role):
    from screening.checks import audit_table_role_check

    assert audit_table_role_check(databases=["default"]) == []
