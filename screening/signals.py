"""Staff sign-ins, and failed ones, go into the audit trail (the lockout itself is django-axes').

A failed sign-in is a wrong password or, after a right one, a wrong authenticator code
(`staff_forms.StaffLoginForm` sends `user_login_failed` with `reason`).
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from screening.models import AuditEvent
from screening.records import audit


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
