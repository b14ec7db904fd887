"""`manage.py compile_translations`: compilemessages without GNU gettext (clinic/translations.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from clinic.translations import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo with Python alone (no GNU gettext needed)."

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for mo_path in compile_catalogues(locale_dir):
                self.stdout.write(f"compiled {mo_path}")
