"""Run the task queue in tests as production does: `manage.py db_worker`, once through."""

from django.core.management import call_command


def run_queued_tasks() -> None:
    """Run every task that is due now, then return (later retries stay queued)."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False)
