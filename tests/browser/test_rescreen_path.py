"""A series patient invited for session 2, on a phone: confirms most sections with one tap,
reports a reaction to session 1 and a new medicine (a blood thinner), and sends; the submission
holds a full answer set with each answer's provenance, and the flags of what changed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from screening.models import Submission
from screening.questionnaire import current
from tests import factories
from tests.browser.helpers import (
    PHONE,
    answer,
    assert_fits_width,
    assert_no_axe_violations,
    at,
    snap,
    submit,
)
from tests.patient.rescreen_helpers import rescreen_invitation

pytestmark = pytest.mark.browser


def test_a_series_patient_confirms_most_sections_and_reports_a_reaction_and_a_medicine(
    open_page,
):
    today = timezone.localdate()
    previous = factories.submission(today=today - timedelta(weeks=10))
    invitation, link = rescreen_invitation(
        previous, visit_type="series_session", treatment_date=today - timedelta(weeks=4)
    )
    questions = current().questions

    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(link)
    expect(phone).to_have_url(at("/continue/"))  # the date of birth first, even here
    answer(phone, questions["date_of_birth"], previous.answers["date_of_birth"])
    submit(phone)
    expect(phone).to_have_url(at("/again/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome back")
    expect(phone.get_by_text("You last filled in our form on")).to_be_visible()
    phone.get_by_role("link", name="Start").click()

    # Step 1: a reaction to session 1; its follow-ups open in place.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Since your last visit")
    answer(phone, questions["last_session_problems"], ["dark_patches", "long_redness"])
    expect(phone.locator("#div_id_last_session_still_now")).to_be_visible()
    answer(phone, questions["last_session_still_now"], "yes")
    answer(phone, questions["last_session_seen_for_it"], "no")
    answer(phone, questions["since_last_treatments"], "no")
    assert_fits_width(phone, PHONE["width"])
    assert_no_axe_violations(phone, "re-screen step 1")
    snap(phone, "rescreen-step-1", "phone")
    submit(phone)

    # Step 2: the goals still true (one tap), today's answers, a new medicine.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your skin today")
    phone.get_by_role("button", name="Still true Your goals").click()
    expect(phone.get_by_text("You said this is still true.")).to_be_visible()
    answer(phone, questions["current_skin_problems_area"], ["none"])
    answer(phone, questions["last_significant_sun"], "over_2_months")
    answer(phone, questions["pregnancy_status"], "not_applicable")
    answer(phone, questions["isotretinoin_ever"], "no")
    expect(phone.get_by_text("Your medicines on")).to_be_visible()
    answer(phone, questions["since_last_medicines"], "yes")
    submit(phone)
    # Yes opens the medicine questions, the list to edit; nothing typed is lost.
    expect(phone.locator('[name="medicines_any"]').first).to_be_visible()
    expect(phone.locator('[name="pregnancy_status"][value="not_applicable"]')).to_be_checked()
    answer(phone, questions["medicines_any"], ["blood_thinner"])
    answer(phone, questions["blood_thinners"], ["doac"])
    answer(phone, questions["current_medications_text"], "Eliquis 5 mg twice a day")
    assert_fits_width(phone, PHONE["width"])
    assert_no_axe_violations(phone, "re-screen step 2")
    snap(phone, "rescreen-step-2", "phone")
    submit(phone)

    # Step 3: Continue before deciding shows the error summary; then one tap per card.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Is this still true?")
    submit(phone)
    expect(phone.locator(".error-summary")).to_be_visible()
    expect(phone.locator(".error-summary")).to_contain_text("Choose “Still true” or “Change”.")
    assert_no_axe_violations(phone, "re-screen step 3 with errors")
    for title in (
        "About you",
        "Skin type and sun",
        "Past treatments",
        "Medicines, supplements and allergies",
        "Health history",
    ):
        phone.get_by_role("button", name=f"Still true {title}").click()
        expect(phone.get_by_role("button", name=f"Still true {title}")).to_have_count(0)
    snap(phone, "rescreen-step-3", "phone")
    submit(phone)

    expect(phone).to_have_url(at("/again/check/"))
    expect(phone.get_by_text("Eliquis 5 mg twice a day")).to_be_visible()
    assert_no_axe_violations(phone, "re-screen check page")
    # The privacy acknowledgement is carried: only the declaration and the signature.
    expect(phone.locator('[name="privacy_notice_ack"]')).to_have_count(0)
    phone.locator('[name="attest_accurate"]').check(force=True)
    phone.get_by_label("Your full name, as your signature").fill("Ana Ruiz")
    submit(phone, "Send my answers")
    expect(phone).to_have_url(at("/thank-you/"))

    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.previous_submission == previous and sent.visit_type == "series_session"
    assert sent.questionnaire_version == current().version
    assert sent.answers["last_session_problems"] == ["dark_patches", "long_redness"]
    assert sent.answers["blood_thinners"] == ["doac"]
    assert sent.answers["skin_history"] == previous.answers["skin_history"]
    answered = {qid for qid, entry in sent.provenance.items() if entry["provenance"] == "answered"}
    assert {"last_session_problems", "since_last_medicines", "blood_thinners"} <= answered
    assert sent.provenance["skin_history"]["provenance"] == "confirmed"
    assert sent.provenance["skin_history"]["from_submission"] == previous.reference
    assert sent.provenance["date_of_birth"]["provenance"] == "carried"
    assert set(sent.provenance) == set(sent.answers)
    codes = set(sent.flags.values_list("code", flat=True))
    assert {"POST_TREATMENT_PIH", "PROLONGED_ERYTHEMA", "ANTICOAGULANT_RX"} <= codes
    assert "POST_TREATMENT_SCARRING" not in codes
    invitation.refresh_from_db()
    assert invitation.submission == sent
