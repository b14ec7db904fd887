"""Two-factor sign-in from the server's shell, for when no clinic admin can sign in.

    python manage.py enrol_totp USERNAME --reset     # they set up their own at next sign-in
    python manage.py enrol_totp USERNAME [--replace] # an authenticator made here (printed once)

People normally set up their own authenticator at their first sign-in (a QR code and a code,
then recovery codes), and a clinic admin resets a lost phone from the account's page; both are
audited. `--reset` does that reset from the shell. Without it, the command makes an
authenticator here and prints its otpauth:// address (paste or turn into a QR code), once.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.staff import two_factor


class Command(BaseCommand):
    help = "Reset a staff user's two-factor sign-in, or create an authenticator and print it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove the user's existing authenticator devices first",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="remove the authenticator and recovery codes: the user sets up a new one at "
            "their next sign-in (audited)",
        )

    def handle(self, *args, username, replace, reset, **options):
        try:
            user = get_user_model().objects.get(username=username, is_staff=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No staff user named {username!r}.") from None
        if reset:
            two_factor.two_factor_reset_by_command(account=user)
            self.stdout.write(f"{username} sets up a new authenticator at their next sign-in.")
            return
        existing = TOTPDevice.objects.filter(user=user)
        if existing.exists() and not replace:
            raise CommandError(f"{username} already has an authenticator; use --replace.")
        existing.delete()
        device = TOTPDevice.objects.create(
            user=user, name=two_factor.AUTHENTICATOR_NAME, confirmed=True
        )
        self.stdout.write(f"Add this to the authenticator app of {username}:")
        self.stdout.write(device.config_url)
