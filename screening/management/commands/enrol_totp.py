"""Enrol a staff user's authenticator app (TOTP) for two-factor login.

    python manage.py enrol_totp USERNAME [--replace]

Prints the otpauth:// address (paste or turn into a QR code) and the secret, once.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a TOTP device for a staff user and print its set-up address."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove the user's existing authenticator devices first",
        )

    def handle(self, *args, username, replace, **options):
        try:
            user = get_user_model().objects.get(username=username, is_staff=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No staff user named {username!r}.") from None
        existing = TOTPDevice.objects.filter(user=user)
        if existing.exists() and not replace:
            raise CommandError(f"{username} already has an authenticator; use --replace.")
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
        self.stdout.write(f"Add this to the authenticator app of {username}:")
        self.stdout.write(device.config_url)
