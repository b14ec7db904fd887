"""Preview what today's flag rules and clinic policy would flag differently, writing nothing.

    python manage.py flags_diff [--status open|all|<status>] [--since YYYY-MM-DD] [--json]

For each stored submission (oldest first) whose flags today's rules would raise differently, prints
the flags that would be added (+), removed (-) or change severity (~). Each submission is read
with its own questionnaire version and submission date; the stored flags never change. Run it
with the new SCREENING_FLAG_POLICY_JSON in the environment to see what a policy change means
before relying on it. Submissions whose answers retention erased are skipped.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from screening import flags as flag_rules
from screening.models import Submission
from screening.questionnaire import UnknownVersion
from screening.staff.routing import OPEN_STATUSES

STATUS_CHOICES = ["all", "open", *Submission.Status.values]


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since must be a date like 2026-11-24, got {text!r}") from None


class Command(BaseCommand):
    help = "Show the flags today's rules and policy would add, remove or re-grade (read-only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--status",
            choices=STATUS_CHOICES,
            default="all",
            help="open: not decided or withdrawn (default: all)",
        )
        parser.add_argument(
            "--since", type=_iso_date, help="only submissions submitted on or after this date"
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON instead of text"
        )

    def handle(self, *args, status, since, as_json: bool, **options):
        policy = flag_rules.current_policy()
        submissions = Submission.objects.filter(erased_at__isnull=True).order_by("submitted_at")
        if status == "open":
            submissions = submissions.filter(status__in=OPEN_STATUSES)
        elif status != "all":
            submissions = submissions.filter(status=status)
        if since is not None:
            submissions = submissions.filter(submitted_on__gte=since)
        checked, different, unreadable = 0, [], []
        for submission in submissions.prefetch_related("flags").iterator(chunk_size=500):
            checked += 1
            try:
                diff = flag_rules.submission_flag_diff(submission, policy=policy)
            except UnknownVersion:
                unreadable.append(submission.reference)
                continue
            if diff is not None and diff.changes:
                different.append(diff)
        if as_json:
            self._write_json(checked, different, unreadable, policy)
        else:
            self._write_text(checked, different, unreadable, policy)

    def _write_json(self, checked, different, unreadable, policy):
        self.stdout.write(
            json.dumps(
                {
                    "rules_version": flag_rules.rules_version(policy),
                    "checked": checked,
                    "submissions": [diff.as_json() for diff in different],
                    "unknown_questionnaire_version": unreadable,
                },
                indent=2,
            )
        )

    def _write_text(self, checked, different, unreadable, policy):
        for diff in different:
            self.stdout.write(
                f"{diff.reference} (questionnaire {diff.questionnaire_version}, rules "
                f"{diff.stored_rules_version} -> {diff.current_rules_version})"
            )
            for change in diff.changes:
                self.stdout.write(f"  {change}")
        for reference in unreadable:
            self.stderr.write(f"{reference}: questionnaire version unknown to this code, skipped")
        self.stdout.write(
            f"{checked} submissions checked under rules {flag_rules.rules_version(policy)}; "
            f"{len(different)} would be flagged differently. Nothing was written."
        )
