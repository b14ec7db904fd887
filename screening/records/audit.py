"""Writing the audit trail: who did what to which submission, when and from where."""

from __future__ import annotations

from clinic.client_address import client_address as clinic_client_address
from screening.models import AuditEvent


def client_address(request) -> str | None:
    """The request's client address (clinic.client_address), None without a request."""
    if request is None:
        return None
    return clinic_client_address(request) or None


def record(
    *,
    action: str,
    request=None,
    actor=None,
    submission=None,
    detail: str = "",
    address: str | None = None,
    api_token=None,
) -> AuditEvent:
    """Append one event. `detail` is for references, codes of ours and staff names, never health
    data (no flag code, no answer, no decision outcome): the privacy officer reads it.

    Services pass `actor` and `address`; `request` remains for the sign-in signals. An
    integration's requests name its `api_token` (its reads are the token's, not anonymous)."""
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    if address is None:
        address = client_address(request)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        submission=submission,
        # A path or a username quoted as typed may hold a NUL (which PostgreSQL refuses in text)
        # or other control characters: shown as "?".
        detail="".join(ch if ch.isprintable() else "?" for ch in detail[:200]),
        client_address=address,
        api_token=api_token,
    )


def provider_label(provider) -> str:
    """How the trail names a provider: display name and username (not "provider #3")."""
    if provider is None:
        return "nobody"
    return f"{provider.display_name} ({provider.user.get_username()})"
