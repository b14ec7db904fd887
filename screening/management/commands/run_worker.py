"""`manage.py run_worker`: django-tasks-db's `db_worker`, which also says that it is alive.

Every SCREENING_WORKER_HEARTBEAT_SECONDS, and after each task, the worker writes the time into
its `WorkerHeartbeat` row; `/readyz` reads it. The beat is a thread beside the worker's loop (a
long email to a slow mail server does not make the worker look dead) that stops with the loop;
the loop itself is the library's, unchanged. Same options as `db_worker` but --reload.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from screening.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class HeartbeatWorker(db_worker.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._stopped = threading.Event()

    def beat(self) -> None:
        """One beat; a database busy for a moment (SQLite's lock) costs this beat, not the next:
        the window /readyz allows spans many beats."""
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id, defaults={"seen_at": timezone.now()}
            )
        except DatabaseError as error:
            logger.warning("Worker heartbeat not recorded (%s)", type(error).__name__)

    def _beat_until_stopped(self) -> None:
        interval = settings.SCREENING_WORKER_HEARTBEAT_SECONDS
        try:
            while not self._stopped.wait(interval):
                self.beat()
        finally:
            close_old_connections()

    def run_task(self, db_task_result) -> None:
        super().run_task(db_task_result)
        self.beat()

    def run(self) -> None:
        self.beat()
        beating = threading.Thread(target=self._beat_until_stopped, daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            beating.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class Command(db_worker.Command):
    help = "Run the mail worker (db_worker), recording a heartbeat that /readyz reads."

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):  # fmt: skip
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        worker.configure_signals()
        worker.run()
