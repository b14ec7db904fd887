"""The trimmed Bootstrap draws every patient page exactly as the full build does.

`make css` keeps only the Bootstrap rules whose selectors name words the pages use
(tests/test_bootstrap_trim.py checks the words). Here Chromium is the judge: on each page (empty,
with every error shown, answered with follow-ups open; phone and desktop) the computed style of
every element and of its ::before and ::after is read with the trimmed stylesheet, then with the
full build put in its place, and the two must be the same.
"""

import pytest

from assets.bootstrap_usage import FULL_BOOTSTRAP
from screening.questionnaire import current

from .helpers import PHONE, browser_answers, sign_and_send, submit

pytestmark = pytest.mark.browser

FULL = FULL_BOOTSTRAP.read_text(encoding="utf-8")

# In the page: every element's computed style and its ::before's and ::after's (custom properties
# left out: the trim drops the ones nothing reads, and what they drew is in the others), read with
# the trimmed stylesheet, then with the full build put in its place by a new <link> (the CSP
# refuses an inline <style>; the test answers its request), then compared there: only the
# differences come back. No reload: a page that answered a POST keeps its errors.
_DIFFERENCES = """async () => {
  const line = (style) => Array.from(style).filter((name) => !name.startsWith('--'))
    .map((name) => name + ':' + style.getPropertyValue(name));
  // A ::before or ::after with no content draws nothing (and reading it costs the most).
  const drawn = (style, pseudo) => !pseudo || !['none', 'normal'].includes(style.content);
  const styles = () => Array.from(document.querySelectorAll('*'), (element) =>
    ['', '::before', '::after'].map((pseudo) => {
      const style = getComputedStyle(element, pseudo || null);
      return drawn(style, pseudo) ? line(style) : [];
    }));
  const trimmedStyles = styles();
  await new Promise((resolve, reject) => {
    const trimmed = document.querySelector('link[rel=stylesheet][href*="vendor/bootstrap/"]');
    const full = document.createElement('link');
    full.rel = 'stylesheet';
    full.href = trimmed.href + '?full';
    full.onload = () => { trimmed.remove(); resolve(); };
    full.onerror = reject;
    trimmed.after(full);
  });
  const fullStyles = styles();
  const elements = document.querySelectorAll('*');
  const differences = [];
  fullStyles.forEach((parts, index) => parts.forEach((properties, part) => {
    const trimmed = new Set(trimmedStyles[index][part]);
    const missing = properties.filter((property) => !trimmed.has(property));
    if (missing.length) {
      const element = elements[index];
      differences.push(element.tagName + (element.id ? '#' + element.id : '')
        + ['', '::before', '::after'][part] + ' needs ' + missing.slice(0, 6).join('; '));
    }
  }));
  return differences;
}"""
FULL_URL = "**/vendor/bootstrap/*.css?full"


def assert_drawn_as_with_full_bootstrap(page, where: str) -> None:
    page.route(FULL_URL, lambda route: route.fulfill(body=FULL, content_type="text/css"))
    differences = page.evaluate(_DIFFERENCES)
    assert not differences, (
        f"{where}: {len(differences)} elements drawn differently with the trimmed Bootstrap"
        " (run `make css`?); the first: " + "\n".join(differences[:5])
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_landing_and_privacy_pages(page, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    for path in ("/", "/privacy/"):
        page.goto(path)
        assert_drawn_as_with_full_bootstrap(page, f"{path} ({viewport})")


def test_every_step_empty_with_errors_and_answered_on_a_phone(page, fast_forward):
    """Mobile first: every state of every step at phone size (the desktop's turn is below)."""
    page.set_viewport_size(PHONE)
    for section in current().sections:
        fast_forward(page, browser_answers(), before=section.slug)
        page.goto(f"/questions/{section.slug}/")
        assert_drawn_as_with_full_bootstrap(page, f"step {section.slug}, empty (phone)")
        submit(page)
        assert_drawn_as_with_full_bootstrap(page, f"step {section.slug}, errors (phone)")
    fast_forward(page, browser_answers())
    for section in current().sections:
        page.goto(f"/questions/{section.slug}/")
        assert_drawn_as_with_full_bootstrap(page, f"step {section.slug}, answered (phone)")


def test_every_step_answered_on_a_desktop(page, fast_forward):
    """The desktop's wider layout; the steps' states are the phone's (the same classes)."""
    fast_forward(page, browser_answers())
    for section in current().sections:
        page.goto(f"/questions/{section.slug}/")
        assert_drawn_as_with_full_bootstrap(page, f"step {section.slug}, answered (desktop)")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_review_with_errors_and_confirmation(page, fast_forward, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    fast_forward(page, browser_answers())
    page.goto("/review/")
    assert_drawn_as_with_full_bootstrap(page, f"review ({viewport})")
    page.goto("/review/")
    submit(page, "Send my answers")
    assert_drawn_as_with_full_bootstrap(page, f"review with errors ({viewport})")
    sign_and_send(page)
    assert_drawn_as_with_full_bootstrap(page, f"confirmation ({viewport})")
