"""Staff sign-ins, and failed ones, go into the audit trail (the lockout itself is django-axes').

A failed sign-in is a wrong password or, after a right one, a wrong authenticator code
(`staff_forms.StaffLoginForm` sends `user_login_failed` with `reason`).
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from screening.models import AuditEvent
from screening.records import audit
from screening.staff import lockout


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, reason="password", **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        detail=f"username {username!r}, wrong {reason}",
    )


@receiver(user_logged_in)
def audit_signed_in(sender, request, user, **kwargs):
    audit.record(action=AuditEvent.Action.SIGNED_IN, request=request, actor=user)


@receiver(user_locked_out)
def audit_and_tell_a_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    lockout.sign_in_locked(username=username or "", address=ip_address or None)
