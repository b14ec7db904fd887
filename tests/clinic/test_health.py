"""/healthz and /readyz (clinic.health), with the real mail worker (`run_worker`) in a thread."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinic.health import VERSION
from screening.mail.notifications import NEW_SUBMISSION
from screening.mail.tasks import send_email
from screening.management.commands.run_worker import HeartbeatWorker
from screening.models import WorkerHeartbeat


def readyz(client=None):
    response = (client or Client()).get("/readyz")
    return response.status_code, response.json()


def unlocked(query, timeout: float = 10):
    """`query()`'s result, tried again while the worker thread holds a table lock of the shared
    in-memory SQLite database ("database table is locked": it does not wait, unlike a file's)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return query()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def settles_on(expected: int, timeout: float = 15) -> dict:
    """/readyz's answer once it is `expected`: the worker thread shares the test's in-memory
    SQLite database, whose table locks may fail a probe that meets one of its writes."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = readyz()
        if status == expected or time.monotonic() > deadline:
            assert status == expected, body
            return body
        time.sleep(0.1)


class RunningWorker:
    """`manage.py run_worker`'s worker, in a thread (signals are the main thread's)."""

    def __init__(self):
        self.worker = HeartbeatWorker(
            queue_names=["default"],
            interval=0.5,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"test-{time.monotonic_ns()}",
            excluded_queue_names=[],
        )
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            self.worker.run()
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not unlocked(
            lambda: WorkerHeartbeat.objects.filter(worker_id=self.worker.worker_id).exists()
        ):
            assert time.monotonic() < deadline, "the worker never beat"
            time.sleep(0.05)
        return self

    def stop(self):
        self.worker.running = False
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()

    def __exit__(self, *exc):
        if self.thread.is_alive():
            self.stop()


def test_healthz_answers_anyone_with_the_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": VERSION}
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_version_is_the_package_version():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert project["project"]["version"] == VERSION


@pytest.mark.django_db
def test_probes_answer_a_plain_http_probe_on_the_containers_own_address(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["clinic.example"]
    probe = Client(HTTP_HOST="10.88.0.7:8000")
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/readyz").status_code in (200, 503)
    # Everything else still refuses the unknown host.
    assert probe.get("/").status_code == 400


@pytest.mark.django_db
def test_readyz_is_never_throttled(settings):
    settings.SCREENING_RATE_LIMIT_PER_MINUTE = 1
    settings.SCREENING_RATE_LIMIT_BURST = 1
    WorkerHeartbeat.objects.create(worker_id="w", seen_at=timezone.now())
    client = Client()
    assert {readyz(client)[0] for _ in range(50)} == {200}


@pytest.mark.django_db
def test_readyz_says_which_check_fails_without_health_data_or_settings(settings):
    status, body = readyz()
    assert status == 503
    assert body == {
        "status": "unready",
        "version": VERSION,
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "worker": f"no worker seen in {settings.SCREENING_READY_WORKER_MINUTES} minutes",
            "mail": "ok",
        },
    }


@pytest.mark.django_db
def test_a_worker_seen_just_within_the_window_is_enough_and_just_outside_is_not(settings):
    settings.SCREENING_READY_WORKER_MINUTES = 5
    beat = WorkerHeartbeat.objects.create(
        worker_id="w", seen_at=timezone.now() - timedelta(minutes=5) + timedelta(seconds=5)
    )
    assert readyz()[0] == 200
    beat.seen_at = timezone.now() - timedelta(minutes=5, seconds=1)
    beat.save()
    assert readyz()[1]["checks"]["worker"] == "no worker seen in 5 minutes"


@pytest.mark.django_db
def test_an_email_task_waiting_past_its_whole_retry_schedule_makes_it_unready(settings):
    settings.SCREENING_EMAIL_RETRY_MINUTES = [1, 5]
    WorkerHeartbeat.objects.create(worker_id="w", seen_at=timezone.now())
    send_email.enqueue(kind=NEW_SUBMISSION, object_id=1, attempt=1)
    task = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    assert readyz()[0] == 200  # within 1 + 5 minutes: a retry may still be on its way
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=7)
    )
    status, body = readyz()
    assert status == 503
    assert body["checks"]["mail"] == "1 email tasks waiting past their retry schedule"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readyz_goes_unready_when_the_worker_stops_and_ready_when_it_restarts(settings):
    settings.SCREENING_WORKER_HEARTBEAT_SECONDS = 1
    settings.SCREENING_READY_WORKER_MINUTES = 1
    assert readyz()[0] == 503
    with RunningWorker() as first:
        assert settles_on(200)["status"] == "ready"
        first.stop()
    assert settles_on(503)["checks"]["worker"] == "no worker seen in 1 minutes"
    with RunningWorker() as second:
        settles_on(200)
        # A worker that dies without stopping cleanly leaves its last beat to age out.
        second.worker._stopped.set()  # its beat stops, as when the process is killed
        time.sleep(1.2)
        unlocked(
            lambda: WorkerHeartbeat.objects.update(
                seen_at=timezone.now() - timedelta(minutes=1, seconds=1)
            )
        )
        assert settles_on(503)["checks"]["worker"] == "no worker seen in 1 minutes"
    with RunningWorker():
        settles_on(200)


@pytest.mark.django_db
def test_readyz_is_unready_while_a_migration_is_unapplied():
    """As after deploying new code and before `migrate`: the record of the last migration is
    taken away (the schema is left alone)."""
    WorkerHeartbeat.objects.create(worker_id="w", seen_at=timezone.now())
    recorder = MigrationRecorder(connection)
    app, name = max(key for key in recorder.applied_migrations() if key[0] == "screening")
    recorder.record_unapplied(app, name)
    status, body = readyz()
    assert status == 503
    assert body["checks"]["migrations"] == "1 unapplied"
    recorder.record_applied(app, name)
    assert readyz()[0] == 200


@pytest.mark.django_db
def test_the_staff_pages_show_the_version_in_their_footer(client, doctor):
    assert f"Laser pre-screening {VERSION}</p>" in client.get("/staff/login/").text
    client.force_login(doctor)
    assert f"Laser pre-screening {VERSION}</p>" in client.get("/staff/", follow=True).text


@pytest.mark.django_db
def test_an_unready_answer_is_not_logged_as_a_server_error(caplog, settings):
    """A probe every few seconds while the worker is down must not mail ADMINS each time."""
    settings.ADMINS = [("Ops", "ops@clinic.example")]
    with caplog.at_level(logging.INFO):
        assert readyz()[0] == 503
    assert [r for r in caplog.records if r.name == "django.request"] == []
