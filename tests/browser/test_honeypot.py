"""The honeypot field as people and screen readers meet it in a real browser: they don't.

Judged by what the browser does with the page (where the field is drawn, what the accessibility
tree holds, where Tab goes), not by the stylesheet's text: any way of hiding it that keeps these
true is fine, and one that breaks any of them fails here.
"""

import pytest

from screening.patient import honeypot
from screening.questionnaire import current
from tests.browser.helpers import PHONE, browser_answers

pytestmark = pytest.mark.browser

FIELD = f'input[name="{honeypot.FIELD_NAME}"]'
LABEL = "Website (leave this empty)"


def _is_out_of_sight(page) -> bool:
    box = page.locator(FIELD).bounding_box()
    viewport = page.viewport_size
    document_width = page.evaluate("document.documentElement.scrollWidth")
    return box is None or (
        box["x"] + box["width"] <= 0
        or box["y"] + box["height"] <= 0
        or box["width"] * box["height"] <= 1
        or box["x"] >= max(viewport["width"], document_width)
    )


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_no_one_sees_hears_or_tabs_to_the_honeypot(open_page, fast_forward, size):
    page = open_page(**({"viewport": PHONE} if size == "phone" else {}))
    fast_forward(page, browser_answers())
    for section in (current().first_visit_sections[0], current().first_visit_sections[-1]):
        page.goto(f"/questions/{section.slug}/")
        assert page.locator(FIELD).count() == 1, section.slug  # the bots' field is there

        assert _is_out_of_sight(page), (section.slug, page.locator(FIELD).bounding_box())
        # Not in the accessibility tree: a screen reader neither lists nor reads it...
        assert page.get_by_role("textbox", name=LABEL).count() == 0, section.slug
        assert page.get_by_label(LABEL).count() == 1  # ...though it has its label, for bots
        # ...and Tab walks every control of the page without landing on it.
        reached = []
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement && document.activeElement.name")
            if focused == honeypot.FIELD_NAME:
                raise AssertionError(f"Tab reached the honeypot on {section.slug}")
            if page.evaluate("document.activeElement === document.body") and reached:
                break  # past the last control, back to the page itself
            reached.append(focused)
        assert "nav" in reached, (section.slug, reached)  # the walk did reach the buttons
