"""The re-confirmation's place in the patient's session: which submission, how it was opened
(the reminder's link or the check-in tablet), whether the date of birth was confirmed, and the
choices of its first page until the second is sent.

The session holds the submission's id, never a reference or an answer in a URL. It ends (and
can no longer show answers) when the re-confirmation is sent, when the patient or the tablet's
idle timer leaves it (SCREENING_CHECK_IN_IDLE_MINUTES on the tablet, the draft's idle time on
the link), and when a new one starts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

SESSION_KEY = "screening_check_in"
# What the closing page may say once the state is gone: how it was opened, nothing else.
CLOSED_KEY = "screening_check_in_closed"
LINK = "link"
TABLET = "tablet"


def idle_limit(via: str) -> timedelta:
    minutes = (
        settings.SCREENING_CHECK_IN_IDLE_MINUTES
        if via == TABLET
        else settings.SCREENING_DRAFT_IDLE_MINUTES
    )
    return timedelta(minutes=minutes)


def start(session, *, submission_id: int, via: str) -> None:
    """A fresh session for this re-confirmation: nothing of any earlier patient's stays in it."""
    session.cycle_key()
    for key in list(session.keys()):
        if key.startswith("screening_"):
            del session[key]
    session[SESSION_KEY] = {
        "submission": submission_id,
        "via": via,
        "verified": False,
        "touched_at": timezone.now().isoformat(),
        "confirmed": [],
        "changed": [],
        "since": {},
    }


def current(session, *, now: datetime | None = None) -> dict | None:
    """The open re-confirmation of this session, or None; an idle one is closed here."""
    state = session.get(SESSION_KEY)
    if not state:
        return None
    now = now or timezone.now()
    if now - datetime.fromisoformat(state["touched_at"]) > idle_limit(state["via"]):
        close(session)
        return None
    return state


def save(session, state: dict) -> None:
    state["touched_at"] = timezone.now().isoformat()
    session[SESSION_KEY] = state


def close(session) -> None:
    """Forget the re-confirmation: from now on this session shows no answer."""
    state = session.pop(SESSION_KEY, None)
    if state:
        session[CLOSED_KEY] = state["via"]


def closed_via(session) -> str:
    return session.get(CLOSED_KEY, "")
