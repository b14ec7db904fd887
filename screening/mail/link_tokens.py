"""The tokens in patients' links (invitations, saved drafts): made, hashed, looked up.

A token is an HMAC-SHA256 of a per-link random salt (128 bits from `secrets`) under a key
derived from SECRET_KEY, as Django's password-reset tokens are: 256 bits in the link, 43
characters of base64url. The database holds the salt and the token's SHA-256, never the token:
a copy of the database alone opens no link, and the worker can still rebuild the link for a
reminder without anyone storing it. Rotating SECRET_KEY invalidates every link (the front desk
then re-sends them).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

SALT_BYTES = 16  # 128 bits


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def token_for(*, purpose: str, salt: str) -> str:
    digest = salted_hmac(f"screening.link.{purpose}", salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, hex (a token has 256 bits: no salt needed)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
