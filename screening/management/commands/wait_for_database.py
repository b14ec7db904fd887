"""`manage.py wait_for_database [--migrated] [--timeout SECONDS]`: wait until the database
answers (and, with --migrated, every migration is applied), then exit 0; exit 1 at the timeout.

The container stack starts its services together: the web container migrates once PostgreSQL
answers, and the worker and scheduler start their loops once the migrations are in. The checks are
/readyz's (clinic.health).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from clinic import health


class Command(BaseCommand):
    help = "Wait until the database answers (and, with --migrated, is fully migrated)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--migrated", action="store_true")
        parser.add_argument("--timeout", type=float, default=120)

    def handle(self, *args, migrated=False, timeout=120, **options):
        deadline = time.monotonic() + timeout
        waiting_for = "the database"
        while True:
            try:
                health._database()
                if not migrated or health._migrations() == "ok":
                    return
                waiting_for = "the migrations"
            except Exception:
                connections.close_all()
            if time.monotonic() > deadline:
                raise CommandError(f"Gave up waiting for {waiting_for} after {timeout:g} s.")
            time.sleep(1)
