"""Run the task queue in tests as production does: `manage.py db_worker`, once through."""

from unittest import mock

from django.core.management import call_command


def run_queued_tasks() -> None:
    """Run every task that is due now, then return (later retries stay queued).

    The worker drops connections it thinks are stale between tasks; inside a test's transaction
    (autocommit off) it would drop the test's own connection, so that is off here, as Django's
    test client turns off the same clean-up around requests.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False)
