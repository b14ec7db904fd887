"""Writing the audit trail: who did what to which submission, when and from where."""

from __future__ import annotations

from clinic.client_address import client_address as clinic_client_address

from .models import AuditEvent


def client_address(request) -> str | None:
    """The request's client address (clinic.client_address), None without a request."""
    if request is None:
        return None
    return clinic_client_address(request) or None


def record(*, action: str, request=None, actor=None, submission=None, detail: str = "") -> None:
    """Append one event. `detail` is for references and codes, never health data."""
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    AuditEvent.objects.create(
        actor=actor,
        action=action,
        submission=submission,
        detail=detail[:200],
        client_address=client_address(request),
    )
