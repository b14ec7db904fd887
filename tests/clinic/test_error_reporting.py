"""Error reports to Sentry carry no health data (clinic.error_reporting).

A view fails with a patient's name, email and date of birth in its local variables, its request
body, its query string, a cookie and the exception's message; the event Sentry would send is
captured in-process by a transport and holds none of them.
"""

from __future__ import annotations

import io
import json
from urllib.parse import quote, urlencode
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from sentry_sdk.transport import Transport

from clinic.error_reporting import WITHHELD, scrub, start_error_reporting
from clinic.wsgi import application

NAME = "Philippa Quenby-Marchetti"
EMAIL = "philippa.quenby@example.net"
DATE_OF_BIRTH = "1987-03-29"
TOKEN = "Zq7xK2mN9pR4sT6vW8yB1cD3eF5gH0jL"


@csrf_exempt
def failing_view(request):
    patient = {"name": NAME, "email": EMAIL, "date_of_birth": DATE_OF_BIRTH}
    answers = request.POST.dict()
    raise ValueError(f"cannot save {patient['name']} <{patient['email']}> {answers}")


def working_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("fails/", failing_view),
    path("i/", failing_view),
    path("works/", working_view),
]


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    start_error_reporting(
        dsn="https://public@sentry.invalid/1", environment="test", transport=transport
    )
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # off again for the other tests


def send_failing_request(url: str) -> None:
    """Through the WSGI application, as gunicorn calls it (Sentry reads the request there)."""
    body = urlencode({"full_name": NAME, "email": EMAIL, "date_of_birth": DATE_OF_BIRTH}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": url,
        "RAW_URI": url,
        "QUERY_STRING": urlencode({"email": EMAIL, "dob": DATE_OF_BIRTH}),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"sessionid={quote(NAME)}; draft={quote(EMAIL)}",
        "HTTP_REFERER": f"https://clinic.example/i/{TOKEN}/",
        "HTTP_X_REQUEST_ID": "req-0123456789",
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    statuses = []
    result = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(result)
    assert statuses[0].startswith("500")
    sentry_sdk.flush()


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("url", ["/fails/", f"/i/{TOKEN}/"])
def test_an_error_with_a_patient_in_scope_reaches_sentry_without_them(sentry_events, url):
    send_failing_request(url)
    assert len(sentry_events) == 1
    event = sentry_events[0]
    sent = json.dumps(event)
    for secret in (NAME, "Quenby", EMAIL, DATE_OF_BIRTH, "1987", TOKEN):
        assert secret not in sent
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["value"] == WITHHELD
    assert any(frame["function"] == "failing_view" for frame in exception["stacktrace"]["frames"])
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"].endswith(url.replace(TOKEN, "[token]"))
    assert event["request"]["headers"] == {"X-Request-Id": "req-0123456789"}


def test_scrub_removes_bodies_cookies_query_strings_variables_and_messages():
    event = {
        "request": {
            "method": "POST",
            "url": f"https://c.example/r/{TOKEN}/?e={EMAIL}",
            "query_string": f"e={EMAIL}",
            "data": {"name": NAME},
            "cookies": {"sessionid": NAME},
            "headers": {"Cookie": NAME, "Referer": EMAIL},
            "env": {"REMOTE_ADDR": "10.0.0.1"},
        },
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": f"DETAIL: Failing row contains ({NAME})",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"email": EMAIL}}]},
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [{"vars": {"dob": DATE_OF_BIRTH}}]}}]},
        "breadcrumbs": {"values": [{"message": f"INSERT ... {NAME}"}]},
        "extra": {"patient": NAME},
        "user": {"email": EMAIL},
        "logentry": {"message": "Email %s not sent", "params": [EMAIL]},
    }
    sent = json.dumps(scrub(event, {}))
    for secret in (NAME, EMAIL, DATE_OF_BIRTH, TOKEN, "10.0.0.1"):
        assert secret not in sent
    assert event["exception"]["values"][0]["type"] == "IntegrityError"


def test_reporting_is_off_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert sentry_sdk.get_client().transport is None
