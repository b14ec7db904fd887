"""A returning series patient's re-screen in the provider's browser, at 1440 wide and on a
1024 x 768 tablet: exactly what changed (a reaction to session 1 and a new medicine) comes
first, above the flags and the carried answers, which read apart, on the review page and on the
decision page. axe finds no serious or critical violation on these pages.

The re-screen is made by tests/factories.rescreen_submission (through the service, as the
patient's pages make it); the whole return visit, from the series decision through the front
desk's invitation and the patient's phone, is walked in test_return_visit_walk.py."""

from datetime import date

import pytest
from playwright.sync_api import expect

from screening.staff.decisions import decision_record
from tests import factories
from tests.browser.helpers import snap
from tests.browser.test_provider_path import (
    SIZES,
    assert_fits,
    assert_no_serious_axe_violations,
    sign_in,
)

pytestmark = pytest.mark.browser

NEW_MEDICINE = {
    "medicines_any": ["blood_thinner"],
    "blood_thinners": ["doac"],
    "current_medications_text": "Apixaban 5 mg twice a day",
}


@pytest.fixture
def series_patient(doctor):
    """Session 1's form and its decision (a fractional series, next session in 6 weeks), and
    the session-2 re-screen: redness that lasted after session 1, and a new blood thinner."""
    first = factories.submission(today=date(2026, 10, 1), first_name="Rosa", last_name="Vidal")
    decision_record(
        submission=first,
        outcome="proceed",
        modality="fractional_ablative",
        notes="",
        actor=doctor,
        provider_skin_type="II",
        next_session_weeks=6,
    )
    second = factories.rescreen_submission(
        first,
        {
            **NEW_MEDICINE,
            "last_session_problems": ["long_redness"],
            "last_session_still_now": "no",
            "last_session_seen_for_it": "no",
            "since_last_medicines": "yes",
            "since_last_treatments": "no",
        },
        treatment_date=date(2026, 10, 8),
    )
    return first, second


@pytest.mark.parametrize("size", SIZES)
def test_the_provider_sees_the_changes_first_above_the_carried_answers(
    open_page, doctor, series_patient, size
):
    viewport = SIZES[size]
    first, second = series_patient
    kind = f"rescreen-{size}"

    page = open_page(viewport=viewport)
    sign_in(page, doctor)
    page.goto("/staff/screening/submission/")
    row = page.locator("#result_list tbody tr", has_text=second.reference)
    expect(row).to_contain_text("Re-screen (series)")
    row.locator(f"text={second.reference}").click()
    expect(page.locator("h1")).to_have_text(f"Review {second.reference}")

    panel = page.locator("section.visit-changes")
    expect(panel).to_contain_text("Changes since 2026-10-01")
    expect(panel).to_contain_text("Redness or swelling for longer than you were told")
    expect(panel).to_contain_text("Blood thinner")
    expect(panel).to_contain_text("Apixaban 5 mg twice a day")
    expect(panel).to_contain_text("ANTICOAGULANT_RX")
    expect(panel).to_contain_text("Modality from the decision of")
    # Exactly those: the answer rows are the three medicine answers, nothing carried.
    expect(panel.locator("table.visit-answer-changes tbody tr")).to_have_count(3)
    expect(panel).not_to_contain_text("skin type (self")
    # First: above the flags, and the flags above the carried answers.
    changes_box = panel.bounding_box()
    flags_box = page.locator("section.flags").bounding_box()
    answers_box = page.locator("section.answers").bounding_box()
    assert changes_box["y"] < flags_box["y"] < answers_box["y"]
    assert changes_box["y"] < viewport["height"], "the changes are below the first screen"
    # Carried answers read apart from today's.
    page.locator("section.answers summary").first.click()
    confirmed = page.locator("section.answers tr.prov-confirmed").first
    expect(confirmed).to_contain_text("Confirmed on this form; first answered on 2026-10-01")
    background = confirmed.evaluate("row => getComputedStyle(row).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", "a carried row looks like today's"
    expect(page.locator("section.earlier-sessions")).to_contain_text(first.reference)
    assert_no_serious_axe_violations(page, "the re-screen's review page")
    assert_fits(page, viewport["width"], "the re-screen's review page")
    snap(page, "rescreen-review", kind)

    # The decision page: the changes above the flags and the form (series weeks offered).
    page.click("text=Record decision")
    expect(page.locator("section.visit-changes")).to_contain_text("Apixaban 5 mg twice a day")
    changes_box = page.locator("section.visit-changes").bounding_box()
    assert changes_box["y"] < page.locator(".decide-columns").bounding_box()["y"]
    expect(page.locator("#id_next_session_weeks")).to_be_visible()
    assert_no_serious_axe_violations(page, "the re-screen's decision page")
    assert_fits(page, viewport["width"], "the re-screen's decision page")
    snap(page, "rescreen-decide", kind)
