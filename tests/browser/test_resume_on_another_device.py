"""An invited patient starts on a phone and finishes on a desktop, with every answer kept."""

import pytest
from playwright.sync_api import expect

from screening.models import Invitation, Submission
from screening.questionnaire import current
from tests.browser.helpers import (
    PHONE,
    answer,
    answer_step,
    assert_fits_width,
    assert_no_axe_violations,
    at,
    browser_answers,
    sign_and_send,
    snap,
    step_path,
    submit,
)

pytestmark = pytest.mark.browser


def test_invited_on_a_phone_finished_on_a_desktop(open_page):
    from tests.invited import invite

    answers = browser_answers(first_name="Ana", last_name="Ruiz")
    link = invite(days_ahead=4)

    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(link)
    expect(phone).to_have_url(
        step_path(current().first_visit_sections[0].slug)
    )  # the token left the address bar
    expect(phone.get_by_label("First name")).to_have_value("Ana")  # filled in from the invitation
    expect(
        phone.get_by_text("Your answers are saved each time you select Continue")
    ).to_be_visible()
    assert_fits_width(phone, PHONE["width"])
    for step in current().first_visit_sections[:3]:
        answer_step(phone, step, answers)
        submit(phone)
    expect(phone).to_have_url(step_path(current().first_visit_sections[3].slug))
    snap(phone, "10-invited-step-4", "phone")
    phone.context.close()  # the phone is put away: nothing of it is shared with the desktop

    desktop = open_page()
    desktop.goto(link)
    expect(desktop).to_have_url(at("/continue/"))
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    assert_no_axe_violations(desktop, "the date-of-birth check")
    birth = current().questions["date_of_birth"]
    answer(desktop, birth, "1901-01-01")  # day, month and year boxes
    submit(desktop)
    expect(desktop.locator(".error-summary")).to_be_visible()
    expect(desktop.get_by_label("Day")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(desktop, "the date-of-birth check with an error")
    answer(desktop, birth, answers["date_of_birth"])
    submit(desktop)
    expect(desktop).to_have_url(
        step_path(current().first_visit_sections[3].slug)
    )  # where the phone stopped
    for step in current().first_visit_sections[3:]:
        answer_step(desktop, step, answers)
        submit(desktop)
    expect(desktop).to_have_url(at("/review/"))
    expect(desktop.get_by_text(answers["goals_text"].splitlines()[0])).to_be_visible()  # phone's
    sign_and_send(desktop)
    expect(desktop).to_have_url(at("/thank-you/"))

    submission = Submission.objects.get()
    assert submission.answers == answers  # every answer, from both devices
    assert submission.answers["first_name"] == "Ana"
    assert submission.appointment_at == Invitation.objects.get().appointment_at

    desktop.go_back()  # to the review: never the answers again, never "start again"
    expect(desktop.get_by_role("heading", level=1)).to_contain_text(
        f"You have already sent your answers (reference {submission.reference})"
    )
    assert_no_axe_violations(desktop, "the already-sent page")
    desktop.goto(link)
    expect(desktop.get_by_role("heading", level=1)).to_contain_text(submission.reference)


def test_the_patient_is_warned_before_the_idle_limit_and_can_stay(page, fast_forward, settings):
    settings.SCREENING_DRAFT_IDLE_MINUTES = 60
    page.clock.install()
    fast_forward(page, browser_answers(), before=current().first_visit_sections[1].slug)
    page.goto(f"/questions/{current().first_visit_sections[1].slug}/")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("54:00")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("01:01")  # five minutes before the limit
    expect(warning).to_be_visible()
    stay = page.get_by_role("button", name="Keep this page open")
    expect(stay).not_to_be_focused()  # announced (role="alert"), never taking the focus
    assert_no_axe_violations(page, "the idle warning")
    with page.expect_response("**/still-here/") as kept:
        stay.click()
    assert kept.value.status == 204
    expect(warning).to_be_hidden()
