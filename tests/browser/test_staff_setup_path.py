"""Setting people up and the front desk's morning in a real browser, at 1440 x 900 and on a
1024 x 768 tablet, with two-factor sign-in as production runs it: a new staff member's first
sign-in sets up their authenticator (the code computed here from the device's key, as the app
would), the front desk uploads a CSV with a phone-only patient and reads the links page, looks
at the day, and the privacy officer finds a patient's trail. axe finds nothing on any page."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from screening.admin.site import require_two_factor
from screening.mail import notifications
from screening.models import AuditEvent, Invitation
from tests.browser.helpers import assert_no_axe_violations, at, snap
from tests.factories import STAFF_PASSWORD, staff_user

pytestmark = pytest.mark.browser

SIZES = {"1440": {"width": 1440, "height": 900}, "1024": {"width": 1024, "height": 768}}


@pytest.fixture
def production_admin():
    original_class = admin.site.__class__
    require_two_factor(admin.site)
    yield
    admin.site.__class__ = original_class


def code_of(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def check_page(page, where, width):
    page.wait_for_load_state()
    assert_no_axe_violations(page, where)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{where} is {scroll_width}px wide on a {width}px screen"


def sign_in(page, username, code=""):
    page.goto("/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.fill("#id_otp_token", code)
    with page.expect_navigation():
        page.click("input[type=submit][value='Log in']")


@pytest.mark.parametrize("size", SIZES)
def test_first_sign_in_the_front_desks_upload_and_the_privacy_officers_search(
    open_page, production_admin, size
):
    viewport = SIZES[size]
    width = viewport["width"]
    kind = f"setup-{size}"
    newcomer = staff_user("Front desk", username="newcomer")
    page = open_page(viewport=viewport)

    # The sign-in page asks for the authenticator code, nothing else.
    page.goto("/staff/")
    expect(page.locator("label[for=id_otp_token]")).to_have_text("Authenticator code:")
    expect(page.locator("#login-form")).not_to_contain_text("OTP")
    assert page.locator("#login-form select").count() == 0
    assert page.locator("[name=otp_challenge]").count() == 0
    check_page(page, "the sign-in page", width)
    snap(page, "sign-in", kind)

    # First sign-in: password alone, then the set-up page, whatever page was asked for.
    sign_in(page, "newcomer")
    expect(page).to_have_url(at("/staff/two-factor/?next=%2Fstaff%2F"))
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    check_page(page, "the set-up page", width)
    snap(page, "enrol", kind)
    page.goto("/staff/screening/invitation/")
    expect(page).to_have_url(at("/staff/two-factor/?next=%2Fstaff%2Fscreening%2Finvitation%2F"))
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    page.fill("#id_code", code_of(device))
    with page.expect_navigation():
        page.click("input[type=submit][value='Confirm and continue']")
    codes = page.locator("ul.recovery-codes li")
    expect(codes).to_have_count(10)
    check_page(page, "the recovery codes page", width)
    snap(page, "recovery-codes", kind)
    with page.expect_navigation():
        page.click("text=Continue to the workspace")
    expect(page).to_have_url(at("/staff/screening/invitation/"))
    check_page(page, "the invitations", width)

    # The front desk's upload: a phone-only patient gets their link on the links page, once.
    soon = timezone.localtime() + timedelta(days=2)
    csv_text = (
        "first_name,last_name,email,mobile,appointment\n"
        f"Ana,Ruiz,ana@example.org,,{soon:%Y-%m-%d} 10:30\n"
        f"Bo,Ng,,555-0100,{soon:%Y-%m-%d} 11:00\n"
    )
    page.click("text=Upload CSV")
    check_page(page, "the upload page", width)
    page.set_input_files(
        "input[type=file]",
        {"name": "visits.csv", "mimeType": "text/csv", "buffer": csv_text.encode()},
    )
    with page.expect_navigation():
        page.click("input[type=submit][value='Upload and create invitations']")
    expect(page).to_have_url(at("/staff/screening/invitation/links/"))
    bo = Invitation.objects.get(last_name="Ng")
    expect(page.locator("table.invitation-links")).to_contain_text(
        notifications.invitation_link(bo)
    )
    expect(page.locator("table.invitation-links")).not_to_contain_text("Ruiz")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    check_page(page, "the links page", width)
    snap(page, "links", kind)
    page.reload()
    expect(page.locator("#content-main")).to_contain_text("No links are waiting")
    check_page(page, "the links page, shown", width)

    # The day, by appointment time.
    page.goto("/staff/screening/invitation/today/")
    page.click(f"a[href='?day={soon:%Y-%m-%d}']")
    rows = page.locator("table.day-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ruiz, Ana")
    check_page(page, "the front desk's day", width)
    snap(page, "day", kind)
    page.click("#logout-form button, #logout-form input[type=submit]")

    # The privacy officer, enrolled earlier, finds Bo's trail.
    officer = staff_user("Privacy officer", username="privacy")
    officer_device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    sign_in(page, "privacy", code_of(officer_device))
    page.goto("/staff/screening/auditevent/")
    check_page(page, "the audit trail", width)
    page.click("text=Find a patient's trail")
    check_page(page, "the trail search", width)
    page.fill("#id_last_name", "Ng")
    page.fill("#id_first_name", "Bo")
    page.fill("#id_date_of_birth", "1984-03-27")
    with page.expect_navigation():
        page.click("input[type=submit][value='Find the trail']")
    assert "Ng" not in page.url and "1984" not in page.url
    events = page.locator("table.trail-events")
    expect(events).to_contain_text("Invitation created")
    expect(events).to_contain_text("Patient link shown to staff")
    check_page(page, "the trail", width)
    snap(page, "trail", kind)
    assert AuditEvent.objects.filter(action="trail_searched", actor=officer).exists()
    # A page the role may not open: plain words, the workspace's look.
    page.goto("/staff/screening/invitation/")
    expect(page.locator("#content-main")).to_contain_text("You don't have access to this page.")
    check_page(page, "a 403 page", width)
    page.click("#logout-form button, #logout-form input[type=submit]")

    # The newcomer lost their phone: a clinic admin resets it, and the next sign-in enrols.
    clinic_admin = staff_user("Clinic admin", username="clinicadmin")
    admin_device = TOTPDevice.objects.create(user=clinic_admin, name="app", confirmed=True)
    sign_in(page, "clinicadmin", code_of(admin_device))
    page.goto(f"/staff/auth/user/{newcomer.pk}/change/")
    expect(page.locator(".field-two_factor")).to_contain_text("Authenticator set up.")
    check_page(page, "a staff account", width)
    page.click("text=Reset (lost or replaced phone)")
    check_page(page, "the two-factor reset page", width)
    with page.expect_navigation():
        page.click("input[type=submit][value='Reset two-factor sign-in']")
    expect(page.locator(".messagelist")).to_contain_text("is reset")
    page.click("#logout-form button, #logout-form input[type=submit]")
    sign_in(page, "newcomer")
    expect(page).to_have_url(at("/staff/two-factor/?next=%2Fstaff%2F"))
