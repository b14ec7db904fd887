"""Two-factor sign-in set up by the person themself, and reset by a clinic admin.

A staff account with no confirmed authenticator signs in with its password alone, and is then
held on one page until it enrols: it scans a QR code into an authenticator app, proves it with a
code, and is shown recovery codes once (django-otp's static device). Nothing of the workspace is
reachable before that. A lost phone is a clinic admin's reset (audited): the account's
authenticator and recovery codes are removed, and its next sign-in enrols again.

The secret never leaves the server except as the QR code and its typed-out form on the holder's
own page; the recovery codes are shown once and stored as django-otp stores them.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.models import AuditEvent
from screening.records import audit
from screening.staff import access

AUTHENTICATOR_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"
RECOVERY_CODES = 10


class TwoFactorRefused(Exception):
    """The two-factor change is not allowed; the message says why."""


def has_second_factor(account) -> bool:
    """Any confirmed device (authenticator or recovery codes): then sign-in asks for a code."""
    return user_has_device(account, confirmed=True)


def is_enrolled(account) -> bool:
    """Has a confirmed authenticator (recovery codes alone are not an enrolment)."""
    return TOTPDevice.objects.filter(user=account, confirmed=True).exists()


def pending_device(account) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made on first asking; the same one until
    it is confirmed, so a reload shows the same QR code the app may already hold)."""
    device = TOTPDevice.objects.filter(user=account, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=account, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG (no image library, no request to fetch
    it: the secret stays inside the one page)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def typed_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrolment_confirm(*, account, code: str, address: str | None = None) -> tuple:
    """Confirm the pending authenticator with a code from it; returns (device, recovery codes).

    Raises TwoFactorRefused when the account already has one or the code is wrong."""
    with transaction.atomic():
        if has_second_factor(account):
            raise TwoFactorRefused("This account already has an authenticator.")
        device = pending_device(account)
        if not device.verify_token(code.replace(" ", "")):
            raise TwoFactorRefused(
                "That code does not match. Check the app shows this account, and type the "
                "code it shows now."
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=account, confirmed=False).delete()
        codes = _new_recovery_codes(account)
        audit.record(
            action=AuditEvent.Action.TWO_FACTOR_ENROLLED,
            actor=account,
            address=address,
            detail=f"account {account.get_username()}: authenticator set up, recovery codes made",
        )
    return device, codes


def _new_recovery_codes(account) -> list[str]:
    StaticDevice.objects.filter(user=account).delete()
    device = StaticDevice.objects.create(user=account, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_reset(*, account, actor, address: str | None = None) -> None:
    """Remove the account's authenticator and recovery codes (a lost or replaced phone): its
    next sign-in enrols a new one. Audited; never your own account."""
    if not access.can_reset_two_factor(actor, account):
        raise TwoFactorRefused("You cannot reset two-factor sign-in for this account.")
    _remove_devices(account=account, actor=actor, address=address)


def two_factor_reset_by_command(*, account) -> None:
    """The same from `manage.py enrol_totp USER --reset` (the server's shell: no actor)."""
    _remove_devices(account=account, actor=None, address=None)


def _remove_devices(*, account, actor, address) -> None:
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=account).delete()[0]
        StaticDevice.objects.filter(user=account).delete()
        audit.record(
            action=AuditEvent.Action.TWO_FACTOR_RESET,
            actor=actor,
            address=address,
            detail=(
                f"account {account.get_username()}: authenticator and recovery codes removed"
                f" ({removed} device{'s' if removed != 1 else ''}); enrols at next sign-in"
                + ("" if actor is not None else "; by manage.py enrol_totp")
            ),
        )


def recovery_code_used(*, account, address: str | None = None) -> None:
    left = StaticToken.objects.filter(device__user=account).count()
    audit.record(
        action=AuditEvent.Action.RECOVERY_USED,
        actor=account,
        address=address,
        detail=f"account {account.get_username()}: signed in with a recovery code, {left} left",
    )
