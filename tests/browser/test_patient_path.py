"""The patient's whole path in a real browser: with JavaScript, without, on a phone, by keyboard.

Each walk starts at the landing page and ends on the confirmation with a reference that is in
the database. With SCREENSHOTS=1 every page is screenshotted to
test-results/screenshots/<desktop|phone>/.
"""

import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from screening.models import Submission
from screening.questionnaire import current
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    answer_next_pages,
    answer_step,
    assert_fits_width,
    at,
    browser_answers,
    key_answer_step,
    key_sign,
    key_submit,
    screenshots_wanted,
    section,
    sign_and_send,
    snap,
    step_path,
    submit,
)

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^\w{3}-\w{3}-\w{3}$")
OTHER_CONCERN = "Describe the other concern."
MEDIUM_SKIN = "Medium: sometimes burns, tans slowly"
STEPS = [part.slug for part in current().first_visit_sections]


def walk_the_path(page: Page, screenshots: str | None, *, javascript: bool = True) -> Submission:
    """Start, every step (a mistake and its fix, a follow-up, Back), review, a change from the
    review, send, confirmation, privacy notice. Returns the saved submission.

    Every page must not scroll sideways at the page's width, and with SCREENSHOTS=1 is
    screenshotted to test-results/screenshots/<screenshots>/ (None: not at all).
    """
    answers = browser_answers()
    width = page.viewport_size["width"]
    if screenshots and screenshots_wanted():  # one test writes each folder, no other worker
        shutil.rmtree(SCREENSHOTS / screenshots, ignore_errors=True)

    def looked_at(name):
        if screenshots:
            snap(page, name, screenshots)
        assert_fits_width(page, width)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before your laser resurfacing consultation"
    )
    looked_at("00-landing")
    submit(page, "Start")

    # 1. About you, with a mistake: the summary links to the field, the other answers are kept.
    expect(page).to_have_url(step_path("about-you"))
    expect(page.get_by_text(f"Step 1 of {len(STEPS)}")).to_be_visible()
    looked_at("01-about-you")
    answer_step(page, section("about-you"), {**answers, "email": "ana.example.com"})
    submit(page)
    expect(page).to_have_url(step_path("about-you"))
    expect(page).to_have_title(re.compile(r"^Error: About you"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    if javascript:  # screen readers and keyboards start at the list of problems
        expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)  # only the email is wrong; the other answers are kept
    expect(links).to_contain_text("Email address")
    expect(links).to_contain_text(
        "Enter an email address in the correct format, like name@example.com."
    )
    email = page.get_by_label("Email address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("First name")).to_have_value(answers["first_name"])
    expect(page.locator('[name="best_contact_time"][value="morning"]')).to_be_checked()
    looked_at("01-about-you-error")
    summary.get_by_role("link").click()
    expect(email).to_be_focused()
    email.fill(answers["email"])
    submit(page)
    answer_next_pages(page, section("about-you"), answers)  # without JavaScript: the consent

    # 2. Concerns: "Something else" brings up its follow-up question.
    expect(page).to_have_url(step_path("concerns"))
    other_text = page.get_by_label(OTHER_CONCERN)
    condition = page.get_by_text("Answer only if you chose Something else above.")
    expect(other_text).to_be_hidden()
    expect(condition).to_be_hidden()
    page.get_by_role("checkbox", name="Something else").check()
    if javascript:  # it opens in place
        expect(other_text).to_be_visible()
        other_text.fill(answers["skin_concerns_other"])
        answer_step(page, section("concerns"), answers)
        looked_at("02-concerns")
        submit(page)
    else:  # it is asked on the step's next page, with the other follow-ups that apply
        answer_step(page, section("concerns"), answers)
        looked_at("02-concerns")
        submit(page)
        expect(page).to_have_url(at("/questions/concerns/?more=1"))
        expect(other_text).to_be_visible()
        expect(condition).to_be_hidden()  # "above" is not above on this page
        answer_next_pages(page, section("concerns"), answers)

    # 3. Skin and sun, then Back: the answers of both steps are still there.
    expect(page).to_have_url(step_path("skin-and-sun"))
    answer_step(page, section("skin-and-sun"), answers)
    looked_at("03-skin-and-sun")
    submit(page, "Back")
    expect(page).to_have_url(step_path("concerns"))
    expect(page.get_by_role("checkbox", name="Something else")).to_be_checked()
    expect(other_text).to_have_value(answers["skin_concerns_other"])
    submit(page)
    expect(page).to_have_url(step_path("skin-and-sun"))
    expect(page.locator('[name="skin_type_self"][value="II"]')).to_be_checked()
    submit(page)

    # 4 to the last.
    for number, slug in enumerate(STEPS[3:], start=4):
        expect(page).to_have_url(step_path(slug))
        expect(page.get_by_text(f"Step {number} of {len(STEPS)}")).to_be_visible()
        answer_step(page, section(slug), answers)
        looked_at(f"{number:02d}-{slug}")
        submit(page)
        answer_next_pages(page, section(slug), answers)

    # Review, and a change made from it.
    expect(page).to_have_url(at("/review/"))
    main = page.get_by_role("main")
    expect(main).to_contain_text(answers["skin_concerns_other"])
    expect(main).not_to_contain_text("IPL, BBL or photofacial")
    looked_at("08-review")
    with page.expect_navigation():
        page.locator("#review-skin_type_self").get_by_role("link", name="Change").click()
    expect(page).to_have_url(at("/questions/skin-and-sun/#div_id_skin_type_self"))
    expect(page.locator("#div_id_skin_type_self")).to_be_in_viewport()
    page.get_by_role("radio", name=MEDIUM_SKIN).check()
    submit(page)
    expect(page).to_have_url(at("/review/"))
    expect(main).to_contain_text(MEDIUM_SKIN)
    expect(main).not_to_contain_text("Fair: burns easily")

    # Sign and send, confirmation.
    sign_and_send(page, "Ana Ruiz")
    expect(page).to_have_url(at("/thank-you/"))
    reference = page.locator(".reference-code")
    expect(reference).to_have_text(REFERENCE)
    looked_at("09-thank-you")
    submission = Submission.objects.get(reference=reference.inner_text())

    page.goto("/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your privacy")
    looked_at("10-privacy")

    assert submission.answers["skin_type_self"] == "III"
    assert submission.answers["skin_concerns_other"] == answers["skin_concerns_other"]
    assert submission.answers["email"] == answers["email"]
    assert "prior_ipl_last" not in submission.answers
    return submission


def test_the_whole_path_with_javascript(page):
    assert page.viewport_size == DESKTOP
    walk_the_path(page, "desktop")


def test_the_whole_path_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    walk_the_path(page, None, javascript=False)


def test_the_whole_path_on_a_phone(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    walk_the_path(page, "phone")


def test_the_whole_path_by_keyboard_alone(page):
    """Tab moves, Space ticks, arrow keys choose a radio, typing fills, Enter submits: no mouse."""
    answers = browser_answers()
    page.goto("/")
    key_submit(page, 'form[action="/start/"] button')

    # A mistake first: Enter on Continue with nothing answered, then the summary's first link.
    expect(page).to_have_url(step_path("about-you"))
    key_submit(page)
    expect(page.locator(".error-summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".error-summary a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("First name")).to_be_focused()

    for step in STEPS:
        expect(page).to_have_url(step_path(step))
        key_answer_step(page, section(step), answers)
        key_submit(page)

    expect(page).to_have_url(at("/review/"))
    expect(page.get_by_role("main")).to_contain_text(answers["skin_concerns_other"])
    key_sign(page)
    key_submit(page, 'main form button[type="submit"]')
    expect(page).to_have_url(at("/thank-you/"))
    expect(page.locator(".reference-code")).to_have_text(REFERENCE)
    submission = Submission.objects.get()
    assert {key: submission.answers.get(key) for key in answers} == answers
