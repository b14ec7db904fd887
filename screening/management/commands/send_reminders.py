"""Queue the reminders that are due (SCREENING_REMINDER_HOURS), and the re-screen invitations
whose email was waiting for SCREENING_RESCREEN_LEAD_DAYS before the appointment; run it every 15
minutes or so. Answered invitations due for re-confirmation get theirs too
(screening.visits.reconfirm_reminders).

python manage.py send_reminders
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.invitations.reminders import send_due_reminders
from screening.invitations.rescreen import send_due_rescreen_invitations
from screening.visits.reconfirm_reminders import send_reconfirm_reminders


class Command(BaseCommand):
    help = "Queue the reminder emails of invitations not yet answered that are due now."

    def handle(self, *args, **options):
        now = timezone.now()
        # The invitations first: one that goes now marks the reminder hours already past done.
        invited = send_due_rescreen_invitations(now=now)
        count = send_due_reminders(now=now)
        reconfirm = send_reconfirm_reminders(now=now)
        self.stdout.write(f"re-screen invitations queued: {invited}")
        self.stdout.write(f"reminders queued: {count}")
        self.stdout.write(f"re-confirmation reminders queued: {reconfirm}")
