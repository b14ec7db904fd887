"""Re-confirmation on the check-in tablet, in a real browser at tablet size (768 x 1024): the
front desk opens it for a patient whose appointment is weeks after their answers, hands it over
(signed out), the patient confirms their date of birth, reports a pregnancy, sends, and the
tablet says to hand it back. The provider then finds the PREGNANT priority flag in their
attention panel and "Changed at check-in" on the banner. The tablet warns, then closes itself
when left alone. The reminder's link on a phone, in Spanish, with its error summary. axe finds
no violation on the patient's pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from screening.models import Submission
from screening.questionnaire import current
from tests.browser.helpers import answer, assert_fits_width, assert_no_axe_violations, at, snap
from tests.factories import STAFF_PASSWORD, full_answers, submission

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


def sign_in(page, user):
    page.goto("/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")


def test_pregnancy_changed_at_check_in_reaches_the_provider(open_page, doctor, make_staff):
    desk = make_staff("Front desk", username="desk")
    sent = submission(full_answers(), today=timezone.localdate() - timedelta(days=20))
    Submission.objects.filter(pk=sent.pk).update(
        appointment_at=timezone.now() + timedelta(hours=2),
        reviewed=True,
        reviewed_at=timezone.now(),
        assigned_provider=doctor.provider,
    )

    tablet = open_page(viewport=TABLET)
    sign_in(tablet, desk)
    tablet.goto("/staff/screening/invitation/today/")
    expect(tablet.get_by_text("Re-confirmation due")).to_be_visible()
    assert "Pregnan" not in tablet.content()  # the front desk's page shows no answer
    tablet.get_by_role("button", name="Start check-in on this tablet").click()

    expect(tablet).to_have_url(at("/check-in/"))
    expect(
        tablet.get_by_role("heading", name="Check your answers before your visit")
    ).to_be_visible()
    assert_no_axe_violations(tablet, "the check-in date-of-birth page")
    answer(tablet, current().questions["date_of_birth"], sent.date_of_birth.isoformat())
    tablet.get_by_role("button", name="Continue").click()

    expect(tablet).to_have_url(at("/check-in/answers/"))
    assert_no_axe_violations(tablet, "the re-confirmation page")
    assert_fits_width(tablet, TABLET["width"])
    snap(tablet, "check-in-answers", "check-in")
    pregnancy = tablet.get_by_role("group", name="Pregnancy")
    expect(pregnancy.get_by_text("Does not apply to me")).to_be_visible()
    pregnancy.get_by_label("Change").check()
    for item in ("skin_now", "sun", "skin_prep", "isotretinoin"):
        tablet.locator(f"#id_item_{item}_0").check()
    tablet.get_by_role("group", name="medicine").get_by_label("No", exact=True).check()
    tablet.get_by_role("group", name="skin treatment").get_by_label("No", exact=True).check()
    tablet.get_by_role("button", name="Continue").click()

    expect(tablet).to_have_url(at("/check-in/changes/"))
    assert_no_axe_violations(tablet, "the check-in change page")
    tablet.get_by_label("Pregnant, or might be").check()
    tablet.get_by_role("button", name="Send").click()

    expect(tablet).to_have_url(at("/check-in/done/"))
    expect(tablet.get_by_text("Please hand the tablet back to the front desk.")).to_be_visible()
    tablet.go_back()
    tablet.reload()
    assert "Pregnant" not in tablet.content()  # closed: the session shows no answer any more
    tablet.goto("/staff/")
    expect(tablet).to_have_url(re.compile(r".*/staff/login/"))  # and holds no staff session

    desk_day = open_page()
    sign_in(desk_day, doctor)
    expect(desk_day).to_have_url(at("/staff/screening/submission/my-day/"))
    attention = desk_day.locator("section.attention")
    expect(attention.get_by_role("link", name=sent.reference).first).to_be_visible()
    expect(attention.get_by_text("Pregnant").first).to_be_visible()
    attention.get_by_role("link", name=sent.reference).first.click()
    banner = desk_day.locator("section.patient-banner")
    expect(banner.get_by_text("Changed at check-in")).to_be_visible()
    expect(banner.get_by_text("Flag raised")).to_be_visible()
    snap(desk_day, "banner-changed-at-check-in", "check-in")


def test_the_tablet_warns_then_closes_itself_when_left_alone(open_page, make_staff):
    desk = make_staff("Front desk", username="desk")
    sent = submission(full_answers(), today=timezone.localdate() - timedelta(days=20))
    Submission.objects.filter(pk=sent.pk).update(appointment_at=timezone.now() + timedelta(hours=2))
    tablet = open_page(viewport=TABLET)
    tablet.clock.install()
    sign_in(tablet, desk)
    tablet.goto("/staff/screening/invitation/today/")
    tablet.get_by_role("button", name="Start check-in on this tablet").click()
    answer(tablet, current().questions["date_of_birth"], sent.date_of_birth.isoformat())
    tablet.get_by_role("button", name="Continue").click()
    expect(tablet).to_have_url(at("/check-in/answers/"))
    expect(tablet.get_by_text("this page closes after 5 minutes without activity")).to_be_visible()

    tablet.clock.fast_forward("04:05")
    warning = tablet.get_by_role("alert")
    expect(warning).to_contain_text("This page will close in a minute.")
    warning.get_by_role("button", name="I'm still here").click()
    expect(warning).to_be_hidden()

    tablet.clock.fast_forward("05:01")
    expect(tablet).to_have_url(at("/check-in/closed/"))
    expect(tablet.get_by_role("heading", name="Please hand the tablet back")).to_be_visible()
    tablet.go_back()
    expect(tablet.get_by_text("Does not apply to me")).to_have_count(0)


PHONE = {"width": 390, "height": 844}


def test_the_reminders_link_on_a_phone_in_spanish(open_page, make_staff):
    from screening.invitations.service import invitation_create
    from screening.models import Invitation, Reconfirmation

    sent = submission(full_answers(), today=timezone.localdate() - timedelta(days=20))
    Submission.objects.filter(pk=sent.pk).update(
        appointment_at=timezone.now() + timedelta(hours=20)
    )
    created = invitation_create(
        actor=make_staff("Front desk", username="desk"),
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=timezone.now() + timedelta(hours=20),
        language="es",
    )
    Invitation.objects.filter(pk=created.invitation.pk).update(submission=sent)
    phone = open_page(viewport=PHONE)
    phone.goto(created.link[created.link.index("/i/") :])

    expect(phone).to_have_url(at("/check-in/"))
    expect(
        phone.get_by_role("heading", name="Revise sus respuestas antes de su visita")
    ).to_be_visible()
    assert_no_axe_violations(phone, "the link's date-of-birth page, in Spanish")
    answer(phone, current().questions["date_of_birth"], sent.date_of_birth.isoformat())
    phone.get_by_role("button", name="Continuar").click()

    expect(phone).to_have_url(at("/check-in/answers/"))
    assert_fits_width(phone, PHONE["width"])
    assert_no_axe_violations(phone, "the re-confirmation page on a phone, in Spanish")
    phone.get_by_role("button", name="Continuar").click()  # nothing chosen: the error summary
    expect(phone.get_by_role("alert")).to_contain_text("Elija “Sigue igual” o “Cambiar”.")
    assert_no_axe_violations(phone, "the re-confirmation page with errors")
    for radio in phone.locator('input[type="radio"][value="still_true"]').all():
        radio.check()
    for name in ("since_last_medicines", "since_last_treatments"):
        phone.locator(f'input[name="{name}"][value="no"]').check()
    phone.get_by_role("button", name="Continuar").click()

    expect(phone).to_have_url(at("/check-in/done/"))
    expect(phone.get_by_text("Ya puede cerrar esta página.")).to_be_visible()
    assert Reconfirmation.objects.get(submission=sent).via == "link"
