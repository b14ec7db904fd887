"""The audit trail is append-only in the database itself (PostgreSQL): a trigger refuses every
UPDATE, DELETE and TRUNCATE of screening_auditevent, whatever the client (the app's
QuerySet, a psql session, a buggy script).

Retention is unaffected: purge_expired erases answers and contact columns of submissions and
*inserts* audit events; submissions are never deleted (AuditEvent.submission is PROTECT).
TRUNCATE is let through only in a session that set `screening.allow_audit_truncate = on`,
which the test suite does for its flush between tests; an operator who really must empty the
table does it knowingly the same way.
"""

from django.db import migrations, models

APPEND_ONLY = """
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

CREATE TRIGGER screening_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON screening_auditevent
    FOR EACH ROW EXECUTE FUNCTION screening_auditevent_append_only();

CREATE TRIGGER screening_auditevent_no_truncate
    BEFORE TRUNCATE ON screening_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION screening_auditevent_append_only();
"""

REMOVE_APPEND_ONLY = """
DROP TRIGGER IF EXISTS screening_auditevent_no_truncate ON screening_auditevent;
DROP TRIGGER IF EXISTS screening_auditevent_no_update_delete ON screening_auditevent;
DROP FUNCTION IF EXISTS screening_auditevent_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def remove_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE_APPEND_ONLY, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0003_auditevent_signed_in'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('viewed', 'Viewed'), ('changed', 'Changed'), ('assigned', 'Assigned'), ('acknowledged', 'Acknowledged flag'), ('decided', 'Decided'), ('exported', 'Exported'), ('printed', 'Printed'), ('purged', 'Purged'), ('submitted', 'Submitted'), ('login_failed', 'Login failed'), ('signed_in', 'Signed in'), ('refused', 'Refused access'), ('decision_opened', 'Opened the decision page'), ('searched', 'Searched or filtered the queue'), ('account_added', 'Staff account added'), ('account_changed', 'Staff account changed'), ('roles_changed', 'Roles changed'), ('password_reset', 'Password reset link sent'), ('password_set', 'Password chosen by reset link'), ('provider_changed', 'Provider record changed')], max_length=16),
        ),
        migrations.RunPython(append_only, remove_append_only),
    ]
