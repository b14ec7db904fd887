"""Options line up under their question, whichever of them are shown.

Bootstrap's reboot floats a fieldset's legend and clears only the element right after it. When a
question offers only the options picked above ("Which one bothers you most?"), the first ones are
hidden, and the first shown option sat beside the legend: its radio at the far right of a phone.
"""

import pytest

from tests.browser.helpers import PHONE, browser_answers

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_options_shown_from_a_filtered_list_line_up(page, fast_forward, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    fast_forward(page, browser_answers())
    page.goto("/questions/concerns/")
    shown = page.locator('#div_id_main_concern input[type="radio"]:visible')
    assert shown.count() >= 2
    lefts = {round(shown.nth(index).bounding_box()["x"]) for index in range(shown.count())}
    legend = page.locator("#div_id_main_concern legend").bounding_box()
    assert len(lefts) == 1, f"radios at different x: {sorted(lefts)}"
    assert lefts.pop() < legend["x"] + 40  # under the question, not beside it
