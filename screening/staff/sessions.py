"""Staff sessions end after inactivity, after an absolute limit, and when the browser closes.

Patients' sessions (drafts) follow SCREENING_DRAFT_IDLE_MINUTES instead; this middleware only
looks at signed-in staff.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

LOGIN_AT = "staff_login_at"
LAST_SEEN = "staff_last_seen"
TOUCH_INTERVAL = timedelta(seconds=30)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            expired = self._expired(request.session, timezone.now())
            if expired:
                logout(request)
                return redirect(f"{reverse('admin:login')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _expired(session, now: datetime) -> bool:
        idle = timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)
        absolute = timedelta(hours=settings.STAFF_SESSION_MAX_HOURS)
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN)
        if login_at is None:
            session[LOGIN_AT] = now.isoformat()
        elif now - datetime.fromisoformat(login_at) > absolute:
            return True
        if last_seen is not None:
            quiet_for = now - datetime.fromisoformat(last_seen)
            if quiet_for > idle:
                return True
            if quiet_for < TOUCH_INTERVAL:
                return False  # recorded recently enough: spare the session write
        session[LAST_SEEN] = now.isoformat()
        session.set_expiry(0)  # the cookie ends with the browser
        return False
