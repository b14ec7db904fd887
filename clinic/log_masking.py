"""Keep patients' link tokens and staff password-reset tokens out of logs and error reports.

A patient's link is `/i/<token>/` (an invitation) or `/r/<token>/` (a saved draft's resume link).
`LinkTokenMiddleware` takes the token off the request before anything else reads the path, so
Django's request logging, error reports and views after it see `/i/` only; the view reads the
token from `request.link_token`. The request lines that servers write themselves (runserver's
`django.server` records, gunicorn's access log: `clinic/gunicorn_conf.py`) go through `mask()`,
which also masks the token of a staff member's password-reset link
(`/staff/auth/user/reset/<uidb64>/<token>/`: whoever reads the log could choose their password
until the token expires). Django's own reset view swaps it for `set-password` at once.
"""

from __future__ import annotations

import logging
import re

LINK_PREFIXES = ("i", "r")
TOKEN_PATTERN = r"[A-Za-z0-9_-]+"
_LINK = re.compile(rf"/({'|'.join(LINK_PREFIXES)})/{TOKEN_PATTERN}")
_LINK_PATH = re.compile(rf"^/({'|'.join(LINK_PREFIXES)})/({TOKEN_PATTERN})/?$")
MASK = "[token]"
_RESET = re.compile(r"(/reset/[A-Za-z0-9_-]+/)(?!set-password/)[A-Za-z0-9_:-]+")


def mask(text: str) -> str:
    """`text` with every link token and password-reset token replaced by [token]."""
    return _RESET.sub(rf"\1{MASK}", _LINK.sub(rf"/\1/{MASK}", text))


ENVIRON_KEYS = ("PATH_INFO", "RAW_URI", "REQUEST_URI", "HTTP_REFERER", "QUERY_STRING")


def mask_environ(environ: dict) -> None:
    """Mask link tokens in a WSGI environ, in place: a server's access log reads these keys once
    the app has answered (clinic.wsgi does it, so gunicorn's log is masked with any config)."""
    for key in ENVIRON_KEYS:
        value = environ.get(key)
        if isinstance(value, str):
            environ[key] = mask(value)


class MaskLinkTokens(logging.Filter):
    """A logging filter that masks link tokens in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: mask(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        return True


class LinkTokenMiddleware:
    """Move a link's token from the path to `request.link_token`; the path becomes `/i/`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        referrer = request.META.get("HTTP_REFERER")
        if referrer:  # an error report quotes it
            request.META["HTTP_REFERER"] = mask(referrer)
        match = _LINK_PATH.match(request.path_info)
        if match:
            prefix, token = match.groups()
            request.link_token = token
            request.path_info = f"/{prefix}/"
            request.path = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}/{prefix}/"
            for key in ("PATH_INFO", "REQUEST_URI", "RAW_URI"):
                if key in request.META:
                    request.META[key] = mask(request.META[key])
            request.META["PATH_INFO"] = f"/{prefix}/"
        return self.get_response(request)
