"""Writing the audit trail: who did what to which submission, when and from where."""

from __future__ import annotations

from .models import AuditEvent


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(*, action: str, request=None, actor=None, submission=None, detail: str = "") -> None:
    """Append one event. `detail` is for references and codes, never health data."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    AuditEvent.objects.create(actor=actor, action=action, submission=submission,
                              detail=detail[:200], client_address=client_address(request))
