"""Delete what has outlived its purpose, for a scheduler to run every few minutes.

    python manage.py purge_expired [--dry-run]

- expired sessions: an abandoned draft is health data, and it lives in the session;
- rate-limit buckets that have refilled completely (the same as no bucket);
- the answers and contact details of submissions older than SCREENING_RETENTION_DAYS (when
  set): the reference, dates, flag codes and decisions stay for the record (screening.records.retention);
- drafts saved in the database past their date: a walk-in's "continue later" after
  SCREENING_SAVED_DRAFT_DAYS, an invitation's once its appointment (plus the grace) has passed;
- the name and contact of invitations whose appointment is older than SCREENING_RETENTION_DAYS;
- the counts of refused FHIR API requests whose window has closed, written to the audit trail;
- audit events older than SCREENING_AUDIT_RETENTION_DAYS (when set; at least six years), through
  a database function, so it works when the app's role may not delete audit events.

Each purge is a function `(now, dry_run) -> count` in `PURGES`, run in order and reported by
label; another kind of record (e.g. submissions past their retention period) is one more entry.
`--dry-run` counts what would go and changes nothing.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.fhir import refusals
from screening.invitations import service as invitations
from screening.models import SavedDraft
from screening.records import audit_retention, retention
from throttle import buckets


def _delete(queryset, dry_run: bool) -> int:
    if dry_run:
        return queryset.count()
    deleted, _ = queryset.delete()
    return deleted


def purge_expired_sessions(*, now, dry_run: bool) -> int:
    session_model = import_module(settings.SESSION_ENGINE).SessionStore.get_model_class()
    return _delete(session_model.objects.filter(expire_date__lt=now), dry_run)


def purge_full_buckets(*, now, dry_run: bool) -> int:
    return _delete(buckets.full_buckets(now=now.timestamp()), dry_run)


def erase_expired_submissions(*, now, dry_run: bool) -> int:
    return retention.submissions_erase(
        submissions=retention.expired_submissions(now), dry_run=dry_run
    )


def purge_expired_saved_drafts(*, now, dry_run: bool) -> int:
    return _delete(SavedDraft.objects.filter(expires_at__lt=now), dry_run)


def erase_old_invitations(*, now, dry_run: bool) -> int:
    return invitations.invitations_erase(
        invitations_qs=invitations.past_retention(now=now), dry_run=dry_run
    )


def close_refusal_windows(*, now, dry_run: bool) -> int:
    return refusals.refusals_close(now=now, dry_run=dry_run)


def prune_audit_trail(*, now, dry_run: bool) -> int:
    return audit_retention.audit_prune(now=now, dry_run=dry_run)


PURGES = [
    ("expired sessions", purge_expired_sessions),
    ("refilled rate-limit buckets", purge_full_buckets),
    ("submissions past retention (answers and contact erased)", erase_expired_submissions),
    ("saved drafts past their date", purge_expired_saved_drafts),
    ("invitations past retention (contact erased)", erase_old_invitations),
    ("refused FHIR API request counts (written to the audit trail)", close_refusal_windows),
    ("audit events past SCREENING_AUDIT_RETENTION_DAYS", prune_audit_trail),
]


class Command(BaseCommand):
    help = (
        "Delete expired sessions (abandoned drafts) and idle rate-limit buckets; erase "
        "submissions past the retention period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted, delete nothing"
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        verb = "would delete" if dry_run else "deleted"
        for label, purge in PURGES:
            count = purge(now=now, dry_run=dry_run)
            self.stdout.write(f"{label}: {verb} {count}")
