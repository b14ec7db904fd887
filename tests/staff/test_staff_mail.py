"""A staff member's password link goes through the task queue like every other email: a mail
server that is down, refusing or silent never answers the clinic admin with a 500, the account
is kept, and the link is retried and, after the last attempt, visibly failed. The servers are
real sockets on 127.0.0.1 (tests/smtp_sink.py for one that refuses the message)."""

import socket
import threading

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.models import AuditEvent
from tests.smtp_sink import SmtpSink
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

USERS = "/staff/auth/user/"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server():
    """Accepts connections and never says a word (no SMTP greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def refusing_server():
    """Refuses every message (554 after it) to the addresses the tests use."""
    server = SmtpSink().start()
    for address in ("nurse@clinic.example", "front-desk-1@clinic.example"):
        server.plan[address] = ["refuse_message"] * 5
    yield server.port
    server.stop()


@pytest.fixture(params=["down", "refusing", "silent"])
def broken_mail(request, settings):
    settings.SCREENING_EMAIL_RETRY_MINUTES = []  # the first failure is the last
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_PORT = {
        "down": _closed_port,
        "refusing": lambda: request.getfixturevalue("refusing_server"),
        "silent": lambda: request.getfixturevalue("silent_server"),
    }[request.param]()
    return request.param


def test_adding_an_account_with_the_mail_server_broken_is_no_500(client, make_staff, broken_mail):
    client.force_login(make_staff("Clinic admin"))
    response = client.post(
        f"{USERS}add/",
        {
            "username": "newnurse",
            "email": "nurse@clinic.example",
            "roles": ["Provider"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="newnurse")
    (queued,) = DBTaskResult.objects.all()
    assert (
        queued.args_kwargs["kwargs"].items()
        >= {
            "kind": "password_link",
            "object_id": account.pk,
            "attempt": 1,
        }.items()
    )
    assert "queued" in client.get(response["Location"]).content.decode()
    run_queued_tasks()
    assert DBTaskResult.objects.get().status == "FAILED"
    failed = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_FAILED)
    assert failed.detail.startswith("password_link for account newnurse: ")
    assert "nurse@clinic.example" not in failed.detail


def test_sending_a_password_link_again_with_the_mail_server_broken_is_no_500(
    client, make_staff, broken_mail
):
    front_desk = make_staff("Front desk")
    client.force_login(make_staff("Clinic admin"))
    response = client.post(
        USERS, {"action": "send_password_link", "_selected_action": [front_desk.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Queued 1 password link" in response.content.decode()
    assert DBTaskResult.objects.count() == 1


def test_a_password_link_is_retried_then_sent(
    client, make_staff, settings, mailoutbox, refusing_server
):
    settings.SCREENING_EMAIL_RETRY_MINUTES = [5]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", refusing_server
    front_desk = make_staff("Front desk")
    client.force_login(make_staff("Clinic admin"))
    client.post(USERS, {"action": "send_password_link", "_selected_action": [front_desk.pk]})
    run_queued_tasks()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_queued_tasks()
    (message,) = mailoutbox
    assert message.to == [front_desk.email]
    assert settings.CLINIC_NAME in message.subject
    assert "/staff/auth/user/reset/" in message.body
