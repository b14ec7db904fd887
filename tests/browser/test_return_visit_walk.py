"""A return visit walked whole, as people do it, in a real browser:

1. the provider records a decision on a first visit through the staff decision page, with
   "Series: next session in about 6 weeks";
2. the front desk, signed in on a 1024 x 768 tablet, finds the patient on "Series patients to
   book" and invites them from the return-visit invitation page, for an appointment in 3 days
   (within the lead: the email goes at once) with the date of session 1;
3. the patient opens the emailed link on a phone, passes the date-of-birth check, confirms most
   sections with one tap each, reports a reaction to session 1 (dark patches, redness for longer
   than told) and a new medicine (a blood thinner), signs and sends;
4. the provider opens the re-screen: "Changes since …" comes first and lists exactly those
   changes and their new flags, nothing merely confirmed; carried answers read as carried.

axe runs on every page: the patient's pages with every impact level, the staff pages (Django's
admin) with no serious or critical violation. tests/browser/test_rescreen_review.py holds the
provider's view of a re-screen at both staff sizes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from screening.models import Decision, Invitation, Submission
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
from tests.browser.test_provider_path import (
    SIZES,
    assert_fits,
    assert_no_serious_axe_violations,
    sign_in,
)
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.browser

DESK = SIZES["1024"]
PROVIDER = SIZES["1440"]
KIND = "return-visit"
# Step 3's cards: every section of the first visit the patient confirms with one tap.
CARDS = (
    "About you",
    "Skin type and sun",
    "Past treatments",
    "Medicines, supplements and allergies",
    "Health history",
)
NEW_FLAGS = ("POST_TREATMENT_PIH", "PROLONGED_ERYTHEMA", "ANTICOAGULANT_RX")


def provider_decides_on_a_series(open_page, doctor, first):
    """(1) Through the decision page: proceed, fractional ablative, next session in 6 weeks."""
    page = open_page(viewport=PROVIDER)
    sign_in(page, doctor)
    page.goto(f"/staff/screening/submission/{first.pk}/change/")
    page.click("text=Record decision")
    expect(page.locator("#id_next_session_weeks")).to_be_visible()
    page.check("input[name=provider_skin_type][value=II]")
    page.check("input[name=modality][value=fractional_ablative]")
    page.check("input[name=outcome][value=proceed]")
    page.fill("#id_next_session_weeks", "6")
    assert_no_serious_axe_violations(page, "the decision page with a series")
    snap(page, "1-decide-series", KIND)
    with page.expect_navigation():
        page.click("input[type=submit][value='Record decision']")
    # The modality's own flags are shown first; the second press records, the series kept.
    expect(page.locator(".messagelist")).to_contain_text("This modality raises the flags below")
    expect(page.locator("#id_next_session_weeks")).to_have_value("6")
    assert_no_serious_axe_violations(page, "the decision page with the modality's flags")
    with page.expect_navigation():
        page.click("input[type=submit][value='Record decision']")
    expect(page.locator(".messagelist")).not_to_contain_text("This modality raises")
    # Back on the review page, the decisions say the series.
    expect(page.locator("span.series-weeks")).to_have_text("series: next session in about 6 weeks")
    assert_no_serious_axe_violations(page, "the review page after a series decision")
    page.context.close()
    decision = Decision.objects.get(submission=first)
    assert (decision.outcome, decision.next_session_weeks) == ("proceed", 6)


def front_desk_invites(open_page, make_staff, first, session_1):
    """(2) From "Series patients to book" to the return-visit invitation, emailed at once; the
    link read from the email, as the patient gets it."""
    desk = open_page(viewport=DESK)
    sign_in(desk, make_staff("Front desk"))
    desk.goto("/staff/screening/invitation/today/")
    series = desk.locator("section.series-to-book")
    expect(series).to_contain_text("Vidal, Rosa")
    expect(series).to_contain_text("6 weeks")
    expect(series).to_contain_text(first.reference)
    assert_no_serious_axe_violations(desk, "the front desk's day with series to book")
    assert_fits(desk, DESK["width"], "the front desk's day")
    series.locator("a", has_text="Invite for the next session").click()
    expect(desk.locator("h1")).to_contain_text("Invite Rosa Vidal for a return visit")
    expect(desk.locator("input[name=visit_type][value=series_session]")).to_be_checked()
    expect(desk.locator("#id_email")).to_have_value(first.email)  # from the previous form
    assert_no_serious_axe_violations(desk, "the return-visit invitation")
    assert_fits(desk, DESK["width"], "the return-visit invitation")
    appointment = timezone.localtime() + timedelta(days=3)
    desk.fill("#id_appointment_at", appointment.strftime("%Y-%m-%d 10:30"))
    desk.fill("#id_treatment_date", "2099-01-01")
    desk.click("input[type=submit]")
    expect(desk.locator("#error-summary")).to_contain_text("cannot be in the future")
    assert_no_serious_axe_violations(desk, "the return-visit invitation with errors")
    desk.fill("#id_treatment_date", session_1.isoformat())
    snap(desk, "2-invite", KIND)
    desk.click("input[type=submit]")
    expect(desk.locator(".messagelist")).to_contain_text(
        "Return-visit invitation created and emailed."
    )
    assert_no_serious_axe_violations(desk, "the invitation after it was made")
    desk.goto("/staff/screening/invitation/today/")
    expect(desk.locator("section.series-to-book")).not_to_contain_text("Vidal")  # invited
    desk.context.close()

    invitation = Invitation.objects.get(previous_submission=first)
    assert (invitation.visit_type, invitation.treatment_date) == ("series_session", session_1)
    run_queued_tasks()
    (email,) = [message for message in mail.outbox if first.email in message.to]
    body = email.body
    assert "Rosa" not in email.subject and "Vidal" not in body  # the link only
    return invitation, body[body.index("/i/") :].split()[0]


def patient_rescreens_on_a_phone(open_page, first, link):
    """(3) The date of birth, a reaction and a new medicine, one tap per unchanged section."""
    questions = current().questions
    was = first.answers
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(link)
    expect(phone).to_have_url(at("/continue/"))  # the date of birth first, even here
    assert_no_axe_violations(phone, "the date-of-birth check")
    answer(phone, questions["date_of_birth"], was["date_of_birth"])
    submit(phone)
    expect(phone).to_have_url(at("/again/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome back")
    expect(phone.get_by_text("You last filled in our form on")).to_be_visible()
    assert_no_axe_violations(phone, "the re-screen's welcome")
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
    snap(phone, "3-step-1", KIND)
    submit(phone)

    # Step 2: the goals still true (one tap), today's answers as before, a new medicine.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your skin today")
    phone.get_by_role("button", name="Still true Your goals").click()
    expect(phone.get_by_text("You said this is still true.")).to_be_visible()
    for qid in (
        "current_skin_problems_area",
        "last_significant_sun",
        "pregnancy_status",
        "isotretinoin_ever",
    ):
        answer(phone, questions[qid], was[qid])
    expect(phone.get_by_text("Your medicines on")).to_be_visible()
    answer(phone, questions["since_last_medicines"], "yes")
    submit(phone)
    # Yes opens the medicine questions, the list to edit; nothing typed is lost.
    expect(phone.locator('[name="medicines_any"]').first).to_be_visible()
    expect(
        phone.locator(f'[name="pregnancy_status"][value="{was["pregnancy_status"]}"]')
    ).to_be_checked()
    answer(phone, questions["medicines_any"], ["blood_thinner"])
    answer(phone, questions["blood_thinners"], ["doac"])
    answer(phone, questions["current_medications_text"], "Eliquis 5 mg twice a day")
    assert_fits_width(phone, PHONE["width"])
    assert_no_axe_violations(phone, "re-screen step 2")
    snap(phone, "3-step-2", KIND)
    submit(phone)

    # Step 3: Continue before deciding shows the error summary; then one tap per card.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Is this still true?")
    submit(phone)
    expect(phone.locator(".error-summary")).to_contain_text("Choose “Still true” or “Change”.")
    assert_no_axe_violations(phone, "re-screen step 3 with errors")
    for title in CARDS:
        phone.get_by_role("button", name=f"Still true {title}").click()
        expect(phone.get_by_role("button", name=f"Still true {title}")).to_have_count(0)
    assert_fits_width(phone, PHONE["width"])
    assert_no_axe_violations(phone, "re-screen step 3, every card confirmed")
    snap(phone, "3-step-3", KIND)
    submit(phone)

    expect(phone).to_have_url(at("/again/check/"))
    expect(phone.get_by_text("Eliquis 5 mg twice a day")).to_be_visible()
    assert_no_axe_violations(phone, "re-screen check page")
    # The privacy acknowledgement is carried: only the declaration and the signature.
    expect(phone.locator('[name="privacy_notice_ack"]')).to_have_count(0)
    phone.locator('[name="attest_accurate"]').check(force=True)
    phone.get_by_label("Your full name, as your signature").fill("Rosa Vidal")
    submit(phone, "Send my answers")
    expect(phone).to_have_url(at("/thank-you/"))
    assert_no_axe_violations(phone, "the thank-you page")
    phone.context.close()


def test_a_series_return_visit_from_the_decision_to_the_providers_review(
    open_page, doctor, make_staff
):
    today = timezone.localdate()
    first = factories.submission(
        today=today - timedelta(weeks=10),
        first_name="Rosa",
        last_name="Vidal",
        email="rosa@example.org",
    )
    session_1 = today - timedelta(weeks=4)

    provider_decides_on_a_series(open_page, doctor, first)
    invitation, link = front_desk_invites(open_page, make_staff, first, session_1)
    patient_rescreens_on_a_phone(open_page, first, link)

    sent = Submission.objects.exclude(pk=first.pk).get()
    invitation.refresh_from_db()
    assert invitation.submission == sent
    assert (sent.previous_submission, sent.visit_type) == (first, "series_session")
    assert (sent.treatment_date, sent.carried_modality) == (session_1, "fractional_ablative")
    assert sent.questionnaire_version == current().version
    assert sent.answers["skin_history"] == first.answers["skin_history"]
    answered = {qid for qid, entry in sent.provenance.items() if entry["provenance"] == "answered"}
    assert {"last_session_problems", "since_last_medicines", "blood_thinners"} <= answered
    assert sent.provenance["skin_history"]["provenance"] == "confirmed"
    assert sent.provenance["skin_history"]["from_submission"] == first.reference
    assert sent.provenance["date_of_birth"]["provenance"] == "carried"
    assert set(sent.provenance) == set(sent.answers)
    codes = set(sent.flags.values_list("code", flat=True))
    assert set(NEW_FLAGS) <= codes and "POST_TREATMENT_SCARRING" not in codes

    # (4) The provider opens the re-screen from the queue.
    page = open_page(viewport=PROVIDER)
    sign_in(page, doctor)
    page.goto("/staff/screening/submission/")
    row = page.locator("#result_list tbody tr", has_text=sent.reference)
    expect(row).to_contain_text("Re-screen (series)")
    row.locator(f"text={sent.reference}").click()
    expect(page.locator("h1")).to_have_text(f"Review {sent.reference}")

    # "Changes since …" first, above the flags and the answers.
    panel = page.locator("section.visit-changes")
    expect(panel).to_contain_text(f"Changes since {first.submitted_on.isoformat()}")
    expect(panel).to_contain_text(f"Treated here on {session_1.isoformat()}")
    expect(panel).to_contain_text("Modality from the decision of")
    first_box = page.locator("section.visit-changes, section.flags, section.answers").first
    expect(first_box).to_have_class(re.compile(r"\bvisit-changes\b"))
    # The course problems, with their follow-ups.
    expect(panel).to_contain_text("Since the last treatment")
    expect(panel).to_contain_text("Dark patches")
    expect(panel).to_contain_text("Redness or swelling for longer than you were told")
    # The new medicine: reported as changed, and the three medicine answers, nothing else.
    expect(panel).to_contain_text("Reported as changed")
    changed = panel.locator("table.visit-answer-changes tbody tr")
    questions = current().questions
    medicine_ids = ("medicines_any", "blood_thinners", "current_medications_text")
    expect(changed.locator("th")).to_have_text([str(questions[q].label) for q in medicine_ids])
    expect(changed.filter(has_text="Apixaban")).to_have_count(1)
    expect(changed.filter(has_text="Eliquis 5 mg twice a day")).to_have_count(1)
    # The flags new since the first form, each said so; none merely carried.
    # The course flags are new by nature (asked each session); a flag whose answer changed says
    # so: "New since {the first form} (was: …)". The typed medicine is free text to read.
    new = panel.locator("ul.flag-changes li")
    expect(new).to_have_count(len(NEW_FLAGS) + 1)
    for code in (*NEW_FLAGS, "FREE_TEXT_NEEDS_REVIEW"):
        expect(new.filter(has_text=code)).to_contain_text("New:")
    since = first.submitted_on
    expect(new.filter(has_text="ANTICOAGULANT_RX")).to_contain_text(
        f"New since {since:%B} {since.day}, {since.year} (was: not asked)"
    )
    # Newly started, the flag itself asks what for (return-visit contract, "Changed answers").
    expect(page.locator("article.flag", has_text="ANTICOAGULANT_RX")).to_contain_text(
        f"Started since {since:%B} {since.day}, {since.year}: ask what for."
    )
    expect(panel).not_to_contain_text("No longer raised")
    expect(panel).not_to_contain_text("Still raised")
    # Nothing merely confirmed: no answer of a card the patient kept.
    for qid in ("skin_history", "date_of_birth", "allergies_list", "goals_text"):
        expect(panel).not_to_contain_text(str(questions[qid].label))
    assert_no_serious_axe_violations(page, "the re-screen's review page")
    assert_fits(page, PROVIDER["width"], "the re-screen's review page")
    snap(page, "4-review", KIND)

    # The carried answers: confirmed on this form, or carried without being shown.
    for summary in page.locator("section.answers summary").all():
        summary.click()
    confirmed = page.locator("section.answers tr.prov-confirmed").first
    expect(confirmed).to_contain_text(
        f"Confirmed on this form; first answered on {first.submitted_on.isoformat()}"
    )
    carried = page.locator("section.answers tr.prov-carried")
    expect(carried.first).to_contain_text("Carried over, not shown to the patient")
    assert_no_serious_axe_violations(page, "the re-screen's answers, opened")
