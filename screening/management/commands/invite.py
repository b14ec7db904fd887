"""Invite a patient to answer before a booked consultation; prints their link last.

    python manage.py invite --first-name ANA --last-name RUIZ --email ana@example.org \\
        --appointment "2026-12-03 10:30" [--mobile ...] [--provider USERNAME] [--language es]

A returning patient (a re-screen: the short form, or the full one when every carried answer is
stale), through the same service and checks as the front desk's page; the name comes from the
previous submission, the email and mobile too unless given:

    python manage.py invite --previous REFERENCE --visit-type series_session|new_consultation \\
        --appointment "2026-12-03 10:30" [--treatment-date 2026-11-20] [--email ...] [...]

The command is run by whoever has the server's shell (as the first-visit invitation is): there
is no staff user to check, so of the page's access rules it applies those about the submission
(its answers kept, not withdrawn); the service audits RESCREEN_INVITED with no actor.

The link is printed (for scripts, tests, or a patient without email) and emailed through the
task queue when there is an address. It is never stored: print it once, hand it to the patient.
"""

from django.core.management.base import BaseCommand, CommandError

from screening.invitations import rescreen
from screening.invitations import service as invitations
from screening.invitations.forms import InvitationForm, _provider
from screening.invitations.rescreen_form import RescreenInvitationForm
from screening.models import Submission


class Command(BaseCommand):
    help = "Invite a patient to answer before a consultation; the last line is their link."

    def add_arguments(self, parser):
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default=None)
        parser.add_argument("--mobile", default=None)
        parser.add_argument(
            "--appointment", required=True, help='clinic local time, "YYYY-MM-DD HH:MM"'
        )
        parser.add_argument("--provider", default="", help="the provider's username")
        parser.add_argument("--language", default="", help="e.g. en, es")
        parser.add_argument(
            "--previous", default="", help="a returning patient: their last submission's reference"
        )
        parser.add_argument(
            "--visit-type",
            default="",
            choices=["", rescreen.SERIES_SESSION, rescreen.NEW_CONSULTATION],
            help="with --previous: series_session (the provider's decision said so) or "
            "new_consultation",
        )
        parser.add_argument(
            "--treatment-date",
            default="",
            help="with --previous: the clinic's last treatment since that submission, YYYY-MM-DD",
        )

    def handle(self, *args, **options):
        provider = _provider(options["provider"])
        if isinstance(provider, str):
            raise CommandError(provider)
        if options["previous"]:
            return self._return_visit(options, provider)
        if options["visit_type"] or options["treatment_date"]:
            raise CommandError("--visit-type and --treatment-date go with --previous.")
        if not (options["first_name"] and options["last_name"]):
            raise CommandError("--first-name and --last-name are required.")
        form = InvitationForm(
            data={
                "first_name": options["first_name"],
                "last_name": options["last_name"],
                "email": options["email"] or "",
                "phone": options["mobile"] or "",
                "appointment_at": options["appointment"],
                "provider": provider.pk if provider else "",
                "language": options["language"],
            }
        )
        if not form.is_valid():
            raise CommandError(_errors(form))
        created = invitations.invitation_create(actor=None, **form.cleaned_data)
        invitation = created.invitation
        self.stdout.write(
            f"Invitation #{invitation.pk} for {invitation.appointment_at:%Y-%m-%d %H:%M %Z}"
            + (" (email queued)" if invitation.email else " (no email: give the patient the link)")
        )
        self.stdout.write(created.link)

    def _return_visit(self, options, provider):
        """A re-screen invitation, as the front desk's return-visit page makes it."""
        if options["first_name"] or options["last_name"]:
            raise CommandError("A returning patient's name comes from --previous.")
        if not options["visit_type"]:
            raise CommandError("--visit-type is required with --previous.")
        previous = Submission.objects.filter(reference=options["previous"].strip().upper()).first()
        if previous is None:
            raise CommandError("No submission has that reference.")
        refused = rescreen.refusal(previous)
        if refused:
            raise CommandError(refused)
        form = RescreenInvitationForm(
            data={
                "visit_type": options["visit_type"],
                "appointment_at": options["appointment"],
                "treatment_date": options["treatment_date"],
                # The previous form's contact details unless given, as the page fills them in.
                "email": previous.email if options["email"] is None else options["email"],
                "phone": previous.phone if options["mobile"] is None else options["mobile"],
                "provider": provider.pk if provider else (previous.assigned_provider_id or ""),
                "language": options["language"] or previous.language,
            },
            previous=previous,
        )
        if not form.is_valid():
            raise CommandError(_errors(form))
        created = rescreen.rescreen_invitation_create(
            actor=None, previous=previous, **form.cleaned_data
        )
        invitation = created.invitation
        if created.scheduled:
            sent = (
                f"email scheduled for {rescreen.email_due_at(invitation.appointment_at):%Y-%m-%d}"
            )
        elif invitation.email:
            sent = "email queued"
        else:
            sent = "no email: give the patient the link"
        self.stdout.write(
            f"Return-visit invitation #{invitation.pk} ({invitation.visit_type}, "
            f"{rescreen.form_for(previous).label}) for "
            f"{invitation.appointment_at:%Y-%m-%d %H:%M %Z} ({sent})"
        )
        self.stdout.write(created.link)


def _errors(form) -> str:
    return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
