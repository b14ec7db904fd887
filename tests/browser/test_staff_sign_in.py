"""Two-factor sign-in in a real browser: the page staff see, filled once, signs in."""

import pytest
from django.contrib import admin
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from screening.admin.site import require_two_factor
from screening.models import AuditEvent, Provider

pytestmark = pytest.mark.browser

PASSWORD = "a long provider passphrase"


@pytest.fixture
def production_admin():
    """The admin site as clinic/urls.py configures it with STAFF_REQUIRE_2FA."""
    original_class = admin.site.__class__
    require_two_factor(admin.site)
    yield
    admin.site.__class__ = original_class


@pytest.fixture
def enrolled_doctor(django_user_model):
    user = django_user_model.objects.create_superuser("dr-okafor", "dr@clinic.example", PASSWORD)
    Provider.objects.create(user=user, display_name="Dr Okafor", credential="MD", level="physician")
    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    return user, device


def test_username_password_and_code_sign_in_with_one_submission(
    page, enrolled_doctor, production_admin
):
    user, device = enrolled_doctor
    page.goto("/staff/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_otp_token", f"{code:06d}")
    page.click("input[type=submit][value='Log in']")

    expect(page.locator("#user-tools")).to_contain_text("Log out")
    assert "/staff/login/" not in page.url
    assert AuditEvent.objects.filter(action="signed_in", actor=user).exists()
