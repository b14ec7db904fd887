"""Compare each 2027.01 gateway item's endorsement rate with the v2 question it replaced.

    python manage.py gateway_endorsement [--first N]

Reads the first N submissions of questionnaire 2027.01 and later (2027.02 asks a first visit the
same gateways) and the last N of 2026.12 (N = 500 by
default; erased ones are left out), prints each item's two rates and names every item whose
rate fell by more than a third: those go back to a question of their own in the next version.
Read-only; prints rates only, never an answer.
"""

from django.core.management.base import BaseCommand

from screening.flags.derivation import reads_gateways
from screening.flags.endorsement import FELL_BY_MORE_THAN, endorsement_rows
from screening.models import Submission
from screening.questionnaire.versions import ORDER

# The versions that ask the 2027.01 gateways.
GATEWAY_VERSIONS = tuple(version for version in ORDER if reads_gateways(version))


class Command(BaseCommand):
    help = "Endorsement of each gateway item (2027.01) against its v2 yes/no question."

    def add_arguments(self, parser):
        parser.add_argument("--first", type=int, default=500, help="submissions of each version")

    def handle(self, *args, first, **options):
        readable = Submission.objects.filter(erased_at__isnull=True)
        v3 = list(
            readable.filter(questionnaire_version__in=GATEWAY_VERSIONS)
            .order_by("submitted_at", "id")
            .values_list("answers", flat=True)[:first]
        )
        v2 = list(
            readable.filter(questionnaire_version="2026.12")
            .order_by("-submitted_at", "-id")
            .values_list("answers", flat=True)[:first]
        )
        rows = endorsement_rows(v3, v2)
        out = self.stdout
        out.write(
            f"Gateway endorsement: first {len(v3)} submissions of 2027.01 on against the last "
            f"{len(v2)} of 2026.12 (asked for {first} of each)."
        )
        if len(v3) < first or len(v2) < first:
            out.write("Fewer submissions than asked for: read the rates with care.")
        out.write(f"  {'item':<52} {'v2':>7} {'2027.01':>8}")
        fell = []
        for row in rows:
            v2_rate = "-" if row.v2_rate is None else f"{row.v2_rate:.1%}"
            mark = "  FELL BY MORE THAN A THIRD" if row.fell_by_more_than_a_third else ""
            out.write(f"  {row.item.name:<52} {v2_rate:>7} {row.v3_rate:>8.1%}{mark}")
            if row.fell_by_more_than_a_third:
                fell.append(row.item.name)
        if fell:
            out.write(
                f"Fell by more than {FELL_BY_MORE_THAN:.0%} (back to a question of its own in "
                f"the next version): {', '.join(fell)}"
            )
        else:
            out.write("No item fell by more than a third.")
