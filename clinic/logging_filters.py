"""A logging filter that keeps health data out of every log record and every error email.

A database error's message quotes the row it refused (PostgreSQL: `DETAIL: Failing row contains
(...)`, with the patient's name, email, phone and answers), and an exception's message in general
may quote any value. The filter, on every handler (console and `mail_admins` alike), replaces the
exception of a record by one that keeps its type and its stack of code locations and drops its
message and its chain of causes; exception objects passed as arguments become their type name,
and a message that still carries a database `DETAIL` line loses it.
"""

from __future__ import annotations

import logging
import re

_DETAIL = re.compile(r"\s*DETAIL:.*", re.DOTALL)


class ExceptionDetailsWithheld(Exception):
    """Stands in for a logged exception: its type's name, and the original's traceback."""


def withheld(error: BaseException) -> ExceptionDetailsWithheld:
    """An exception naming `error`'s type, with `error`'s traceback and nothing it said."""
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    stand_in = ExceptionDetailsWithheld(f"{name} (message withheld: it may hold health data)")
    return stand_in.with_traceback(error.__traceback__)


def _safe_argument(argument):
    if isinstance(argument, BaseException):
        return type(argument).__qualname__
    return argument


class StripExceptionDetails(logging.Filter):
    """Rewrites the record in place (so every later handler sees it clean); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        if exception is not None and not isinstance(exception, ExceptionDetailsWithheld):
            stand_in = withheld(record.exc_info[1])
            record.exc_info = (type(stand_in), stand_in, stand_in.__traceback__)
            record.exc_text = None
        if isinstance(record.args, tuple):
            record.args = tuple(_safe_argument(argument) for argument in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _safe_argument(value) for key, value in record.args.items()}
        if isinstance(record.msg, BaseException):
            record.msg = _safe_argument(record.msg)
        elif isinstance(record.msg, str) and "DETAIL:" in record.msg:
            record.msg = _DETAIL.sub(" (database detail withheld)", record.msg)
        return True
