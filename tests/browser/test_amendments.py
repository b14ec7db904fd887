"""Amendments after sending in a real browser: the patient, on a phone, changes an answer
through their invitation's link (pregnancy: PREGNANT raised, shown to the provider as new,
never to the patient); then the provider, told in person, amends it back with a reason (the
flag shown cleared, struck and not counted), the original answers kept in the trail and the
decision recorded before marked as made on earlier answers. axe on every page walked."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from screening.models import Amendment, Decision, Invitation, Submission
from screening.questionnaire import current
from tests.browser.helpers import (
    PHONE,
    answer,
    assert_fits_width,
    assert_no_axe_violations,
    at,
    snap,
    submit,
)
from tests.browser.test_provider_path import assert_no_serious_axe_violations, sign_in
from tests.factories import submission

pytestmark = pytest.mark.browser

BORN = "1984-03-27"


@pytest.fixture
def sent_through_invitation(doctor):
    """A patient invited for an appointment in four days who sent their answers (not pregnant),
    on which the provider already recorded a decision."""
    from tests.invited import invite

    link = invite(days_ahead=4)
    invitation = Invitation.objects.get()
    # Sent today: an appointment more than SCREENING_RECONFIRM_DAYS after the answers would
    # send the link to the re-confirmation first (tests/browser/test_check_in_tablet.py).
    sent = submission(
        date_of_birth=BORN, pregnancy_status="not_applicable", today=timezone.localdate()
    )
    Submission.objects.filter(pk=sent.pk).update(
        appointment_at=invitation.appointment_at, assigned_provider=doctor.provider
    )
    Invitation.objects.filter(pk=invitation.pk).update(submission=sent)
    Decision.objects.create(
        submission=sent, provider=doctor.provider, outcome="proceed", modality="non_ablative"
    )
    return link, sent


def test_a_patient_amends_on_a_phone_then_a_provider_amends_with_a_reason(
    open_page, sent_through_invitation, doctor
):
    link, sent = sent_through_invitation
    health = current().sections_by_key["health"]
    pregnancy = current().questions["pregnancy_status"]

    # --- the patient, on a phone -------------------------------------------------------------
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("already sent")
    assert_no_axe_violations(phone, "already sent, with the offer to change")
    phone.get_by_role("link", name="Change my answers").click()
    expect(phone).to_have_url(at("/change/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    answer(phone, current().questions["date_of_birth"], BORN)
    submit(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Change your answers")
    assert_no_axe_violations(phone, "the sections to change")
    assert_fits_width(phone, PHONE["width"])
    phone.get_by_role("link", name=f"Change {health.title}").click()
    expect(phone).to_have_url(at(f"/change/{health.slug}/"))
    expect(phone.locator('[name="pregnancy_status"][value="not_applicable"]')).to_be_checked()
    answer(phone, pregnancy, "pregnant")
    assert_no_axe_violations(phone, "a section's answers to change")
    assert_fits_width(phone, PHONE["width"])
    snap(phone, "amend-step", "phone")
    submit(phone)
    expect(phone).to_have_url(at("/change/review/"))
    change = phone.locator(".amend-change")
    expect(change).to_have_count(1)
    expect(change.locator(".amend-after")).to_have_text("Pregnant, or might be")
    assert_no_axe_violations(phone, "the changes to send")
    assert_fits_width(phone, PHONE["width"])
    snap(phone, "amend-review", "phone")
    submit(phone, "Send my changes")
    expect(phone).to_have_url(at("/change/sent/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Thank you. We've received your changes."
    )
    body = phone.locator("main").inner_text()
    assert "flag" not in body.lower() and "PREGNANT" not in body and "priority" not in body
    assert_no_axe_violations(phone, "the changes received")
    sent.refresh_from_db()
    assert sent.answers["pregnancy_status"] == "pregnant" and sent.answers_version == 2

    # --- the provider sees it, then amends it back, told in person ---------------------------
    desk = open_page(viewport={"width": 1440, "height": 900})
    sign_in(desk, doctor)
    desk.goto(f"/staff/screening/submission/{sent.pk}/change/")
    pregnant_flag = desk.locator("article.flag", has_text="PREGNANT")
    expect(pregnant_flag.locator(".new-after-amendment")).to_contain_text("New after amendment on")
    expect(desk.locator(".banner-amended")).to_contain_text("The patient, through their link")
    expect(desk.locator(".earlier-answers-mark")).to_contain_text("Made on earlier answers")
    assert_no_serious_axe_violations(desk, "the review page of an amended submission")

    desk.get_by_role("link", name="Amend an answer").click()
    desk.get_by_role("link", name=str(health.title)).click()
    expect(desk.locator('[name="pregnancy_status"][value="pregnant"]')).to_be_checked()
    desk.locator('[name="pregnancy_status"][value="not_applicable"]').check()
    desk.get_by_role("button", name="Save the amendment").click()
    expect(desk.locator("#error-summary")).to_contain_text("Give the reason")
    assert Amendment.objects.count() == 1
    assert_no_serious_axe_violations(desk, "the amend page with an error")
    desk.get_by_label("Reason (required)").fill("Told me at check-in: not pregnant after all.")
    snap(desk, "provider-amend-page", "desktop")
    desk.get_by_role("button", name="Save the amendment").click()

    expect(desk.locator(".messagelist")).to_contain_text("Cleared: PREGNANT")
    cleared = desk.locator("article.flag.cleared", has_text="PREGNANT")
    expect(cleared.locator(".cleared-mark")).to_contain_text("Cleared by amendment on")
    expect(desk.locator("#flags-title")).to_have_text("Flags for discussion (0)")
    trail = desk.locator("section.amendments")
    expect(trail.locator("article.amendment")).to_have_count(2)
    expect(trail).to_contain_text("Told me at check-in: not pregnant after all.")
    expect(trail.locator("#amendment-2")).to_contain_text("The patient, through their link")
    expect(trail.locator("#amendment-3")).to_contain_text(f"{doctor.provider.display_name}")
    snap(desk, "provider-amended-review", "desktop")
    assert_no_serious_axe_violations(desk, "the review page after the provider's amendment")

    first, second = Amendment.objects.order_by("answers_version")
    assert first.answers_before["pregnancy_status"] == "not_applicable"  # the original kept
    assert second.answers_before["pregnancy_status"] == "pregnant"
    assert second.source == Amendment.Source.PROVIDER and second.actor == doctor
    sent.refresh_from_db()
    assert sent.answers["pregnancy_status"] == "not_applicable" and sent.priority_count == 0
    assert sent.appointment_at > timezone.now()
