"""Reading PostgreSQL's dates whatever they hold.

PostgreSQL keeps dates and times from 4713 BC to 294276 AD, and `infinity`; Python's `date` and
`datetime` run from year 1 to 9999. A value outside Python's range (an appointment typed as
9999-12-31 23:59 in New York is year 10000 in UTC) makes psycopg raise on every query that reads
its row, and every page that lists the row answers 500: the queue, for everyone. The forms refuse
such values now; a row written before they did, or by another tool, is read here as the nearest
value Python holds (the first or last moment of its range), which the pages show as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db.backends.signals import connection_created

_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _too_early(data) -> bool:
    """Whether the text psycopg refused is before year 1 (BC, or -infinity) rather than after
    year 9999."""
    text = bytes(data).strip()
    return text.startswith(b"-") or text.endswith(b"BC")


def _register_loaders(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql":
        return
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader, is_psycopg3

    if not is_psycopg3:
        return
    from psycopg import DataError
    from psycopg.types.datetime import DateLoader

    class InRangeTzLoader(BaseTzLoader):
        # Django re-registers its own loader on a cursor whose zone differs from this one's.
        timezone = connection.timezone

        def load(self, data):
            try:
                return super().load(data)
            except DataError:
                moment = _EARLIEST if _too_early(data) else _LATEST
                return moment.replace(tzinfo=self.timezone) if self.timezone else moment

    class InRangeDateLoader(DateLoader):
        def load(self, data):
            try:
                return super().load(data)
            except DataError:
                return date.min if _too_early(data) else date.max

    adapters = connection.connection.adapters
    adapters.register_loader("timestamptz", InRangeTzLoader)
    adapters.register_loader("date", InRangeDateLoader)


def read_out_of_range_dates_safely() -> None:
    """From now on, every new PostgreSQL connection reads out-of-range dates as above."""
    connection_created.connect(_register_loaders, dispatch_uid="clinic.database.loaders")
