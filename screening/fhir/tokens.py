"""API tokens of the FHIR API: created by a clinic admin (shown once), stored hashed, revoked.

A token reads "fhir_<prefix>_<secret>": the prefix (stored in clear) lets an admin recognise it
in the list, the whole token's SHA-256 is what is stored and looked up.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from screening.models import ApiToken, AuditEvent
from screening.records import audit
from screening.staff import access

TOKEN_START = "fhir_"


class TokenRefused(PermissionError):
    """The acting user may not manage API tokens."""


class TokenNameTaken(ValueError):
    """An active token already has this name: the list could not tell the two apart."""


def name_taken(name: str) -> bool:
    """Another token not revoked has this name (case and surrounding spaces aside)."""
    return ApiToken.objects.filter(name__iexact=name.strip(), revoked_at__isnull=True).exists()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token: shown once, never stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, name: str, actor, address: str | None = None) -> NewToken:
    """A new token for the integration `name`; the returned secret is the only copy."""
    if not access.can_manage_api_tokens(actor):
        raise TokenRefused("Only a clinic admin creates FHIR API tokens.")
    name = name.strip()
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        if name_taken(name):
            raise TokenNameTaken(
                f"A token named {name!r} is in use: revoke it first, or choose another name."
            )
        token = ApiToken.objects.create(
            name=name, prefix=prefix, token_hash=token_hash(secret), created_by=actor
        )
        audit.record(
            action=AuditEvent.Action.TOKEN_ADDED,
            actor=actor,
            address=address,
            detail=f"token #{token.pk} {prefix}",
        )
    return NewToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken, actor, address: str | None = None) -> None:
    """Revoke `token` at once (a revoked token stays, for the audit trail)."""
    if not access.can_manage_api_tokens(actor):
        raise TokenRefused("Only a clinic admin revokes FHIR API tokens.")
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if updated:
            audit.record(
                action=AuditEvent.Action.TOKEN_REVOKED,
                actor=actor,
                address=address,
                detail=f"token #{token.pk} {token.prefix}",
            )


def active_token(authorization: str) -> ApiToken | None:
    """The active token an `Authorization: Bearer ...` header carries, or None."""
    scheme, _, secret = authorization.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_START):
        return None
    token = ApiToken.objects.filter(token_hash=token_hash(secret)).first()
    if token is None or not token.is_active:
        return None
    return token
