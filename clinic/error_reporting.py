"""Error reporting to Sentry (or a compatible service), off unless SENTRY_DSN is set.

An error report leaves the clinic's machine, so it carries no health data: no request body, no
cookies, no query string, no headers but the request id, no local variables, no breadcrumbs
(SQL and log lines), no user, and no exception messages (a database error quotes the refused row
whole; any message may quote a value). What stays: the exception's type, the stack of code
locations, the URL's path with link tokens masked, the method, the release and the environment.
`scrub` is applied to every event before it is sent; tests/clinic/test_error_reporting.py raises
an error with a patient's name, email and date of birth in scope and finds none of them in it.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from clinic.log_masking import mask

WITHHELD = "(withheld: it may hold health data)"
KEPT_HEADERS = {"x-request-id"}


def _scrub_frames(holder: dict | None) -> None:
    for frame in ((holder or {}).get("stacktrace") or {}).get("frames") or []:
        frame.pop("vars", None)


def scrub(event: dict, hint: dict | None = None) -> dict:
    """The event without anything that may hold health data; Sentry's `before_send`."""
    request = event.get("request")
    if isinstance(request, dict):
        url = request.get("url") or ""
        parts = urlsplit(url)
        event["request"] = {
            "method": request.get("method"),
            "url": mask(urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))),
            "headers": {
                key: value
                for key, value in (request.get("headers") or {}).items()
                if key.lower() in KEPT_HEADERS
            },
        }
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = WITHHELD
        _scrub_frames(exception)
    for thread in (event.get("threads") or {}).get("values") or []:
        _scrub_frames(thread)
    if isinstance(event.get("transaction"), str):  # the path, when named after the URL
        event["transaction"] = mask(event["transaction"])
    event.pop("breadcrumbs", None)
    event.pop("user", None)
    event.pop("extra", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):  # the message's arguments may be values; the template stays
        logentry.pop("params", None)
        logentry["formatted"] = mask(logentry.get("message") or "")
    if "message" in event:
        event["message"] = mask(str(event["message"]))
    return event


def start_error_reporting(*, dsn: str, environment: str, transport=None) -> None:
    """Start the Sentry client (sentry-sdk: `pip install laser-prescreen[sentry]`)."""
    try:
        import sentry_sdk
    except ImportError as error:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: install the [sentry] extra."
        ) from error
    from clinic.version import VERSION

    options = {"transport": transport} if transport is not None else {}
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=f"laser-prescreen@{VERSION}",
        include_local_variables=False,
        include_source_context=True,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub,
        **options,
    )
