"""Recover tasks whose worker stopped mid-task; run it every 5 minutes or so, like send_reminders.

python manage.py recover_tasks [--lease-seconds N]

A worker killed (SIGKILL, out of memory, a host restart) while it ran a task leaves the task
RUNNING for ever. A task RUNNING for longer than SCREENING_TASK_LEASE_MINUTES is failed, and
its email is queued again (each audited); the email's send-once record decides whether the new
attempt may send it (screening.mail.dispatch).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.mail.tasks import recover_stale_tasks


class Command(BaseCommand):
    help = "Fail tasks whose worker stopped mid-task and queue their emails again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease-seconds",
            type=float,
            default=None,
            help="how long a task may run before its worker counts as gone "
            "(default: SCREENING_TASK_LEASE_MINUTES)",
        )

    def handle(self, *args, lease_seconds=None, **options):
        lease = (
            timedelta(seconds=lease_seconds)
            if lease_seconds is not None
            else timedelta(minutes=settings.SCREENING_TASK_LEASE_MINUTES)
        )
        count = recover_stale_tasks(now=timezone.now(), lease=lease)
        self.stdout.write(f"tasks recovered: {count}")
