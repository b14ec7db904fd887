"""System checks: a wrong setting stops `manage.py check` (and migrate), not a patient's request.

Each check reads the setting with the same code the app uses, so what passes here is what runs.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from screening import flags
from screening.mail import tasks
from screening.models import Provider
from screening.records import audit_retention


@register()
def flag_policy_check(app_configs=None, **kwargs):
    """SCREENING_FLAG_POLICY_JSON: valid JSON, known keys, values the flag rules accept."""
    raw = getattr(settings, "SCREENING_FLAG_POLICY_JSON", None)
    if isinstance(raw, str):
        try:
            json.loads(raw)
        except json.JSONDecodeError as error:
            return [
                Error(
                    f"SCREENING_FLAG_POLICY_JSON is not valid JSON: {error}.",
                    hint="For example SCREENING_FLAG_POLICY_JSON='{\"isotretinoin_priority_months\": 12}'.",
                    id="screening.E001",
                )
            ]
    try:
        flags.current_policy()
    except ImproperlyConfigured as error:
        return [
            Error(
                f"{error}.",
                hint="Each value a whole number of 0 or more (docs/clinic-policy.md).",
                id="screening.E002",
            )
        ]
    return []


@register()
def priority_review_levels_check(app_configs=None, **kwargs):
    """SCREENING_PRIORITY_REVIEW_LEVELS: at least one level, each a provider level."""
    levels = list(settings.SCREENING_PRIORITY_REVIEW_LEVELS)
    unknown = [level for level in levels if level not in Provider.Level.values]
    if unknown:
        return [
            Error(
                f"SCREENING_PRIORITY_REVIEW_LEVELS has unknown provider levels {unknown}.",
                hint=f"Levels: {', '.join(Provider.Level.values)} (comma-separated).",
                id="screening.E003",
            )
        ]
    if not levels:
        return [
            Error(
                "SCREENING_PRIORITY_REVIEW_LEVELS is empty: no provider could review a "
                "submission with a priority flag.",
                hint="Leave it unset for physician,nurse_practitioner.",
                id="screening.E004",
            )
        ]
    return []


@register()
def proxy_settings_check(app_configs=None, **kwargs):
    """DJANGO_TRUSTED_PROXY_COUNT is 0 or more, and set when a TLS proxy is in front."""
    count = settings.TRUSTED_PROXY_COUNT
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return [
            Error(
                f"DJANGO_TRUSTED_PROXY_COUNT must be a whole number of 0 or more, got {count!r}.",
                hint="The number of proxies of ours that append to X-Forwarded-For; 0: none.",
                id="screening.E005",
            )
        ]
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and count == 0:
        return [
            Error(
                "DJANGO_BEHIND_TLS_PROXY=1 but DJANGO_TRUSTED_PROXY_COUNT=0: every request "
                "would seem to come from the proxy, so all patients share one rate limit and "
                "five failed sign-ins from anyone lock out every staff member.",
                hint="Set DJANGO_TRUSTED_PROXY_COUNT to the number of proxies of ours that "
                "append to X-Forwarded-For (usually 1).",
                id="screening.E006",
            )
        ]
    return []


@register()
def audit_retention_check(app_configs=None, **kwargs):
    """The audit trail is kept at least as long as the database function insists on."""
    days = settings.SCREENING_AUDIT_RETENTION_DAYS
    if days is not None and days < audit_retention.MINIMUM_DAYS:
        return [
            Error(
                f"SCREENING_AUDIT_RETENTION_DAYS is {days}: audit events are kept at least "
                f"{audit_retention.MINIMUM_DAYS} days (six years).",
                hint="Raise it, or leave it unset to keep the audit trail for ever.",
                id="screening.E021",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def audit_table_role_check(app_configs=None, databases=None, **kwargs):
    """`check --deploy --database default`, run with the app's own DATABASE_URL: the app's
    PostgreSQL role should not own the audit table nor delete, update or truncate it."""
    if not databases:
        return []
    risks = audit_retention.audit_table_risks()
    if not risks:
        return []
    return [
        Warning(
            f"The app's database role {', '.join(risks)} on the audit trail's table: it could "
            "switch off the append-only trigger or empty the trail.",
            hint="Run the app as a runtime role (manage.py grant_runtime_role ROLE, run by the "
            "migration role after migrate): docs/security-database.md.",
            id="screening.W021",
        )
    ]


@register(Tags.staticfiles, deploy=True)
def static_manifest_check(app_configs=None, **kwargs):
    """With the manifest storage, `collectstatic` must have run: else every page is a 500."""
    try:
        storage = storages["staticfiles"]  # the manifest storage reads its manifest here
    except ValueError as error:
        return [Error(f"The static files manifest is unreadable: {error}", id="screening.E008")]
    manifest_name = getattr(storage, "manifest_name", None)
    if manifest_name is None:
        return []  # a storage without a manifest finds files as they are
    if not storage.exists(manifest_name):
        return [
            Error(
                f"The static files manifest ({storage.path(manifest_name)}) is missing: every "
                "page would answer 500.",
                hint="Run `python manage.py collectstatic --noinput` (docs/deploy.md).",
                id="screening.E007",
            )
        ]
    return []


# The settings each demo value of clinic.settings.DEMO_VALUES ends up in.
DEMO_SETTINGS = {
    "CLINIC_NAME": ["CLINIC_NAME"],
    "CLINIC_PHONE": ["CLINIC_PHONE"],
    "CLINIC_PRIVACY_NOTICE_URL": ["CLINIC_PRIVACY_NOTICE_URL"],
    "CLINIC_CONTACT_EMAIL": ["CLINIC_CONTACT_EMAIL"],
    "SCREENING_PUBLIC_BASE_URL": ["SCREENING_PATIENT_BASE_URL", "SCREENING_STAFF_BASE_URL"],
    "SCREENING_FALLBACK_EMAIL": ["SCREENING_FALLBACK_EMAIL"],
    "DJANGO_DEFAULT_FROM_EMAIL": ["DEFAULT_FROM_EMAIL"],
}


@register(Tags.security, deploy=True)
def demo_values_check(app_configs=None, **kwargs):
    """In production, no setting patients or staff rely on may keep the demo clinic's value: a
    fictional phone number on the pages, emails linking to 127.0.0.1, alerts to clinic.example."""
    if settings.DEBUG:
        return []
    demo = settings.DEMO_VALUES
    errors = []
    for variable, names in DEMO_SETTINGS.items():
        still_demo = [name for name in names if getattr(settings, name) == demo[variable]]
        if still_demo:
            errors.append(
                Error(
                    f"{variable} still holds the demo clinic's value {demo[variable]!r}"
                    + (f" (in {', '.join(still_demo)})" if still_demo != [variable] else "")
                    + ".",
                    hint=f"Set {variable} to this clinic's own (docs/configuration.md).",
                    id="screening.E009",
                )
            )
    return errors


@register(Tags.database)
def stale_tasks_check(app_configs=None, databases=None, **kwargs):
    """Emails stuck in the task queue: a task whose worker stopped (RUNNING past the lease), or
    emails due for longer than the lease that no worker has taken (no `db_worker` running).
    Run by `manage.py check --database default` (a monitor can run it)."""
    if not databases:
        return []
    now = timezone.now()
    lease = timedelta(minutes=settings.SCREENING_TASK_LEASE_MINUTES)
    problems = []
    try:
        stale = tasks.stale_tasks(now=now, lease=lease).count()
        # A task queued without a delay has run_after at the library's far-future sentinel.
        waiting = (
            DBTaskResult.objects.ready()
            .filter(
                Q(run_after__lt=now - lease)
                | Q(run_after=get_date_max(), enqueued_at__lt=now - lease)
            )
            .count()
        )
    except DatabaseError:
        return []  # not migrated yet (`migrate` runs the checks first)
    if stale:
        problems.append(
            Warning(
                f"{stale} task(s) have been running for more than "
                f"{settings.SCREENING_TASK_LEASE_MINUTES} minutes: their worker stopped, and "
                "their emails wait.",
                hint="Run `python manage.py recover_tasks` (schedule it every 5 minutes).",
                id="screening.W101",
            )
        )
    if waiting:
        problems.append(
            Warning(
                f"{waiting} email(s) have been due for more than "
                f"{settings.SCREENING_TASK_LEASE_MINUTES} minutes: is `manage.py db_worker` "
                "running?",
                hint="Start the worker (docs/email.md).",
                id="screening.W102",
            )
        )
    return problems


# PostgreSQL settings that copy a patient's values into the server's own log, and what a clinic
# sets instead (docs/postgresql.md): (setting, is its value safe, the value to set, why).
_POSTGRES_LOG_SETTINGS = (
    (
        "log_min_error_statement",
        lambda value: value in ("log", "fatal", "panic"),
        "panic",
        "a refused statement is logged with its text, values and all",
    ),
    (
        "log_error_verbosity",
        lambda value: value == "terse",
        "terse",
        'a refusal\'s DETAIL quotes the row ("Failing row contains (...)")',
    ),
    (
        "log_statement",
        lambda value: value in ("none", "ddl"),
        "none",
        "every INSERT and UPDATE is logged with its values",
    ),
    (
        "log_min_duration_statement",
        lambda value: value == "-1",
        "-1",
        "a slow statement is logged with its values",
    ),
)


@register(Tags.database, deploy=True)
def postgres_log_settings_check(app_configs=None, databases=None, **kwargs):
    """On PostgreSQL, the settings that decide whether the server's log copies patients' values,
    as the app's own connection sees them (so a setting made for its role counts)."""
    from django.db import connections

    problems = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            with connection.cursor() as cursor:
                seen = {}
                for name, *_ in _POSTGRES_LOG_SETTINGS:
                    cursor.execute(f"SHOW {name}")
                    seen[name] = cursor.fetchone()[0]
        except DatabaseError as error:
            problems.append(
                Warning(
                    f"Could not read PostgreSQL's log settings ({type(error).__name__}).",
                    hint="docs/postgresql.md lists them; check them by hand.",
                    id="screening.W022",
                )
            )
            continue
        for name, safe, value, why in _POSTGRES_LOG_SETTINGS:
            if not safe(seen[name]):
                problems.append(
                    Warning(
                        f"PostgreSQL ({alias}) has {name} = {seen[name]}: {why}, into the "
                        "server's log (patients' names, contact details, answers).",
                        hint=f"As a superuser: ALTER ROLE <the app's role> SET {name} = "
                        f"'{value}'; (docs/postgresql.md).",
                        id="screening.W023",
                    )
                )
    return problems
