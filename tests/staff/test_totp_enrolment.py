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
