"""Queue the reminders that are due (SCREENING_REMINDER_HOURS); run it every 15 minutes or so.

python manage.py send_reminders
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.invitations.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Queue the reminder emails of invitations not yet answered that are due now."

    def handle(self, *args, **options):
        count = send_due_reminders(now=timezone.now())
        self.stdout.write(f"reminders queued: {count}")
