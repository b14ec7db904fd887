"""Staff authentication: two-factor login, lockout with cool-off, session limits, audit."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.core.management import call_command
from django.utils import timezone
from django_otp.admin import OTPAdminSite
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.admin.site import StaffAdminSite, require_two_factor
from screening.models import AuditEvent
from screening.staff.sessions import LAST_SEEN, LOGIN_AT
from tests.factories import STAFF_PASSWORD
from tests.fresh_settings import production_startup

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
QUEUE = "/staff/screening/submission/"


def login(client, username, password, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR="198.51.100.1"
    )


@pytest.fixture
def two_factor_admin():
    """The admin as production runs it (STAFF_REQUIRE_2FA)."""
    original = admin.site.__class__
    require_two_factor(admin.site)
    yield
    admin.site.__class__ = original


def current_token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_production_settings_require_two_factor_for_staff():
    assert production_startup()["admin_site"] == "StaffAdminSite"
    assert issubclass(StaffAdminSite, OTPAdminSite)


def test_with_two_factor_a_password_alone_does_not_sign_in(client, doctor, two_factor_admin):
    TOTPDevice.objects.create(user=doctor, name="app", confirmed=True)
    login(client, "doctor", STAFF_PASSWORD)
    assert client.get(QUEUE).status_code == 302  # back to the login page


def test_with_two_factor_the_authenticator_code_signs_in(client, doctor, two_factor_admin):
    device = TOTPDevice.objects.create(user=doctor, name="app", confirmed=True)
    response = login(
        client,
        "doctor",
        STAFF_PASSWORD,
        otp_device=device.persistent_id,
        otp_token=current_token(device),
    )
    assert response.status_code == 302
    assert client.get(QUEUE).status_code == 200


def test_enrol_totp_creates_a_device_and_prints_its_address(doctor, capsys):
    call_command("enrol_totp", "doctor")
    assert TOTPDevice.objects.filter(user=doctor, confirmed=True).count() == 1
    assert "otpauth://totp/" in capsys.readouterr().out


def test_repeated_failures_lock_the_username_out_then_the_cool_off_ends(client, doctor):
    for _ in range(5):
        login(client, "doctor", "wrong")
    locked = login(client, "doctor", STAFF_PASSWORD)
    assert locked.status_code == 429
    assert client.get(QUEUE).status_code == 302
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "doctor", STAFF_PASSWORD).status_code == 302
    assert client.get(QUEUE).status_code == 200


def test_failures_from_one_address_across_many_usernames_lock_that_address(
    client, doctor, settings
):
    for number in range(settings.STAFF_LOGIN_ADDRESS_USERNAMES - 1):
        login(client, f"guess{number}", "wrong")
    assert login(client, "doctor", STAFF_PASSWORD).status_code == 302  # a few names: typing
    login(client, "one-more-guess", "wrong")
    assert login(client, "doctor", STAFF_PASSWORD).status_code == 429  # the staff list: guessing


def test_a_failed_login_is_audited_without_the_password(client, doctor):
    login(client, "doctor", "hunter2-secret")
    event = AuditEvent.objects.get(action="login_failed")
    assert "doctor" in event.detail
    assert "hunter2" not in event.detail


def test_staff_session_ends_after_inactivity(client, doctor):
    client.force_login(doctor)
    assert client.get(QUEUE).status_code == 200
    session = client.session
    session[LAST_SEEN] = (timezone.now() - timedelta(minutes=16)).isoformat()
    session.save()
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(QUEUE).status_code == 302  # logged out, not just redirected once


def test_staff_session_ends_after_the_absolute_limit_even_when_active(client, doctor):
    client.force_login(doctor)
    client.get(QUEUE)
    session = client.session
    session[LOGIN_AT] = (timezone.now() - timedelta(hours=12, minutes=1)).isoformat()
    session.save()
    assert client.get(QUEUE).status_code == 302


def test_staff_session_cookie_ends_with_the_browser(client, doctor):
    client.force_login(doctor)
    client.get(QUEUE)
    assert client.session.get_expire_at_browser_close()
