"""A real `manage.py db_worker` killed by SIGKILL in the middle of a send, twice: once before the
mail server had the message, once after it had it and before it answered. After
`recover_tasks` and a new worker, each email is at the server exactly once.

Everything runs as in production, in processes of its own, on a SQLite file: the worker, the
commands, and a mail server in this test (tests/smtp_sink.py) that stalls on cue.
"""

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date, timedelta

import pytest

from tests.manage_py import CLEARED, ROOT, manage
from tests.smtp_sink import SmtpSink

STALL_WAIT_SECONDS = 15  # the worker starts, claims a task and reaches the stall well within


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def environment(tmp_path, sink):
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(sink.port),
        # Longer than the test waits: a stalled send is ended by the kill, not by a timeout.
        "DJANGO_EMAIL_TIMEOUT": "60",
        "SCREENING_EMAIL_RETRY_MINUTES": "0,0",
    }


def _run(environment, *args) -> str:
    done = manage(*args, **environment)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worker(environment, *extra) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", *extra],
        cwd=ROOT,
        env={**env, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_when_stalled(worker: subprocess.Popen, sink: SmtpSink) -> None:
    assert sink.stalled.wait(STALL_WAIT_SECONDS), "the worker never reached the mail server"
    worker.send_signal(signal.SIGKILL)
    assert worker.wait(timeout=10) == -signal.SIGKILL
    sink.stalled.clear()


def _rows(environment, sql):
    path = environment["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_a_worker_killed_mid_send_neither_loses_nor_doubles_an_email(environment, sink):
    _run(environment, "migrate", "--verbosity", "0")
    for first in ("Ana", "Bea"):
        _run(
            environment,
            "invite",
            "--first-name",
            first,
            "--last-name",
            "Ruiz",
            "--email",
            f"{first.lower()}@example.org",
            "--appointment",
            f"{date.today() + timedelta(days=30)} 10:30",
        )
    sink.plan["ana@example.org"] = ["stall_at_data"]  # killed before the server has it
    sink.plan["bea@example.org"] = ["stall_after_message"]  # killed after: the server has it

    worker = _worker(environment, "--interval", "0.1")
    _kill_when_stalled(worker, sink)  # on Ana's invitation, queued first
    statuses = _rows(environment, "SELECT status FROM django_tasks_database_dbtaskresult")
    assert sorted(statuses) == [("READY",), ("RUNNING",)]  # as a killed worker leaves it
    assert _run(environment, "recover_tasks", "--lease-seconds", "0") == "tasks recovered: 1\n"

    worker = _worker(environment, "--interval", "0.1")
    _kill_when_stalled(worker, sink)  # on Bea's, queued before Ana's second attempt
    assert _run(environment, "recover_tasks", "--lease-seconds", "0") == "tasks recovered: 1\n"

    worker = _worker(environment, "--batch")
    assert worker.wait(timeout=30) == 0

    ana, bea = sink.received("ana@example.org"), sink.received("bea@example.org")
    assert (len(ana), len(bea)) == (1, 1)  # each exactly once
    states = dict(_rows(environment, "SELECT email, email_state FROM screening_invitation"))
    assert states == {"ana@example.org": "sent", "bea@example.org": "unconfirmed"}
    message_ids = dict(
        _rows(environment, "SELECT state, message_id FROM screening_emaildispatch ORDER BY id")
    )
    assert message_ids == {"sent": ana[0]["Message-ID"], "unconfirmed": bea[0]["Message-ID"]}
    actions = [row[0] for row in _rows(environment, "SELECT action FROM screening_auditevent")]
    assert actions.count("email_recovered") == 2
    assert actions.count("email_failed") == 1  # Bea's: not confirmed, for the front desk to check
    assert not _rows(
        environment,
        "SELECT id FROM django_tasks_database_dbtaskresult WHERE status IN ('RUNNING', 'READY')",
    )
