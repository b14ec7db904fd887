"""Management commands as a scheduler runs them, for tests: what they print, as text."""

from io import StringIO

from django.core.management import call_command


def purge(*args) -> str:
    """Run `manage.py purge_expired` with `args`; returns its output."""
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()
