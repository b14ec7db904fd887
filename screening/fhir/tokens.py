"""API tokens of the FHIR API: asked for by a clinic admin (shown once), approved by a second
person (the privacy officer), stored hashed, limited to a scope, expiring, revoked.

A token reads "fhir_<prefix>_<secret>": the prefix (stored in clear) lets an admin recognise it
in the list, the whole token's SHA-256 is what is stored and looked up. Who may ask, approve and
revoke, and when a token is live, is decided in `screening.staff.access`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.mail import notifications
from screening.mail.tasks import queue_email
from screening.models import ApiToken, AuditEvent
from screening.records import audit
from screening.staff import access

TOKEN_START = "fhir_"


class TokenRefused(PermissionError):
    """The acting user may not do this to a token."""


class TokenNameTaken(ValueError):
    """An active token already has this name: the list could not tell the two apart."""


def name_taken(name: str) -> bool:
    """Another token neither revoked nor expired has this name (case and spaces aside)."""
    return ApiToken.objects.filter(
        name__iexact=name.strip(), revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token: shown once, never stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, name: str, scopes, actor, address: str | None = None, now=None) -> NewToken:
    """A new token for the integration `name`, reading `scopes` (FHIR resource types) once a
    second person approves it; the returned secret is the only copy."""
    if not access.can_request_api_token(actor):
        raise TokenRefused("Only a clinic admin asks for FHIR API tokens.")
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(ApiToken.Scope.values):
        raise TokenRefused("Choose what the token may read.")
    now = now or timezone.now()
    name = name.strip()
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        if name_taken(name):
            raise TokenNameTaken(
                f"A token named {name!r} is in use: revoke it first, or choose another name."
            )
        token = ApiToken.objects.create(
            name=name,
            prefix=prefix,
            token_hash=token_hash(secret),
            scopes=scopes,
            created_by=actor,
            expires_at=now + timedelta(days=settings.SCREENING_FHIR_TOKEN_DAYS),
        )
        audit.record(
            action=AuditEvent.Action.TOKEN_ADDED,
            actor=actor,
            address=address,
            api_token=token,
            detail=f"token #{token.pk} {prefix}: {', '.join(scopes)}; awaits approval",
        )
        queue_email(kind=notifications.TOKEN_REQUESTED, object_id=token.pk)
    return NewToken(token=token, secret=secret)


def api_token_approve(*, token: ApiToken, actor, address: str | None = None) -> None:
    """The second person's approval: from now on (until it expires) the token reads its scope."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if not access.can_approve_api_token(actor, token):
            raise TokenRefused(
                "Only the privacy officer approves a token, never one they asked for."
            )
        token.approved_at = timezone.now()
        token.approved_by = actor
        token.save(update_fields=["approved_at", "approved_by"])
        audit.record(
            action=AuditEvent.Action.TOKEN_APPROVED,
            actor=actor,
            address=address,
            api_token=token,
            detail=f"token #{token.pk} {token.prefix}: {', '.join(token.scopes)}",
        )


def api_token_revoke(
    *, token: ApiToken, actor, address: str | None = None, reason: str = ""
) -> None:
    """Revoke `token` at once (a revoked token stays, for the audit trail)."""
    if actor is not None and not access.can_revoke_api_token(actor):
        raise TokenRefused("Only a clinic admin or the privacy officer revokes FHIR API tokens.")
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if updated:
            audit.record(
                action=AuditEvent.Action.TOKEN_REVOKED,
                actor=actor,
                address=address,
                api_token=token,
                detail=f"token #{token.pk} {token.prefix}" + (f": {reason}" if reason else ""),
            )


def live_token(authorization: str) -> ApiToken | None:
    """The live token an `Authorization: Bearer ...` header carries, or None."""
    scheme, _, secret = authorization.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_START):
        return None
    token = (
        ApiToken.objects.select_related("created_by", "approved_by")
        .filter(token_hash=token_hash(secret))
        .first()
    )
    return token if access.token_is_live(token) else None
