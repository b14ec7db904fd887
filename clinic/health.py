"""`/healthz` and `/readyz`: for a load balancer, a container's health check, a monitor.

`/healthz` says only that the process answers. `/readyz` says whether the install can do its
work: the database answers, every migration is applied, a mail worker was seen within
SCREENING_READY_WORKER_MINUTES, and no email task has waited longer than its whole retry
schedule. Both answer JSON with no health data, no setting and no error text (an exception's
type at most), to anyone: they are not behind sign-in, not rate-limited, and
`HealthCheckMiddleware` answers them before the host check and the HTTPS redirect, so that a
probe from inside the container (plain HTTP, its own address) gets the real answer.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clinic.version import VERSION

MAIL_TASK = "screening.mail.tasks.send_email"


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok", "version": VERSION})


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"{len(unapplied)} unapplied" if unapplied else "ok"


def _worker() -> str:
    from screening.models import WorkerHeartbeat

    minutes = settings.SCREENING_READY_WORKER_MINUTES
    since = timezone.now() - timedelta(minutes=minutes)
    if WorkerHeartbeat.objects.filter(seen_at__gte=since).exists():
        return "ok"
    return f"no worker seen in {minutes} minutes"


def _mail() -> str:
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

    patience = timedelta(minutes=sum(settings.SCREENING_EMAIL_RETRY_MINUTES))
    overdue = timezone.now() - patience
    stuck = DBTaskResult.objects.filter(
        task_path=MAIL_TASK,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).filter(
        Q(run_after=get_date_max(), enqueued_at__lt=overdue)
        | (~Q(run_after=get_date_max()) & Q(run_after__lt=overdue))
    )
    count = stuck.count()
    return f"{count} email tasks waiting past their retry schedule" if count else "ok"


CHECKS = {"database": _database, "migrations": _migrations, "worker": _worker, "mail": _mail}


@require_safe
@never_cache
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        if results and results.get("database") != "ok":
            results[name] = "not checked: no database"
            continue
        try:
            results[name] = check()
        except Exception as error:  # the type only: a database error's text may quote rows
            results[name] = f"failed: {type(error).__name__}"
    ready = all(result == "ok" for result in results.values())
    response = JsonResponse(
        {"status": "ready" if ready else "unready", "version": VERSION, "checks": results},
        status=200 if ready else 503,
    )
    # Not a server error: Django would log every 503 at ERROR, and mail ADMINS each time a load
    # balancer probes while the worker is down. The monitor reading /readyz is the alarm.
    response._has_been_logged = True
    return response


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers the two probes first: before ALLOWED_HOSTS (a probe uses the container's own
    address), the HTTPS redirect, sessions and the rest. Only GET and HEAD."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
