"""Failed staff logins go into the audit trail (the lockout itself is django-axes')."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from . import audit
from .models import AuditEvent


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        action=AuditEvent.Action.LOGIN_FAILED, request=request, detail=f"username {username!r}"
    )
