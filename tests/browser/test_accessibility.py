"""axe-core on every page a patient sees: zero violations, whatever their impact.

axe runs its default rules (WCAG 2.0/2.1/2.2 A and AA, and best practices) on the page as the
browser shows it, follow-up questions open where the answers open them. On a failure the report
lists each rule, its impact, the elements (CSS selectors) and how to fix it.
"""

import pytest
from playwright.sync_api import expect

from screening.questionnaire import current
from tests.browser.helpers import (
    PHONE,
    SCREENSHOTS,
    assert_no_axe_violations,
    at,
    browser_answers,
    screenshots_wanted,
    show_as_without_javascript,
    sign_and_send,
    submit,
    without_followups_script,
)

pytestmark = pytest.mark.browser


def test_landing_page(page):
    page.goto("/")
    assert_no_axe_violations(page, "the landing page")


def test_landing_page_with_answers_in_progress(page, fast_forward):
    fast_forward(page, browser_answers(), before="concerns")
    page.goto("/")
    expect(page.get_by_role("link", name="Continue where you left off")).to_be_visible()
    assert_no_axe_violations(page, "the landing page with a draft (Continue / Start again)")


@pytest.mark.parametrize("slug", [s.slug for s in current().first_visit_sections])
def test_step_with_its_follow_ups_open(page, slug, fast_forward):
    fast_forward(page, browser_answers())  # every step answered: each shows its answers
    page.goto(f"/questions/{slug}/")
    assert page.locator(".followup:visible").count() or slug in {"skin-and-sun", "confirm"}
    assert_no_axe_violations(page, f"step {slug}")


@pytest.mark.parametrize("slug", ["concerns", "past-treatments", "medicines"])
def test_step_as_shown_without_javascript(page, fast_forward, slug):
    """The follow-ups that apply shown with their condition in words, those that do not hidden
    (they are asked on a next page once they apply): the page without followups.js and with
    the stylesheet of its <noscript> (helpers)."""
    without_followups_script(page)
    fast_forward(page, browser_answers(), before=None)
    page.goto(f"/questions/{slug}/")
    show_as_without_javascript(page)
    expect(page.locator(".condition-text").first).to_be_visible()
    expect(page.locator(".followup:visible")).to_have_count(
        page.locator(".followup:not(.js-hidden)").count()
    )
    assert_no_axe_violations(page, f"step {slug} as shown without JavaScript")


def test_step_with_errors_in_follow_ups_without_javascript(page, fast_forward):
    """Errors on the next page of follow-ups, asked without JavaScript."""
    without_followups_script(page)
    fast_forward(page, browser_answers(), before="past-treatments")
    page.goto("/questions/past-treatments/")
    show_as_without_javascript(page)
    page.locator('[name="prior_procedures"][value="filler"]').check()
    page.locator('[name="prior_procedures"][value="ipl"]').check()
    page.locator('[name="prior_treatment_problems"][value="no"]').check()
    submit(page)
    show_as_without_javascript(page)
    page.locator('[name="prior_ipl_last_year"]').fill("20")
    submit(page)
    show_as_without_javascript(page)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Last filler")
    expect(summary).to_contain_text("Last IPL must include a month. Choose it from the list.")
    expect(summary).to_contain_text("Kind of filler")
    assert_no_axe_violations(page, "step past-treatments with errors, without JavaScript")


def test_step_with_errors(page, fast_forward):
    """Every kind of error on one page: text, date, email, phone and radio questions."""
    fast_forward(page, browser_answers(), before="about-you")
    page.goto("/questions/about-you/")
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("[aria-invalid=true]")).not_to_have_count(0)
    assert_no_axe_violations(page, "step about-you with errors")


def test_step_with_errors_in_groups_and_a_follow_up(page, fast_forward):
    """A tick-box group, a follow-up left empty and a month field in error."""
    fast_forward(page, browser_answers(), before="concerns")
    page.goto("/questions/concerns/")
    page.get_by_role("checkbox", name="Something else").check()
    page.locator('[name="upcoming_event"][value="yes"]').check()
    submit(page)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Other concern Describe the other concern.")
    expect(summary).to_contain_text("Date for results")
    assert_no_axe_violations(page, "step concerns with errors")


def test_review_page(page, fast_forward):
    fast_forward(page, browser_answers())
    page.goto("/review/")
    assert_no_axe_violations(page, "the review page")


def test_confirmation_page(page, fast_forward):
    fast_forward(page, browser_answers())
    page.goto("/review/")
    sign_and_send(page)
    expect(page).to_have_url(at("/thank-you/"))
    assert_no_axe_violations(page, "the confirmation page")
    expect(page.locator('a[href^="tel:"]')).to_have_count(2)  # the page's and the footer's
    expect(page.get_by_text("This form is not checked in real time.")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("link", name="See a copy of your answers to print or save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A copy of your answers")
    assert_no_axe_violations(page, "the patient's copy of their answers")


def test_review_page_with_errors_on_a_phone(open_page, fast_forward):
    """Sent without signing: the summary names the declaration and the signature."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    fast_forward(page, browser_answers())
    page.goto("/review/")
    submit(page, "Send my answers")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Type your full name to sign the declaration.")
    expect(summary).to_contain_text("Declaration")
    assert_no_axe_violations(page, "the review page with errors on a phone")
    if screenshots_wanted():
        page.locator(".review-declaration").screenshot(
            path=SCREENSHOTS / "phone" / "08-review-declaration-error.png"
        )


def test_privacy_notice(page):
    page.goto("/privacy/")
    assert_no_axe_violations(page, "the privacy notice")


def test_the_check_is_real(page):
    """A bare input is a `label` violation, and the report names it: axe is not vacuous here."""
    page.goto("/privacy/")
    page.locator("main").evaluate("main => main.insertAdjacentHTML('beforeend', '<input id=bare>')")
    with pytest.raises(AssertionError, match=r"- label \(critical\)[\s\S]*#bare"):
        assert_no_axe_violations(page, "the privacy notice with a bare input")


def test_step_with_errors_on_a_phone(open_page, fast_forward):
    """The narrow layout: touch targets (WCAG 2.2 target-size), reflow, the focused summary."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    fast_forward(page, browser_answers(), before="concerns")
    page.goto("/questions/concerns/")
    page.get_by_role("checkbox", name="Something else").check()
    submit(page)
    expect(page.locator(".error-summary")).to_be_focused()
    assert_no_axe_violations(page, "step concerns with errors on a phone")
