"""Follow-up questions in a real browser: no layout shift when the page starts (CLS 0 on a phone),
every follow-up answerable without JavaScript with its note, the treatment dates grouped, and the
follow-ups opening and closing with the keyboard as with the mouse."""

import time

import pytest
from playwright.sync_api import expect

from screening.patient.forms import StepForm
from tests.browser.helpers import (
    PHONE,
    answer_step,
    at,
    browser_answers,
    section,
    step_path,
    submit,
    tab_to,
)
from tests.factories import full_answers

pytestmark = pytest.mark.browser

# Every layout shift the page makes, from its first paint (the observer is installed before any
# of the page's own scripts run; buffered entries include those before it was created). Shifts
# right after the person's own input are excluded, as CLS excludes them.
CLS_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) { window.__layoutShift += entry.value; }
  }
}).observe({type: "layout-shift", buffered: true});
"""
# After load and the deferred scripts: two animation frames, so that a change the scripts made
# has been laid out and reported.
SCRIPT_DELAY_S = 0.5
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def phone(open_page, **options):
    return open_page(viewport=PHONE, is_mobile=True, has_touch=True, **options)


def layout_shift(page, path: str) -> float:
    """The page's cumulative layout shift as it loads on a slow connection: its scripts arrive
    after the first paint (as under Lighthouse's mobile throttling, where CLS 0.195 was seen),
    so any change they make to the layout is a shift the patient sees."""
    page.add_init_script(CLS_OBSERVER)

    def late(route):
        time.sleep(SCRIPT_DELAY_S)
        route.continue_()

    page.route("**/static/screening/*.js", late)
    page.goto(path, wait_until="load")
    page.evaluate(SETTLED)
    return page.evaluate("window.__layoutShift")


DRAFTS = {
    "no-follow-ups": full_answers,
    "follow-ups-open": browser_answers,
}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("slug", ["concerns", "medicines", "past-treatments"])
def test_no_layout_shift_when_the_step_starts(open_page, fast_forward, slug, draft, viewport):
    """The steps whose follow-ups moved content (CLS up to 0.195 on a phone): the server decides
    their first state, so nothing moves when followups.js starts, on a phone or a desktop."""
    page = phone(open_page) if viewport == "phone" else open_page()
    fast_forward(page, DRAFTS[draft](), before=None if draft == "follow-ups-open" else slug)
    assert layout_shift(page, f"/questions/{slug}/") == 0


@pytest.mark.parametrize("slug", ["concerns", "medicines"])
def test_the_layout_shift_measure_is_real(open_page, fast_forward, monkeypatch, slug):
    """The same measure sees the shift of the old way: every follow-up rendered visible, and
    followups.js hiding those that do not apply after the first paint. (On a desktop, where
    the follow-ups of these answers are above the fold; on a phone they are below it.)"""
    monkeypatch.setattr(StepForm, "applies", lambda form, question_id: True)
    page = open_page()
    fast_forward(page, full_answers(), before=None)
    assert layout_shift(page, f"/questions/{slug}/") > 0.01


def test_without_javascript_every_follow_up_is_shown_with_its_note_and_answerable(
    open_page, fast_forward
):
    page = phone(open_page, java_script_enabled=False)
    fast_forward(page, full_answers(), before="past-treatments")
    page.goto("/questions/past-treatments/")
    follow_ups = page.locator(".followup")
    expect(follow_ups).to_have_count(19)
    for index in range(follow_ups.count()):
        expect(follow_ups.nth(index)).to_be_visible()
        expect(follow_ups.nth(index).locator(".condition-text")).to_be_visible()
    group = page.get_by_role("group", name="About the treatments you chose")
    expect(group).to_be_visible()
    expect(group.locator(".followup")).to_have_count(18)
    expect(
        page.get_by_text("Answer only the questions below that match what you chose above.")
    ).to_be_visible()
    expect(page.get_by_text("Answer only if you chose Filler above.")).to_have_count(2)
    # Answered as a patient without JavaScript would: the treatment, then its date, lower down.
    page.get_by_role("checkbox", name="Light chemical peel").check()
    page.locator('select[name="prior_chemical_peel_light_last_month"]').select_option("3")
    page.locator('[name="prior_chemical_peel_light_last_year"]').fill("2024")
    page.locator('[name="prior_treatment_problems"][value="no"]').check()
    submit(page)
    expect(page).to_have_url(step_path("medicines"))


def test_without_javascript_a_follow_up_left_empty_is_named_in_the_summary(open_page, fast_forward):
    page = phone(open_page, java_script_enabled=False)
    fast_forward(page, full_answers(), before="about-you")
    page.goto("/questions/about-you/")
    expect(
        page.get_by_text("Answer only if you chose Email or Text message above.")
    ).to_be_visible()
    page.locator('[name="preferred_contact_method"][value="email"]').check()
    page.locator('[name="unencrypted_contact_consent"][value="yes"]').uncheck()
    submit(page)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Email or text message")
    expect(summary).to_contain_text("Choose whether we may use email or text messages.")


def test_with_javascript_a_nested_follow_up_closes_with_its_parent(open_page, fast_forward):
    page = phone(open_page)
    fast_forward(page, browser_answers())
    page.goto("/questions/medicines/")
    last_dose = page.locator("#div_id_isotretinoin_last_dose")
    expect(last_dose).to_be_visible()
    expect(page.locator(".condition-text:visible")).to_have_count(0)
    page.locator('[name="isotretinoin_ever"][value="no"]').check()
    expect(last_dose).to_be_hidden()
    expect(page.locator("#div_id_isotretinoin_current")).to_be_hidden()
    page.locator('[name="isotretinoin_ever"][value="yes"]').check()
    expect(last_dose).to_be_visible()  # "not taking it now" was kept


def test_with_javascript_the_treatment_group_opens_with_the_first_treatment(page, fast_forward):
    fast_forward(page, full_answers(), before="past-treatments")
    page.goto("/questions/past-treatments/")
    group = page.locator("#group_prior_procedures")
    expect(group).to_be_hidden()
    page.get_by_role("checkbox", name="Filler", exact=True).check()
    expect(group).to_be_visible()
    expect(group.locator(".followup:visible")).to_have_count(2)  # its date and its kind
    page.get_by_role("checkbox", name="Filler", exact=True).uncheck()
    expect(group).to_be_hidden()


def test_by_keyboard_a_follow_up_opens_and_is_next_in_the_tab_order(page, fast_forward):
    fast_forward(page, full_answers(), before="concerns")
    page.goto("/questions/concerns/")
    other = section("concerns").questions[0].choice_keys.index("other")
    tab_to(page, f"#id_skin_concerns_{other}")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("#id_skin_concerns_other")).to_be_focused()
    page.keyboard.type("Redness")
    expect(page.locator("#id_skin_concerns_other")).to_have_value("Redness")


def test_with_javascript_a_gateways_not_sure_opens_its_list_and_an_item_its_detail(
    page, fast_forward
):
    """2027.01's "Do any of these apply?" lists: "I'm not sure about one of these" brings up
    "Which ones are you not sure about?", and a ticked item its own follow-up."""
    fast_forward(page, full_answers(), before="health")
    page.goto("/questions/health/")
    answer_step(page, section("health"), full_answers())
    unsure = page.locator("#div_id_skin_history_unsure")
    conditions = page.locator("#div_id_skin_conditions")
    expect(unsure).to_be_hidden()
    expect(conditions).to_be_hidden()
    history = page.locator("#div_id_skin_history")
    history.locator('[name="skin_history"][value="none"]').uncheck()
    history.locator('[name="skin_history"][value="not_sure"]').check()
    expect(unsure).to_be_visible()
    history.locator('[name="skin_history"][value="skin_condition"]').check()
    expect(conditions).to_be_visible()
    conditions.locator('[name="skin_conditions"][value="vitiligo"]').check()
    expect(page.locator("#div_id_vitiligo_active_12m")).to_be_visible()
    unsure.locator('[name="skin_history_unsure"][value="shingles"]').check()
    page.locator('[name="skin_condition_active"][value="no"]').check()
    page.locator('[name="vitiligo_active_12m"][value="unsure"]').check()
    submit(page)
    expect(page).to_have_url(at("/review/"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Shingles on your face or an area you want treated")
