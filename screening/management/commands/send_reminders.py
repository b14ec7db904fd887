"""Queue the reminders that are due (SCREENING_REMINDER_HOURS); run it every 15 minutes or so.
Answered invitations due for re-confirmation get theirs too (screening.visits.reconfirm_reminders).

python manage.py send_reminders
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.invitations.reminders import send_due_reminders
from screening.visits.reconfirm_reminders import send_reconfirm_reminders


class Command(BaseCommand):
    help = "Queue the reminder emails of invitations not yet answered that are due now."

    def handle(self, *args, **options):
        now = timezone.now()
        count = send_due_reminders(now=now)
        reconfirm = send_reconfirm_reminders(now=now)
        self.stdout.write(f"reminders queued: {count}")
        self.stdout.write(f"re-confirmation reminders queued: {reconfirm}")
