"""Make a PostgreSQL role the app's runtime role: run by the migration role after `migrate`.

    python manage.py grant_runtime_role screening_app [--print]

The runtime role reads and writes the app's tables but only reads and appends audit events; it
prunes them only through `screening_audit_prune` (docs/security-database.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from screening.records import audit_retention


class Command(BaseCommand):
    help = "Grant a PostgreSQL role what the app needs at runtime, and no more on the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--print", action="store_true", help="print the SQL, run nothing")

    def handle(self, *args, role, print, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's: nothing to grant on SQLite.")
        if print:
            statements = audit_retention.runtime_role_statements(role)
        else:
            statements = audit_retention.grant_runtime_role(role)
        for statement in statements:
            self.stdout.write(f"{statement};")
