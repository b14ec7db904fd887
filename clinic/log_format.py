"""Production log lines: one JSON object a line on stdout, each with the request it belongs to.

`DJANGO_LOG_FORMAT` is `json` (the default when DJANGO_DEBUG=0) or `text` (the default in debug,
for a person reading a terminal). Each object has `time` (UTC, ISO 8601), `level`, `logger`,
`message` and `request_id`, plus `exception` (the traceback, after the PHI filter has replaced
the exception by its type) when there is one. The request id comes from `RequestIdMiddleware`:
a proxy's `X-Request-ID` when it looks like one, else a fresh one; the response carries it back,
so a report from a user or a proxy's log finds the app's lines. Health data never gets here: the
filters of settings.LOGGING run on every handler before any formatter.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import uuid
from datetime import UTC, datetime

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Where the id is kept in the WSGI environ, for gunicorn's access log (clinic/gunicorn_conf.py).
ENVIRON_KEY = "clinic.request_id"


def log_format() -> str:
    """`json` or `text`, from the environment (settings and gunicorn's conf both ask)."""
    debug = os.environ.get("DJANGO_DEBUG", "1").strip().lower() not in {"0", "false", "no", "off"}
    chosen = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower() or (
        "text" if debug else "json"
    )
    if chosen not in {"json", "text"}:
        raise ValueError(f"DJANGO_LOG_FORMAT must be json or text, got {chosen!r}")
    return chosen


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdMiddleware:
    """Give each request an id, for its log lines and its `X-Request-ID` response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _ACCEPTED_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        request.META[ENVIRON_KEY] = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None, outside a request) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if isinstance(getattr(record, "http", None), dict):  # gunicorn's access line
            entry["http"] = record.http
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
