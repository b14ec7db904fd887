"""The trimmed Bootstrap keeps every rule of the full build that can apply to a patient page.

`make css` keeps only the Bootstrap rules whose selectors name words the pages use
(tests/bench/test_bootstrap_trim.py checks the words). Here Chromium is the judge, on each page as the
patient meets it (empty, with every error shown, answered with follow-ups open, JavaScript on):
the full build is loaded beside the trimmed one, inert (media "not all"), and for each of its
rules, in every media query (a phone's and a desktop's alike), each selector that matches an
element of the page must be in the trimmed file with the same declarations. A selector "matches"
when it would in some state: hover, focus, checked, disabled, ::before and the like are set aside
(`.btn-check:checked + .btn` counts as soon as a `.btn-check` is followed by a `.btn`), so the
check also covers what only a tap, a key or a tick shows. Custom properties are left out: the
trim drops the ones nothing reads (tests/bench/test_bootstrap_trim.py checks the ones read).
"""

import pytest

from assets.bootstrap_usage import FULL_BOOTSTRAP
from screening.questionnaire import current
from tests.browser.helpers import browser_answers, sign_and_send, submit

pytestmark = pytest.mark.browser

FULL = FULL_BOOTSTRAP.read_text(encoding="utf-8")
FULL_URL = "**/vendor/bootstrap/*.css?full"

_MISSING_RULES = """async () => {
  const trimmedLink = document.querySelector('link[rel=stylesheet][href*="vendor/bootstrap/"]');
  const fullLink = document.createElement('link');
  fullLink.rel = 'stylesheet';
  fullLink.media = 'not all';  // read, never applied
  fullLink.href = trimmedLink.href + '?full';
  await new Promise((resolve, reject) => {
    fullLink.onload = resolve;
    fullLink.onerror = reject;
    document.head.append(fullLink);
  });

  // Selector lists split at top-level commas (not those inside :not(a, b)).
  const split = (list) => {
    const parts = [];
    let depth = 0, start = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i] === '(') depth++;
      else if (list[i] === ')') depth--;
      else if (list[i] === ',' && depth === 0) { parts.push(list.slice(start, i).trim()); start = i + 1; }
    }
    parts.push(list.slice(start).trim());
    return parts;
  };
  const declarations = (style) => Array.from(style).filter((name) => !name.startsWith('--'))
    .map((name) => name + ':' + style.getPropertyValue(name) + style.getPropertyPriority(name)).join(';');
  const rules = (list, context, out) => {
    for (const rule of list) {
      if (rule instanceof CSSStyleRule) {
        const style = declarations(rule.style);
        if (style) split(rule.selectorText).forEach((selector) => out.push([context, selector, style]));
      } else if (rule.cssRules) {
        rules(rule.cssRules, context + '@' + (rule.conditionText || rule.name || '') + ' ', out);
      }
    }
    return out;
  };
  // What a selector matches in some state: pseudo-elements dropped, state pseudo-classes (and
  // :not(...), which only narrows) widened to :is(*); structural ones (:first-child) kept.
  const STRUCTURAL = /^:(root|first-child|last-child|only-child|first-of-type|last-of-type|nth-|empty|is|where)/;
  const PSEUDO = /::?[-\\w]+(\\((?:[^()]|\\([^()]*\\))*\\))?/g;
  const inAnyState = (selector) => {
    const widened = selector.replace(PSEUDO, (pseudo) =>
      pseudo.startsWith('::') ? '' : STRUCTURAL.test(pseudo) ? pseudo : ':is(*)').trim();
    return widened === '' || /[>+~]$/.test(widened) ? widened + '*' : widened;
  };
  const applies = (selector) => {
    try { return document.querySelector(inAnyState(selector)) !== null; }
    catch (error) { return true; }  // unreadable once widened: assume it applies
  };

  const kept = new Set(rules(trimmedLink.sheet.cssRules, '', []).map((rule) => rule.join('|')));
  const applying = rules(fullLink.sheet.cssRules, '', []).filter(([, selector]) => applies(selector));
  const missing = applying
    .filter(([context, selector, style]) => !kept.has([context, selector, style].join('|')))
    .map(([context, selector, style]) => `${context}${selector} { ${style.slice(0, 120)} }`);
  fullLink.remove();
  return {applying: applying.length, missing};
}"""


def assert_trimmed_keeps_what_applies(page, where: str) -> None:
    page.route(FULL_URL, lambda route: route.fulfill(body=FULL, content_type="text/css"))
    found = page.evaluate(_MISSING_RULES)
    assert found["applying"] > 30, f"{where}: the full build was not read ({found['applying']})"
    missing = found["missing"]
    assert not missing, (
        f"{where}: {len(missing)} Bootstrap rules apply to the page but were trimmed away"
        " (run `make css`):\n" + "\n".join(missing[:10])
    )


def test_landing_and_privacy_pages(page):
    for path in ("/", "/privacy/"):
        page.goto(path)
        assert_trimmed_keeps_what_applies(page, path)


@pytest.mark.parametrize("slug", [section.slug for section in current().first_visit_sections])
def test_each_step_empty_with_errors_and_answered(page, fast_forward, slug):
    fast_forward(page, browser_answers(), before=slug)
    page.goto(f"/questions/{slug}/")
    assert_trimmed_keeps_what_applies(page, f"step {slug}, empty")
    submit(page)
    assert_trimmed_keeps_what_applies(page, f"step {slug}, errors")
    fast_forward(page, browser_answers())
    page.goto(f"/questions/{slug}/")
    assert_trimmed_keeps_what_applies(page, f"step {slug}, answered")


def test_review_with_errors_and_confirmation(page, fast_forward):
    fast_forward(page, browser_answers())
    page.goto("/review/")
    assert_trimmed_keeps_what_applies(page, "review")
    submit(page, "Send my answers")
    assert_trimmed_keeps_what_applies(page, "review with errors")
    sign_and_send(page)
    assert_trimmed_keeps_what_applies(page, "confirmation")
