"""Non-text contrast (WCAG 1.4.11) and focus visibility (WCAG 2.4.13), measured in Chromium.

axe does not check either. Here the browser's computed styles are read for every visible control
of every patient page (radios, tick boxes, text boxes, selects; follow-ups open, with and without
JavaScript, errors shown) and the contrast ratio is computed in the test from WCAG's formula:
each control's border against the background behind it must reach 3:1, and the focus indicator
that Tab gives each control must be a solid outline of at least 2 px, at 3:1 against the
background.
"""

import pytest
from playwright.sync_api import expect

from screening.questionnaire import current
from tests.browser.helpers import (
    PHONE,
    at,
    browser_answers,
    show_as_without_javascript,
    sign_and_send,
    submit,
    without_followups_script,
)

pytestmark = pytest.mark.browser

MINIMUM = 3.0

# The colour of every visible control's border, and of the first opaque background behind it.
_CONTROLS = """() => {
  const opaque = (colour) => !/^rgba\\(.*,\\s*0\\)$/.test(colour) && colour !== 'transparent';
  const background = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (opaque(colour)) { return colour; }
    }
    return 'rgb(255, 255, 255)';
  };
  const describe = (element) => element.id || element.name || element.outerHTML.slice(0, 80);
  return Array.from(document.querySelectorAll(
      'input:not([type=hidden]):not([type=submit]), textarea, select'))
    .filter((element) => !element.closest('.hp-field') && element.getClientRects().length)
    .map((element) => {
      const style = getComputedStyle(element);
      return {
        control: describe(element),
        type: element.type,
        border: style.borderTopColor,
        borderWidth: parseFloat(style.borderTopWidth),
        borderStyle: style.borderTopStyle,
        background: background(element),
      };
    });
}"""

_FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return null; }
  let backdrop = 'rgb(255, 255, 255)';
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== 'transparent' && !/,\\s*0\\)$/.test(colour)) { backdrop = colour; break; }
  }
  const style = getComputedStyle(element);
  return {
    control: element.id || element.name || element.tagName + ' ' + element.textContent.trim().slice(0, 40),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outline: style.outlineColor,
    background: backdrop,
  };
}"""


def _channels(css_colour: str) -> tuple[float, float, float, float]:
    inside = css_colour[css_colour.index("(") + 1 : css_colour.index(")")]
    parts = [float(part) for part in inside.replace("/", ",").replace(" ", ",").split(",") if part]
    red, green, blue = parts[:3]
    return red, green, blue, parts[3] if len(parts) > 3 else 1.0


def _over(colour: str, background: str) -> tuple[float, float, float]:
    """`colour` as seen on `background` (a translucent border shows the background through)."""
    red, green, blue, alpha = _channels(colour)
    back = _channels(background)
    return tuple(
        alpha * c + (1 - alpha) * b for c, b in zip((red, green, blue), back[:3], strict=True)
    )


def _luminance(rgb: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(colour: str, background: str) -> float:
    """WCAG 2 contrast ratio of a CSS colour over a CSS background colour."""
    first = _luminance(_over(colour, background))
    second = _luminance(_channels(background)[:3])
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_formula_matches_wcag():
    """Known pairs: the check would catch the old #dee2e6 border, and passes what WCAG passes."""
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(222, 226, 230)", "rgb(255, 255, 255)") == pytest.approx(1.3, abs=0.05)
    assert contrast("rgb(108, 117, 125)", "rgb(255, 255, 255)") == pytest.approx(4.69, abs=0.02)
    assert contrast("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(1.0)


def assert_controls_visible(page, where: str) -> int:
    """Every visible control's border is solid, at least 1 px and 3:1 against its background."""
    controls = page.evaluate(_CONTROLS)
    weak = [
        f"{c['control']} ({c['type']}): border {c['border']} on {c['background']}, "
        f"{contrast(c['border'], c['background']):.2f}:1, {c['borderWidth']}px {c['borderStyle']}"
        for c in controls
        if c["borderStyle"] == "none"
        or c["borderWidth"] < 1
        or contrast(c["border"], c["background"]) < MINIMUM
    ]
    assert not weak, f"controls under {MINIMUM}:1 on {where} ({page.url}):\n  " + "\n  ".join(weak)
    return len(controls)


def assert_focus_visible(page, where: str, *, presses: int = 200) -> int:
    """Tab through the page: every element that takes the focus shows a solid outline of 2 px
    or more, at 3:1 against the background around it."""
    page.locator("body").focus()
    seen, weak = set(), []
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            break
        key = focused["control"]
        if key in seen:
            break  # round the page once
        seen.add(key)
        ratio = contrast(focused["outline"], focused["background"])
        if (
            focused["outlineStyle"] in {"none", "hidden"}
            or focused["outlineWidth"] < 2
            or ratio < MINIMUM
        ):
            weak.append(
                f"{key}: outline {focused['outlineStyle']} {focused['outlineWidth']}px "
                f"{focused['outline']} on {focused['background']} ({ratio:.2f}:1)"
            )
    assert not weak, f"weak focus indicators on {where} ({page.url}):\n  " + "\n  ".join(weak)
    return len(seen)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("slug", [s.slug for s in current().first_visit_sections])
def test_every_step_with_its_follow_ups(open_page, fast_forward, slug, javascript):
    """Answered steps (ticked and unticked controls); without JavaScript every follow-up shows."""
    page = open_page()
    if not javascript:
        without_followups_script(page)
    fast_forward(page, browser_answers())
    page.goto(f"/questions/{slug}/")
    if not javascript:
        show_as_without_javascript(page)
    assert assert_controls_visible(page, f"step {slug}") > 0
    assert assert_focus_visible(page, f"step {slug}") > 0


@pytest.mark.parametrize("slug", ["about-you", "concerns"])
def test_steps_with_errors_on_a_phone(open_page, fast_forward, slug):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    fast_forward(page, browser_answers(), before=slug)
    page.goto(f"/questions/{slug}/")
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()
    assert assert_controls_visible(page, f"step {slug} with errors") > 0
    assert_focus_visible(page, f"step {slug} with errors")


def test_landing_review_confirmation_and_notice(page, fast_forward):
    page.goto("/")
    assert_focus_visible(page, "the landing page")
    page.goto("/privacy/")
    assert_focus_visible(page, "the privacy notice")
    fast_forward(page, browser_answers())
    page.goto("/review/")
    assert_controls_visible(page, "the review page")
    assert_focus_visible(page, "the review page")
    sign_and_send(page)
    expect(page).to_have_url(at("/thank-you/"))
    assert_focus_visible(page, "the confirmation page")


def test_save_for_later_page(page, fast_forward):
    fast_forward(page, browser_answers(), before="concerns")
    page.goto("/save/")
    assert assert_controls_visible(page, "save for later") == 1
    assert_focus_visible(page, "save for later")


def test_the_check_is_real(page):
    """A control drawn with Bootstrap's stock border is caught, and the report names it."""
    page.goto("/privacy/")
    page.locator("main").evaluate(
        "main => main.insertAdjacentHTML('beforeend', "
        "'<input id=faint class=form-control aria-label=faint>')"
    )
    page.locator("#faint").evaluate("box => box.style.setProperty('--bs-border-color', '#dee2e6')")
    with pytest.raises(AssertionError, match=r"faint \(text\): border rgb\(222, 226, 230\)"):
        assert_controls_visible(page, "the notice with a faint box")


def test_follow_ups_and_their_errors_without_javascript_on_a_phone(open_page, fast_forward):
    """The next page of follow-ups asked without JavaScript (every treatment's date), in error."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    without_followups_script(page)
    fast_forward(page, browser_answers(), before="past-treatments")
    page.goto("/questions/past-treatments/")
    show_as_without_javascript(page)
    for key in current().questions["prior_procedures"].choice_keys:
        if key != "none":
            page.locator(f'[name="prior_procedures"][value="{key}"]').check()
    page.locator('[name="prior_treatment_problems"][value="no"]').check()
    submit(page)
    show_as_without_javascript(page)
    submit(page)
    show_as_without_javascript(page)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".followup:visible")).to_have_count(page.locator(".followup").count())
    assert assert_controls_visible(page, "past treatments with errors, without JavaScript") > 50
    assert_focus_visible(page, "past treatments with errors, without JavaScript")
