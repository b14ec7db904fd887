"""Invitations for tests: made through the command, as scripts make them."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone


def invite(*, days_ahead: float = 5, email: str = "ana@example.org", **options) -> str:
    """Run `manage.py invite` and return the link it prints last (a path, /i/<token>/)."""
    appointment = timezone.localtime(timezone.now() + timedelta(days=days_ahead))
    out = StringIO()
    call_command(
        "invite",
        first_name=options.pop("first_name", "Ana"),
        last_name=options.pop("last_name", "Ruiz"),
        email=email,
        appointment=appointment.strftime("%Y-%m-%d %H:%M"),
        stdout=out,
        **options,
    )
    link = out.getvalue().strip().splitlines()[-1]
    return link[link.index("/i/") :]
