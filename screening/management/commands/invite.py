"""Invite a patient to answer before a booked consultation; prints their link last.

    python manage.py invite --first-name ANA --last-name RUIZ --email ana@example.org \\
        --appointment "2026-12-03 10:30" [--mobile ...] [--provider USERNAME] [--language es]

The link is printed (for scripts, tests, or a patient without email) and emailed through the
task queue when there is an address. It is never stored: print it once, hand it to the patient.
"""

from django.core.management.base import BaseCommand, CommandError

from screening.invitations import service as invitations
from screening.invitations.forms import InvitationForm, _provider


class Command(BaseCommand):
    help = "Invite a patient to answer before a consultation; the last line is their link."

    def add_arguments(self, parser):
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--mobile", default="")
        parser.add_argument(
            "--appointment", required=True, help='clinic local time, "YYYY-MM-DD HH:MM"'
        )
        parser.add_argument("--provider", default="", help="the provider's username")
        parser.add_argument("--language", default="", help="e.g. en, es")

    def handle(self, *args, **options):
        provider = _provider(options["provider"])
        if isinstance(provider, str):
            raise CommandError(provider)
        form = InvitationForm(
            data={
                "first_name": options["first_name"],
                "last_name": options["last_name"],
                "email": options["email"],
                "phone": options["mobile"],
                "appointment_at": options["appointment"],
                "provider": provider.pk if provider else "",
                "language": options["language"],
            }
        )
        if not form.is_valid():
            raise CommandError(
                "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            )
        created = invitations.invitation_create(actor=None, **form.cleaned_data)
        invitation = created.invitation
        self.stdout.write(
            f"Invitation #{invitation.pk} for {invitation.appointment_at:%Y-%m-%d %H:%M %Z}"
            + (" (email queued)" if invitation.email else " (no email: give the patient the link)")
        )
        self.stdout.write(created.link)
