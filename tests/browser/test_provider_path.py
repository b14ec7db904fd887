"""The provider's consultation day in a real browser, at 1440 wide and on a 1024 x 768 tablet:
the front desk books the priority patient (who stays in the provider's attention panel until
the provider acts), sign-in lands on "My day", the queue by appointment, a returning patient
marked, the review page with the flags first, acknowledging flags with a comment, a decision
(flags beside or above the form) that offers the next patient, a skin-type disagreement, a
second decision superseding it, the history and print views and the exports. axe finds no
serious or critical violation on any staff page the walk visits."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from screening.models import Decision, Flag, Submission
from tests.browser.helpers import _AXE_RUN, _AXE_SCRIPT, axe_report, snap
from tests.factories import STAFF_PASSWORD, many_followups_answers, submission

pytestmark = pytest.mark.browser

SIZES = {"1440": {"width": 1440, "height": 900}, "1024": {"width": 1024, "height": 768}}


def assert_no_serious_axe_violations(page, where):
    """The admin is Django's: held to no serious or critical violations."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(_AXE_SCRIPT)
    violations = [
        violation
        for violation in page.evaluate(_AXE_RUN)
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not violations, f"axe on {where} ({page.url}):\n{axe_report(violations)}"


def assert_fits(page, width, where):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{where} is {scroll_width}px wide on a {width}px screen"


@pytest.fixture
def day(doctor):
    """A morning's list: a priority patient this afternoon (returning: decided on once, half a
    year ago), a plain one tomorrow, one waiting three days with no appointment."""
    now = timezone.now()
    before = submission(many_followups_answers(), blood_thinners=["none"])
    Submission.objects.filter(pk=before.pk).update(
        submitted_at=now - timedelta(days=200), status="decided", reviewed=True
    )
    flagged = submission(
        many_followups_answers(
            current_skin_problems_area=["cold_sore"],
            skin_history=["keloid", "skin_condition"],
            medicines_any=["blood_thinner"],
            blood_thinners=["warfarin"],
        ),
        anything_else_text='<script>alert("x")</script>',
    )
    Submission.objects.filter(pk=flagged.pk).update(appointment_at=now + timedelta(hours=5))
    plain = submission(last_name="Tomorrow", email="tomorrow@example.com")
    Submission.objects.filter(pk=plain.pk).update(appointment_at=now + timedelta(days=1))
    waiting = submission(last_name="Waiting", email="waiting@example.com")
    Submission.objects.filter(pk=waiting.pk).update(submitted_at=now - timedelta(days=3))
    return flagged, plain, waiting, before


def sign_in(page, user):
    page.goto("/staff/login/")
    assert_no_serious_axe_violations(page, "the sign-in page")
    page.fill("#id_username", user.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")


def front_desk_books(open_page, front_desk, flagged, viewport):
    """The front desk books the priority patient's consultation from its page."""
    page = open_page(viewport=viewport)
    sign_in(page, front_desk)
    page.goto("/staff/screening/submission/")
    assert_no_serious_axe_violations(page, "the front desk's queue")
    page.goto(f"/staff/screening/submission/{flagged.pk}/change/")
    expect(page.locator(".patient-banner")).to_contain_text(flagged.reference)
    expect(page.locator(".patient-banner")).not_to_contain_text("Cold sore")
    assert_no_serious_axe_violations(page, "the front desk's submission page")
    page.select_option("#id_status", "consultation_booked")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_providers_consultation_day(open_page, doctor, make_staff, day, size):
    viewport = SIZES[size]
    flagged, plain, waiting, before = day
    front_desk_books(open_page, make_staff("Front desk"), flagged, viewport)
    flagged.refresh_from_db()
    assert flagged.status == "consultation_booked" and not flagged.reviewed

    page = open_page(viewport=viewport)
    kind = f"provider-{size}"
    sign_in(page, doctor)

    # Sign-in lands on "My day": the booked priority patient still needs attention.
    expect(page.locator("h1")).to_have_text("My day")
    expect(page.locator("section.attention")).to_contain_text(flagged.reference)
    expect(page.locator("section.attention")).to_contain_text("Cold sore")
    assert_no_serious_axe_violations(page, "My day")
    assert_fits(page, viewport["width"], "My day")
    snap(page, "my-day", kind)

    # The queue: the attention panel first, then the priority patient with the nearest visit.
    page.goto("/staff/screening/submission/")
    panel = page.locator("section.attention")
    expect(panel).to_contain_text(flagged.reference)
    expect(panel).to_contain_text(waiting.reference)
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(flagged.reference)
    expect(first_row).to_contain_text(f"{flagged.last_name}, {flagged.first_name}")
    expect(first_row).to_contain_text("Returning")
    expect(first_row).not_to_contain_text("Reviewed")
    assert_no_serious_axe_violations(page, "the queue")
    assert_fits(page, viewport["width"], "the queue")
    snap(page, "queue", kind)

    page.click("text=Next 7 days")
    expect(page.locator("#result_list")).to_contain_text(plain.reference)
    expect(page.locator("#result_list")).not_to_contain_text(waiting.reference)

    # The search box posts: the name searched for never appears in a URL (access logs).
    page.fill("#searchbar", flagged.last_name)
    page.click("#changelist-search input[type=submit]")
    assert flagged.last_name not in page.url and "search=" in page.url

    # The review page: the patient banner (returning), then the flags, before anything else.
    page.click(f"text={flagged.reference}")
    expect(page.locator("h1")).to_have_text(f"Review {flagged.reference}")
    banner = page.locator(".patient-banner")
    expect(banner).to_contain_text("Returning patient")
    expect(banner).to_contain_text(before.reference)
    first_flag = page.locator("article.flag").first.bounding_box()
    controls = page.locator("details.staff-controls").bounding_box()
    assert first_flag["y"] < controls["y"]
    assert first_flag["y"] < viewport["height"] * 2, "the first flag is far down the page"
    expect(page.locator(".changes-since")).to_be_visible()
    expect(page.locator(".review-header")).to_contain_text("Skin type (self-reported)")
    anticoagulant = page.locator("article.flag", has_text="ANTICOAGULANT_RX")
    expect(anticoagulant).to_contain_text("S27 (a dermatologist")  # the catalogue's note
    expect(anticoagulant.locator("a", has_text="Which anticoagulants")).to_have_count(1)
    expect(page.locator(".answers")).to_contain_text('<script>alert("x")</script>')
    assert_no_serious_axe_violations(page, "the review page")
    assert_fits(page, viewport["width"], "the review page")
    snap(page, "review", kind)

    # Acknowledge every priority flag and the anticoagulant flag, together, with a comment.
    for flag in flagged.flags.filter(severity="priority"):
        page.check(f"#ack-{flag.pk}")
    page.check(f"#ack-{flagged.flags.get(code='ANTICOAGULANT_RX').pk}")
    page.fill("#id_ack_comment", "Discussed on the phone; warfarin for AF.")
    page.click("text=Acknowledge ticked flags")
    expect(page.locator(".messagelist")).to_contain_text("acknowledged")
    expect(anticoagulant).to_contain_text("Discussed on the phone; warfarin for AF.")
    expect(page.locator(".patient-banner")).to_contain_text("Reviewed by Dr doctor")

    # Only the provider's acknowledgement took the patient out of the attention panel.
    page.goto("/staff/screening/submission/")
    expect(page.locator("section.attention")).not_to_contain_text(flagged.reference)
    expect(page.locator("section.attention")).to_contain_text(waiting.reference)
    page.goto(f"/staff/screening/submission/{flagged.pk}/change/")

    # The decision: nothing chosen in advance; the provider sees type IV, the patient said II.
    page.click("text=Record decision")
    expect(page.locator("aside.decide-context")).to_contain_text("ANTICOAGULANT_RX")
    expect(page.locator(".patient-banner")).to_contain_text(flagged.first_name)
    # The flags beside the form or above it, never below it.
    flags_box = page.locator("aside.decide-context").bounding_box()
    form_box = page.locator(".decide-form form").bounding_box()
    assert flags_box["y"] <= form_box["y"] + 1, (flags_box, form_box)
    assert page.locator("input[type=radio]:checked").count() == 0
    assert_no_serious_axe_violations(page, "the decision page")
    assert_fits(page, viewport["width"], "the decision page")
    snap(page, "decide", kind)
    page.check("input[name=provider_skin_type][value=IV]")
    page.check("input[name=modality][value=non_ablative]")
    page.check("input[name=outcome][value=proceed_with_conditions]")
    page.fill("#id_notes", "Test spot first; antiviral prophylaxis.")
    page.click("input[type=submit][value='Record decision']")
    # The next patient is offered: tomorrow's (the next of the day by appointment).
    offered = page.locator(".messagelist a.next-patient")
    expect(offered).to_contain_text(plain.reference)
    assert_no_serious_axe_violations(page, "the review page after a decision")
    skin = page.locator("article.flag", has_text="SKIN_TYPE_DIFFERS")
    expect(skin).to_contain_text("post-inflammatory hyperpigmentation")
    expect(skin).not_to_contain_text("Superseded")

    # A second decision agrees with the patient: the first one's flag is superseded.
    page.click("text=Record decision")
    page.check("input[name=provider_skin_type][value=II]")
    page.check("input[name=modality][value=non_ablative]")
    page.check("input[name=outcome][value=proceed]")
    page.click("input[type=submit][value='Record decision']")
    expect(skin).to_contain_text("Superseded")
    assert Decision.objects.count() == 2
    assert Flag.objects.get(code="SKIN_TYPE_DIFFERS").is_superseded

    # History and print views, and the exports.
    page.goto(f"/staff/screening/submission/{flagged.pk}/history/")
    expect(page.locator(".patient-banner")).to_contain_text(flagged.reference)
    assert_no_serious_axe_violations(page, "the history page")
    page.goto(f"/staff/screening/submission/{flagged.pk}/print/")
    expect(page.locator("h1")).to_have_text(f"Review {flagged.reference}")
    expect(page.locator(".patient-banner")).to_contain_text("Returning patient")
    expect(page.locator("body")).to_contain_text("Discussed on the phone; warfarin for AF.")
    assert_no_serious_axe_violations(page, "the print view")

    page.goto("/staff/screening/submission/?status=all")
    page.check(f"input[name=_selected_action][value='{flagged.pk}']")
    page.select_option("select[name=action]", "export_deidentified")
    with page.expect_download() as download:
        page.click("button[name=index]")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    (row,) = csv.DictReader(io.StringIO(text))
    assert flagged.last_name not in text and flagged.reference not in text
    assert row["decision_outcome"] == "proceed"
    assert_no_serious_axe_violations(page, "the queue, all statuses")
