"""Print submissions as a FHIR R4 Bundle (JSON): response, flags and decisions of each.

    python manage.py export_fhir --reference K7P-X3M-Q9T [--output FILE]
    python manage.py export_fhir --since 2026-11-01 [--output FILE]

The Bundle (type "collection") goes to standard output, or to FILE. Each exported submission is
an audit event ("exported", FHIR (command)). Health data: write FILE only where it may be kept.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from screening.fhir.export import exportable, fhir_export, submissions_since
from screening.models import Submission


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since must be a date like 2026-11-24, got {text!r}") from None


class Command(BaseCommand):
    help = "Print submissions as a FHIR R4 Bundle (JSON)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--reference", help="one submission, by its reference")
        which.add_argument(
            "--since", type=_iso_date, help="every submission submitted on or after this date"
        )
        parser.add_argument("--output", help="write the JSON to this file instead of stdout")

    def handle(self, *args, reference, since, output, **options):
        if reference is not None:
            submissions = list(
                exportable(Submission.objects.filter(reference=reference.strip().upper()))
            )
            if not submissions:
                raise CommandError(f"No submission has the reference {reference!r}.")
        else:
            submissions = list(submissions_since(since))
        bundle = fhir_export(submissions=submissions, actor=None, channel="command")
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(f"{len(submissions)} submission(s) written to {output}.")
        else:
            self.stdout.write(text, ending="")
