"""The idle warning counts typing as activity and never takes the focus."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.helpers import browser_answers

pytestmark = pytest.mark.browser


def test_typing_is_activity_and_the_warning_never_moves_the_focus(page, fast_forward):
    warn_after_ms = (settings.SCREENING_DRAFT_IDLE_MINUTES - 5) * 60 * 1000
    page.clock.install()
    fast_forward(page, browser_answers(), before="concerns")
    page.goto("/questions/concerns/")
    box = page.locator("textarea").first  # the step's free text
    box.focus()
    page.clock.run_for(warn_after_ms - 60_000)
    page.keyboard.type("Smoother skin")  # typing: the page is in use
    page.clock.run_for(2 * 60_000)
    expect(page.locator("#idle-warning")).to_be_hidden()
    page.clock.run_for(warn_after_ms)  # now idle for long enough
    expect(page.locator("#idle-warning")).to_be_visible()
    expect(box).to_be_focused()  # announced, never taking the focus from where the patient is
    page.keyboard.type(" and even tone")
    expect(page.locator("#idle-warning")).to_be_hidden()
