"""Staff sessions end after inactivity, after an absolute limit, and when the browser closes;
with two-factor sign-in, a session signed in by password alone (an account with no authenticator
yet) opens nothing but the page that sets one up.

Patients' sessions (drafts) follow SCREENING_DRAFT_IDLE_MINUTES instead; this middleware only
looks at signed-in staff.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite

from screening.staff import two_factor

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
            if self._awaiting_enrolment(request):
                target = reverse("staff_two_factor")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _awaiting_enrolment(request) -> bool:
        """Signed in without a second factor, on a two-factor site, on a page other than the
        set-up page or signing out: the account has no authenticator yet."""
        if not isinstance(admin.site, OTPAdminSite) or request.user.is_verified():
            return False
        staff_root = reverse("admin:index")
        open_pages = (reverse("staff_two_factor"), reverse("admin:logout"))
        if not request.path.startswith(staff_root) or request.path in open_pages:
            return False
        return not two_factor.has_second_factor(request.user)

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
