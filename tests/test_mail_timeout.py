"""A mail server that accepts the connection and never answers must not hang a patient's submit."""

import logging
import socket
import threading
import time

import pytest

from screening.models import Submission
from tests.factories import full_answers
from tests.patient import answer_all_steps

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


def test_a_hung_mail_server_costs_the_submit_its_timeout_and_the_patient_sees_the_confirmation(
    client, settings, silent_mail_server, make_staff, django_capture_on_commit_callbacks, caplog
):
    port, accepted = silent_mail_server
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 1
    make_staff("Provider", level="physician")
    answer_all_steps(client, full_answers())

    started = time.monotonic()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/review/")
    elapsed = time.monotonic() - started

    assert accepted, "the notification never reached the mail server"
    # Bounded by the timeout, far below the server's hold (without a timeout: for ever).
    assert elapsed < HOLD_SECONDS / 2, elapsed
    assert response.status_code == 302
    assert response["Location"] == "/thank-you/"
    assert client.get("/thank-you/").status_code == 200
    submission = Submission.objects.get()
    assert any(
        "Could not send the notification" in r.getMessage()
        and submission.reference in r.getMessage()
        for r in caplog.records
    )


def test_the_mail_timeout_is_a_setting_with_a_default():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 10
