"""The audit trail's own retention, and the database roles that keep the app from rewriting it.

`audit_prune` deletes events older than SCREENING_AUDIT_RETENTION_DAYS (unset: kept for ever),
never fewer than MINIMUM_DAYS. On PostgreSQL it asks `screening_audit_prune(days)`, the
SECURITY DEFINER function of migration 0015, so it works when the app's runtime role may not
delete audit events at all; on SQLite (development) it deletes them itself.

`runtime_role_statements(role)` is the SQL that makes `role` the app's runtime role in the
split that docs/security-database.md describes (`manage.py grant_runtime_role ROLE`, run by the
migration role after every `migrate`).
"""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from screening.models import AuditEvent
from screening.records import audit

MINIMUM_DAYS = importlib.import_module(
    "screening.migrations.0015_audit_prune_function"
).MINIMUM_DAYS
AUDIT_TABLE = AuditEvent._meta.db_table


def audit_prune(*, now=None, dry_run: bool = False) -> int:
    """Delete audit events past SCREENING_AUDIT_RETENTION_DAYS; returns how many (would) go."""
    days = settings.SCREENING_AUDIT_RETENTION_DAYS
    if not days:
        return 0
    if days < MINIMUM_DAYS:
        raise ValueError(f"SCREENING_AUDIT_RETENTION_DAYS is at least {MINIMUM_DAYS}.")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    if dry_run:
        return AuditEvent.objects.filter(at__lt=cutoff).count()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT screening_audit_prune(%s)", [days])
            pruned = cursor.fetchone()[0]
        else:  # no trigger and no roles to go around
            cursor.execute(f"DELETE FROM {AUDIT_TABLE} WHERE at < %s", [cutoff])
            pruned = cursor.rowcount
        if pruned:
            audit.record(
                action=AuditEvent.Action.PURGED,
                detail=f"audit trail: {pruned} events older than {days} days deleted",
            )
    return pruned


def runtime_role_statements(role: str) -> list[str]:
    """SQL (PostgreSQL) that lets `role` run the app: read and write every table of the app's
    schema, but only read and append audit events, and prune them through the function."""
    name = connection.ops.quote_name(role)
    schema = connection.ops.quote_name(_schema())
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {name}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {name}",
        f"GRANT EXECUTE ON FUNCTION screening_audit_prune(integer) TO {name}",
    ]


def _schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def grant_runtime_role(role: str) -> list[str]:
    """Apply `runtime_role_statements(role)`; returns them."""
    statements = runtime_role_statements(role)
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements


def audit_table_risks() -> list[str]:
    """What the connected PostgreSQL role may do to the audit trail that the app never needs
    (owning it, deleting, truncating): empty when it runs as a runtime role should."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(c.relowner) = current_user, "
            "has_table_privilege(c.oid, 'DELETE'), has_table_privilege(c.oid, 'TRUNCATE'), "
            "has_table_privilege(c.oid, 'UPDATE') "
            "FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [AUDIT_TABLE],
        )
        row = cursor.fetchone()
    if row is None:
        return []
    owns, delete, truncate, update = row
    names = ("owns it", "may DELETE", "may TRUNCATE", "may UPDATE")
    return [
        name for name, held in zip(names, (owns, delete, truncate, update), strict=True) if held
    ]
