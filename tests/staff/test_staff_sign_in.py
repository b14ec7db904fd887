"""Staff sign-in as production runs it: password and authenticator code on the one page staff see.

A wrong code after a right password counts towards the lockout and is audited; a successful
sign-in is audited with who and from where.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.admin.site import require_two_factor
from screening.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
QUEUE = "/staff/screening/submission/"
PASSWORD = "correct horse battery"
ADDRESS = "198.51.100.23"


@pytest.fixture
def production_admin():
    """The admin site exactly as clinic/urls.py configures it with STAFF_REQUIRE_2FA."""
    original_class = admin.site.__class__
    require_two_factor(admin.site)
    yield
    admin.site.__class__ = original_class


@pytest.fixture
def doctor(make_staff):
    user = make_staff("Provider", level="physician", username="doctor")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def device(doctor):
    return TOTPDevice.objects.create(user=doctor, name="authenticator app", confirmed=True)


def code_of(device, *, offset=0):
    return f"{(totp(device.bin_key, device.step, device.t0, device.digits, device.drift) + offset) % 10**6:06d}"


def fields_of_the_page(html: str) -> dict:
    """Every named input of the sign-in form, with the value the page gives it (like a browser)."""
    form = re.search(r'<form[^>]*id="login-form".*?</form>', html, re.S).group(0)
    fields = {}
    for tag in re.findall(r"<(?:input|select)\b[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="submit"' not in tag:
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def sign_in_from_the_page(client, device_code: str):
    page = client.get(LOGIN, {"next": QUEUE})
    fields = fields_of_the_page(page.content.decode())
    assert {"username", "password", "otp_token"} <= set(fields)
    fields.update(username="doctor", password=PASSWORD, otp_token=device_code)
    return client.post(LOGIN + f"?next={QUEUE}", fields, REMOTE_ADDR=ADDRESS)


def test_one_submission_of_the_page_with_a_valid_code_signs_in(client, device, production_admin):
    response = sign_in_from_the_page(client, code_of(device))
    assert response.status_code == 302, re.findall(
        r'errornote">\s*(.*?)\s*<', response.content.decode(), re.S
    )
    assert response["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_the_page_asks_for_the_authenticator_code_and_nothing_else(
    client, doctor, device, production_admin
):
    page = client.get(LOGIN).content.decode()
    assert set(fields_of_the_page(page)) == {
        "csrfmiddlewaretoken",
        "username",
        "password",
        "otp_token",
        "next",
    }
    assert '<label for="id_otp_token">Authenticator code:</label>' in page
    assert "OTP" not in page
    # Nor after a right password and a wrong code, when django-otp's page offered a device
    # select and a "Get OTP Challenge" button.
    page = sign_in_from_the_page(client, code_of(device, offset=1)).content.decode()
    assert "password and authenticator code for a staff account" in page
    assert "OTP" not in page and "<select" not in page and "otp_challenge" not in page
    assert "Django administration" not in page


def test_with_two_authenticators_either_code_signs_in_without_a_choice(
    client, doctor, device, production_admin
):
    spare = TOTPDevice.objects.create(user=doctor, name="spare phone", confirmed=True)
    assert sign_in_from_the_page(client, code_of(spare)).status_code == 302
    assert client.get(QUEUE).status_code == 200


def test_an_unconfirmed_second_device_does_not_get_in_the_way(
    client, doctor, device, production_admin
):
    TOTPDevice.objects.create(user=doctor, name="half enrolled", confirmed=False)
    assert sign_in_from_the_page(client, code_of(device)).status_code == 302


def test_a_wrong_code_after_the_right_password_is_audited_and_counted(
    client, device, production_admin
):
    response = sign_in_from_the_page(client, code_of(device, offset=1))
    assert response.status_code == 200
    assert client.get(QUEUE).status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.detail == "username 'doctor', wrong second factor"
    assert event.client_address == ADDRESS
    assert AccessAttempt.objects.get(username="doctor").failures_since_start == 1


def test_five_wrong_codes_lock_the_account_even_with_the_right_password(
    client, device, production_admin
):
    for _ in range(5):
        sign_in_from_the_page(client, code_of(device, offset=1))
    locked = sign_in_from_the_page(client, code_of(device))
    assert locked.status_code == 429
    assert client.get(QUEUE).status_code == 302


def test_a_successful_sign_in_is_audited_with_actor_and_address(
    client, doctor, device, production_admin
):
    sign_in_from_the_page(client, code_of(device))
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN)
    assert event.actor == doctor
    assert event.client_address == ADDRESS


def test_without_two_factor_a_sign_in_is_audited_too(client, doctor):
    client.post(LOGIN, {"username": "doctor", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert AuditEvent.objects.filter(action="signed_in", actor=doctor).exists()


def test_a_wrong_password_is_audited_as_such(client, doctor):
    client.post(LOGIN, {"username": "doctor", "password": "nope"}, REMOTE_ADDR=ADDRESS)
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.detail == "username 'doctor', wrong password"


def _error_of(response) -> str:
    return " ".join(
        re.findall(r'class="errornote">\s*(.*?)\s*</p>', response.content.decode(), re.S)
        + re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), re.S)
    )


@pytest.mark.parametrize("code", ["wrong", "missing"])
def test_a_right_password_with_a_bad_code_reads_like_any_failed_sign_in(
    client, device, production_admin, code
):
    wrong_password = client.post(
        LOGIN, {"username": "doctor", "password": "nope", "otp_token": code_of(device)}
    )
    right_password = client.post(
        LOGIN,
        {
            "username": "doctor",
            "password": PASSWORD,
            "otp_token": code_of(device, offset=1) if code == "wrong" else "",
        },
    )
    assert right_password.status_code == wrong_password.status_code == 200
    assert _error_of(right_password) == _error_of(wrong_password) != ""
    assert "Invalid token" not in right_password.content.decode()
    assert PASSWORD not in right_password.content.decode()
    assert "authenticator app" not in right_password.content.decode()  # the device's name
