"""A mail server that accepts the connection and never answers must not hang a patient's submit."""

import logging
import socket
import threading
import time

import pytest

from screening.models import Submission
from tests.factories import full_answers
from tests.patient_steps import SIGNED, answer_all_steps

pytestmark = pytest.mark.django_db

HOLD_SECONDS = 8  # how long the silent server keeps a connection open before closing it


@pytest.fixture
def silent_mail_server():
    """A real TCP server on 127.0.0.1 that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
            closer = threading.Timer(HOLD_SECONDS, connection.close)
            closer.daemon = True
            closer.start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_hung_mail_server_neither_slows_the_submit_nor_hangs_the_worker(
    client, settings, silent_mail_server, make_staff, caplog
):
    """The submit only queues the notification; the worker's send is bounded by EMAIL_TIMEOUT
    and queues a retry, so a silent mail server costs nobody more than the timeout."""
    from django_tasks_db.models import DBTaskResult

    from tests.task_queue import run_queued_tasks

    port, accepted = silent_mail_server
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 0.25  # seconds: the bound, kept short (the test waits it out)
    make_staff("Provider", level="physician")
    answer_all_steps(client, full_answers())

    started = time.monotonic()
    response = client.post("/review/", SIGNED)
    submit_seconds = time.monotonic() - started
    assert response.status_code == 302
    assert response["Location"] == "/thank-you/"
    assert client.get("/thank-you/").status_code == 200
    assert Submission.objects.count() == 1
    assert accepted == [], "the submit request itself talked to the mail server"
    assert submit_seconds < HOLD_SECONDS / 2, submit_seconds

    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        run_queued_tasks()
    worker_seconds = time.monotonic() - started

    assert accepted, "the worker never reached the mail server"
    # Bounded by the timeout, far below the server's hold (without a timeout: for ever).
    assert worker_seconds < HOLD_SECONDS / 2, worker_seconds
    assert any("retrying" in record.getMessage() for record in caplog.records)
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry, queued


def test_the_mail_timeout_is_a_setting_with_a_default():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 10
