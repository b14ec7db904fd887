"""The provider's consultation day in a real browser, at 1440 wide and on a 1024 x 768 tablet:
the attention panel, the queue by appointment, the review page, acknowledging flags with a
comment, a decision with a skin-type disagreement, a second decision superseding it, the print
view and the exports. axe finds no serious or critical violation on any page."""

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
    """A morning's list: a priority patient this afternoon, a plain one tomorrow, one waiting
    three days with no appointment."""
    now = timezone.now()
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
    return flagged, plain, waiting


@pytest.mark.parametrize("size", SIZES)
def test_a_providers_consultation_day(open_page, doctor, day, size):
    viewport = SIZES[size]
    flagged, plain, waiting = day
    page = open_page(viewport=viewport)
    kind = f"provider-{size}"
    page.goto("/staff/login/")
    page.fill("#id_username", doctor.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")

    # The queue: the attention panel first, then the priority patient with the nearest visit.
    page.goto("/staff/screening/submission/")
    panel = page.locator("section.attention")
    expect(panel).to_contain_text(flagged.reference)
    expect(panel).to_contain_text(waiting.reference)
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(flagged.reference)
    expect(first_row).to_contain_text(f"{flagged.last_name}, {flagged.first_name}")
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

    # The review page.
    page.click(f"text={flagged.reference}")
    expect(page.locator("h1")).to_have_text(f"Review {flagged.reference}")
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

    # The decision: nothing chosen in advance; the provider sees type IV, the patient said II.
    page.click("text=Record decision")
    expect(page.locator("aside.decide-context")).to_contain_text("ANTICOAGULANT_RX")
    assert page.locator("input[type=radio]:checked").count() == 0
    assert_no_serious_axe_violations(page, "the decision page")
    assert_fits(page, viewport["width"], "the decision page")
    snap(page, "decide", kind)
    page.check("input[name=provider_skin_type][value=IV]")
    page.check("input[name=modality][value=non_ablative]")
    page.check("input[name=outcome][value=proceed_with_conditions]")
    page.fill("#id_notes", "Test spot first; antiviral prophylaxis.")
    page.click("input[type=submit][value='Record decision']")
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

    # Print view and the exports.
    page.goto(f"/staff/screening/submission/{flagged.pk}/print/")
    expect(page.locator("h1")).to_have_text(f"Review {flagged.reference}")
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
