"""The audit trail's retention under a split of database roles (PostgreSQL).

In the deployment docs/security-database.md describes, a migration role owns the tables and the
app runs as a runtime role that may only SELECT and INSERT audit events: it cannot delete,
update or truncate them, nor disable the trigger (only an owner can). Pruning events past their
retention is then done by `screening_audit_prune(days)`, a SECURITY DEFINER function owned by
the migration role: it deletes only rows older than `days` and refuses fewer than
MINIMUM_DAYS, so the runtime role (or whoever takes it over) cannot empty the trail through it.

The append-only trigger (0004) lets a DELETE through only for rows older than the instant the
function announces for its own statement (a transaction-local setting); every other DELETE,
UPDATE and TRUNCATE is refused as before.
"""

from django.db import migrations

# Six years: the shortest time audit records of health data are commonly required to be kept.
# Frozen here: a change is a new migration (screening.records.audit_retention reads this value).
MINIMUM_DAYS = 2190

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION screening_auditevent_append_only() RETURNS trigger AS $$
DECLARE
    prune_before text := coalesce(current_setting('screening.audit_prune_before', true), '');
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('screening.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' AND prune_before <> '' AND OLD.at < prune_before::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'screening_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PRUNE = f"""
CREATE OR REPLACE FUNCTION screening_audit_prune(retention_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    cutoff timestamptz;
    pruned bigint;
BEGIN
    IF retention_days IS NULL OR retention_days < {MINIMUM_DAYS} THEN
        RAISE EXCEPTION 'audit events are kept at least {MINIMUM_DAYS} days'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    cutoff := now() - make_interval(days => retention_days);
    PERFORM set_config('screening.audit_prune_before', cutoff::text, true);
    DELETE FROM screening_auditevent WHERE at < cutoff;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    PERFORM set_config('screening.audit_prune_before', '', true);
    RETURN pruned;
END;
$$;
REVOKE ALL ON FUNCTION screening_audit_prune(integer) FROM PUBLIC;
"""

PREVIOUS_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION screening_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('screening.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'screening_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS screening_audit_prune(integer);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY + PRUNE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS_APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0014_queue_plain_order"),
    ]

    operations = [migrations.RunPython(forward, backward)]
