"""Enrolling an authenticator app by QR code from the staff admin (django-otp's TOTP pages)."""

import io

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@clinic.example", "pw")
    return TOTPDevice.objects.create(user=admin_user, name="authenticator app", confirmed=False)


def test_the_qr_code_of_a_device_is_an_svg_of_its_set_up_address(client, device):
    client.force_login(device.user)
    response = client.get(f"/staff/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    import qrcode.image.svg  # a dependency (pyproject.toml): without it this page answers 503

    expected = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgImage).save(expected)
    assert response.content == expected.getvalue()


def test_the_set_up_page_shows_the_qr_code_it_links_to(client, device):
    client.force_login(device.user)
    change_page = client.get(f"/staff/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert f"/staff/otp_totp/totpdevice/{device.pk}/config/" in change_page
    config_page = client.get(f"/staff/otp_totp/totpdevice/{device.pk}/config/")
    assert config_page.status_code == 200
    assert f"/staff/otp_totp/totpdevice/{device.pk}/qrcode/" in config_page.content.decode()


# --- enrolment by the person themself, at their first sign-in ------------------------------

LOGIN = "/staff/login/"
ENROL = "/staff/two-factor/"
QUEUE = "/staff/screening/submission/"


@pytest.fixture
def production_admin():
    from django.contrib import admin

    from screening.admin.site import require_two_factor

    original_class = admin.site.__class__
    require_two_factor(admin.site)
    yield
    admin.site.__class__ = original_class


@pytest.fixture
def newcomer(make_staff):
    from tests.factories import STAFF_PASSWORD

    user = make_staff("Front desk", username="newcomer")
    user.password_for_test = STAFF_PASSWORD
    return user


def _code(device, offset=0):
    from django_otp.oath import totp

    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift) + offset
    return f"{value % 10**6:06d}"


def _sign_in(client, user, code=""):
    return client.post(
        f"{LOGIN}?next={QUEUE}",
        {
            "username": user.username,
            "password": user.password_for_test,
            "otp_token": code,
            "next": QUEUE,
        },
    )


def test_a_first_sign_in_sets_up_the_authenticator_then_opens_the_workspace(
    client, newcomer, production_admin
):
    from django_otp.plugins.otp_static.models import StaticToken

    from screening.models import AuditEvent

    response = _sign_in(client, newcomer)
    assert response.status_code == 302
    # Nothing of the workspace before the authenticator: every page leads to the set-up page.
    queue = client.get(QUEUE, follow=True)
    assert queue.redirect_chain[-1][0] == f"{ENROL}?next=%2Fstaff%2Fscreening%2Fsubmission%2F"
    page = queue.content.decode()
    assert 'class="qr-code"><svg' in page and "Set up your authenticator" in page
    assert 'action="/staff/logout/"' in page  # a way out without setting it up now
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert device.config_url not in page  # the address is in the QR code, not in the text
    wrong = client.post(ENROL, {"code": _code(device, offset=1), "next": QUEUE})
    assert "That code does not match" in wrong.content.decode()
    assert client.get(QUEUE).status_code == 302
    done = client.post(ENROL, {"code": _code(device), "next": QUEUE})
    page = done.content.decode()
    codes = list(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in page for code in codes)
    assert "they are not shown again" in page
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(QUEUE).status_code == 200  # verified by the code just typed
    assert AuditEvent.objects.filter(action="2fa_enrolled", actor=newcomer).exists()
    # Shown once: the page now only says it is set up.
    again = client.get(ENROL).content.decode()
    assert not any(code in again for code in codes) and "qr-code" not in again


def test_the_qr_code_is_the_device_address_drawn_inline(client, newcomer, production_admin):
    import qrcode.image.svg

    _sign_in(client, newcomer)
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    expected = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(expected)
    drawn = expected.getvalue().decode()
    assert drawn[drawn.index("<svg") :] in page
    assert drawn[drawn.index("<svg") :] in client.get(ENROL).content.decode()  # the same key


def test_once_enrolled_a_password_alone_no_longer_signs_in(client, newcomer, production_admin):
    TOTPDevice.objects.create(user=newcomer, name="authenticator app", confirmed=True)
    response = _sign_in(client, newcomer)
    assert response.status_code == 200
    assert "password and authenticator code for a staff account" in response.content.decode()
    assert client.get(ENROL).status_code == 302  # not signed in at all


def test_a_recovery_code_signs_in_once(client, newcomer, production_admin):
    from django_otp.plugins.otp_static.models import StaticDevice

    from screening.models import AuditEvent
    from screening.staff import two_factor

    device = two_factor.pending_device(newcomer)
    _, codes = two_factor.enrolment_confirm(account=newcomer, code=_code(device))
    response = _sign_in(client, newcomer, codes[0].upper())
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert client.get(QUEUE).status_code == 200
    assert AuditEvent.objects.get(action="recovery_used").detail.endswith("9 left")
    client.logout()
    assert _sign_in(client, newcomer, codes[0]).status_code == 200  # used up
    # A wrong code makes the next wait a second (django-otp's throttle); not the subject here.
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert _sign_in(client, newcomer, codes[1]).status_code == 302


def test_a_clinic_admin_resets_a_lost_phone_and_the_holder_enrols_again(
    client, make_staff, newcomer, production_admin
):
    from django_otp.plugins.otp_static.models import StaticDevice

    from screening.models import AuditEvent
    from screening.staff import two_factor

    two_factor.enrolment_confirm(account=newcomer, code=_code(two_factor.pending_device(newcomer)))
    admin_user = make_staff("Clinic admin")
    client.force_login(admin_user)
    from django_otp import login as otp_login  # noqa: F401 (the admin's own session below)

    session = client.session
    admin_device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    session["otp_device_id"] = admin_device.persistent_id
    session.save()
    change = client.get(f"/staff/auth/user/{newcomer.pk}/change/").content.decode()
    reset_url = f"/staff/auth/user/{newcomer.pk}/two-factor-reset/"
    assert reset_url in change and "Authenticator set up." in change
    assert client.get(reset_url).status_code == 200
    assert client.post(reset_url).status_code == 302
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert not StaticDevice.objects.filter(user=newcomer).exists()
    event = AuditEvent.objects.get(action="2fa_reset")
    assert event.actor == admin_user and "newcomer" in event.detail
    # Never your own: that would skip the second factor you signed in with.
    assert client.post(f"/staff/auth/user/{admin_user.pk}/two-factor-reset/").status_code == 403
    client.logout()
    _sign_in(client, newcomer)
    assert client.get(QUEUE, follow=True).redirect_chain[-1][0].startswith(ENROL)


def test_enrol_totp_reset_sends_the_person_back_to_set_up_and_is_audited(newcomer, capsys):
    from django.core.management import call_command
    from django_otp.plugins.otp_static.models import StaticDevice

    from screening.models import AuditEvent
    from screening.staff import two_factor

    two_factor.enrolment_confirm(account=newcomer, code=_code(two_factor.pending_device(newcomer)))
    call_command("enrol_totp", "newcomer", "--reset")
    assert "sets up a new authenticator" in capsys.readouterr().out
    assert not two_factor.has_second_factor(newcomer)
    assert not StaticDevice.objects.filter(user=newcomer).exists()
    assert AuditEvent.objects.get(action="2fa_reset").detail.endswith("by manage.py enrol_totp")
