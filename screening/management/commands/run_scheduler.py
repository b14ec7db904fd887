"""`manage.py run_scheduler`: the periodic jobs, on one schedule, in the foreground.

The schedule (clinic time, DJANGO_TIME_ZONE), in cron's notation:

| job | when | what |
|---|---|---|
| `recover_tasks` | `*/5 * * * *` | tasks whose worker stopped mid-send (SCREENING_TASK_LEASE_MINUTES) |
| `send_reminders` | `*/15 * * * *` | queue the reminders that are due (SCREENING_REMINDER_HOURS) |
| `purge_expired` | `7-59/15 * * * *` | expired sessions, saved drafts, buckets; retention (SCREENING_RETENTION_DAYS) |
| `prune_db_task_results` | `30 3 * * *` | finished task rows older than 14 days, failed ones older than 90 |

APScheduler runs it (one process; a job never overlaps itself, and a run missed while the process
was down is run once when it is back, not once per missed slot). Not cron: a container's cron
runs as root and hands its jobs an empty environment, where every setting here is a variable;
supercronic is packaged neither in Debian 12 nor on PyPI. Each job is the management command of
the same name, run in this process, and logs through the app's logging (PHI filters, JSON).
`--list` prints the schedule; `--run-now` runs every job once, then exits.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

# job name: (cron fields minute hour day month day_of_week, the command's arguments)
SCHEDULE = {
    "recover_tasks": ("*/5 * * * *", []),
    "send_reminders": ("*/15 * * * *", []),
    "purge_expired": ("7-59/15 * * * *", []),
    "prune_db_task_results": (
        "30 3 * * *",
        ["--queue-name", "*", "--min-age-days", "14", "--failed-min-age-days", "90"],
    ),
}


def run_job(name: str) -> None:
    _, arguments = SCHEDULE[name]
    logger.info("Scheduled job %s starting", name)
    try:
        call_command(name, *arguments, verbosity=1)
    except Exception:
        logger.exception("Scheduled job %s failed", name)
    else:
        logger.info("Scheduled job %s done", name)


class Command(BaseCommand):
    help = "Run the periodic jobs (task recovery, reminders, purge, pruning) on their schedule."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Print the schedule and exit.")
        parser.add_argument("--run-now", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, list=False, run_now=False, **options):
        if list:
            for name, (when, arguments) in SCHEDULE.items():
                self.stdout.write(f"{when:<18} {name} {' '.join(arguments)}".rstrip())
            return
        if run_now:
            for name in SCHEDULE:
                run_job(name)
            return
        from apscheduler.schedulers.blocking import BlockingScheduler
        from apscheduler.triggers.cron import CronTrigger

        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for name, (when, _) in SCHEDULE.items():
            scheduler.add_job(
                run_job,
                CronTrigger.from_crontab(when, timezone=settings.TIME_ZONE),
                args=[name],
                id=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
        logger.info("Scheduler started: %s", ", ".join(SCHEDULE))
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            logger.info("Scheduler stopped")
