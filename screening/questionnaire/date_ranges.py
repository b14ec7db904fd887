"""The range of every date and time a person can enter, staff or patient.

A date of birth is checked with the question (answer_types: not in the future, not more than
OLDEST_AGE_YEARS ago). An appointment, the front desk's or a CSV row's, is a consultation this
clinic books:

- at most APPOINTMENT_DAYS_AHEAD (two years) ahead: no clinic books a consultation further out,
  and a mistyped year (2062 for 2026, 9999 for "some day") is caught instead of stored. A value
  near the end of Python's calendar is not just wrong: 9999-12-31 23:59 in New York is year 10000
  in UTC, which PostgreSQL keeps and Python cannot read, and every page listing the row failed;
- at most APPOINTMENT_DAYS_BEHIND (one year) back, for a consultation recorded after it took
  place: a date further back is a typo, and past the review of any open submission.

An invitation's appointment must also be still to come (invitations.forms).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from screening.questionnaire.date_display import clinic_time

APPOINTMENT_DAYS_AHEAD = 730
APPOINTMENT_DAYS_BEHIND = 365


def appointment_error(moment: datetime, *, now: datetime | None = None) -> str:
    """Why `moment` is no appointment this clinic books ("" when it may be one); staff read it."""
    now = now or timezone.now()
    if moment > now + timedelta(days=APPOINTMENT_DAYS_AHEAD):
        return "An appointment can be at most two years ahead. Please check the year."
    if moment < now - timedelta(days=APPOINTMENT_DAYS_BEHIND):
        return "An appointment can be at most one year in the past. Please check the year."
    return ""


def form_initial(moment: datetime | None) -> datetime | None:
    """A stored moment as a form shows it: in the clinic's zone, or (a value at the edge of the
    calendar, which the zone would push out of it) as stored, in UTC, for staff to correct."""
    if moment is None or not timezone.is_aware(moment):
        return moment
    local = clinic_time(moment)
    return local if local is not moment else moment.replace(tzinfo=None)
