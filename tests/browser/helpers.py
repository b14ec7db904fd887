"""What the browser tests do to a page: answer a step (mouse or keyboard), run axe, screenshot.

Steps are answered from an answers dict in the stored format (tests/factories.py), read through
the questionnaire, so a new question needs no change here.
"""

import calendar
import os
import re
from datetime import date
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from screening.questionnaire import UNKNOWN, Kind, Question, Section, current
from tests.factories import many_followups_answers
from tests.patient_steps import put_draft

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
# `make screenshots` sets this: the pages below are also written, viewport only, to docs/.
DOCS_SCREENSHOTS_ENV = "SCREENSHOTS_FOR_DOCS"
# Full-page screenshots of every page a walk sees are written when this is set (`make
# screenshots` sets it): they are for people to look at, assert nothing, and cost a browser
# test run about a fifth of its time.
SCREENSHOTS_ENV = "SCREENSHOTS"
DOCS_PAGES = {
    ("phone", "00-landing"): "landing-phone.png",
    ("phone", "01-about-you-error"): "step-error-phone.png",
    ("desktop", "08-review"): "review-desktop.png",
    ("spanish", "03-skin-and-sun"): "step-spanish.png",
    ("provider-1440", "my-day"): "provider-my-day.png",
    ("provider-1440", "queue"): "provider-queue.png",
    ("provider-1440", "review"): "provider-review.png",
    ("provider-1440", "decide"): "provider-decision.png",
    ("provider-1024", "review"): "provider-review-tablet.png",
    ("setup-1440", "enrol"): "staff-enrol.png",
    ("setup-1440", "links"): "front-desk-links.png",
    ("setup-1440", "day"): "front-desk-day.png",
    ("setup-1440", "trail"): "privacy-trail.png",
}

DESKTOP = {"width": 1280, "height": 800}  # as the `page` fixture's
MONTH_NAMES = dict(enumerate(calendar.month_name))
PHONE = {"width": 390, "height": 844}


def _month(months_from_now: int) -> str:
    today = date.today()
    index = today.year * 12 + today.month - 1 + months_from_now
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def browser_answers(**overrides) -> dict:
    """A patient who opens most follow-ups; dates are relative to the live server's today."""
    return many_followups_answers(
        upcoming_event_date=_month(7),
        isotretinoin_last_dose=_month(-3),
        **overrides,
    )


def section(slug: str) -> Section:
    return next(s for s in current().first_visit_sections if s.slug == slug)


def at(path: str) -> re.Pattern:
    """The URL of a page, for `expect(page).to_have_url(at("/review/"))`.

    A fragment may follow: after a click on an error summary's link (#id_email) the browser
    posts the form to that URL, and keeps the fragment through the redirect to the next page.
    """
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(#.*)?$")


def step_path(slug: str) -> re.Pattern:
    return at(f"/questions/{slug}/")


# --- Navigation --------------------------------------------------------------------------------


def submit(page: Page, name: str = "Continue") -> None:
    """Click a submit button and wait for the next page to load."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def fast_forward(page: Page, origin: str, answers: dict, *, before: str | None = None) -> None:
    """A draft with every step before the step `before` (all: None) finished, put in place by the
    drafts service (tests/patient.py), and its session handed to the page's browser context. For
    tests whose subject is a later page: a few milliseconds, where the browser takes seconds.
    """
    steps = (
        current().first_visit_sections[
            : [s.slug for s in current().first_visit_sections].index(before)
        ]
        if before
        else current().first_visit_sections
    )
    client = Client()
    put_draft(client, answers, steps=steps)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": origin}]
    )


# --- Without JavaScript, where axe can still run ----------------------------------------------


def without_followups_script(page: Page) -> None:
    """Before a page loads: its step script replaced by an empty one. Call
    `show_as_without_javascript` once it has loaded."""
    page.route(
        "**/static/screening/followups.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )


def show_as_without_javascript(page: Page) -> None:
    """The page as a browser without JavaScript shows it: the stylesheet the page links inside
    <noscript> (which a browser with JavaScript ignores) applied. axe is JavaScript, so it
    cannot run where JavaScript is off; this leaves the DOM and styles such a browser shows."""
    href = page.evaluate(
        """() => new DOMParser()
            .parseFromString(document.querySelector("head noscript").textContent, "text/html")
            .querySelector("link[rel=stylesheet]").href"""
    )
    page.add_style_tag(url=href)


# --- Answering with the mouse ------------------------------------------------------------------


def answer(page: Page, question: Question, value) -> None:
    """Answer one question as a person with a mouse would: fill, click, tick.

    Radios and tick boxes are clicked with `force=True`, which skips Playwright's wait for the
    control to be stable (two animation frames, a third of a step's time) but still clicks the
    middle of the control and fails if the click did not change its state; a hidden control,
    such as a follow-up that did not appear, has no middle and fails too.
    """
    name = question.id
    if question.kind is Kind.MONTH_YEAR:
        if value == UNKNOWN:
            page.locator(f'[name="{name}_unknown"]').check(force=True)
        else:
            year, month = value.split("-")
            page.locator(f'select[name="{name}_month"]').select_option(str(int(month)))
            page.locator(f'[name="{name}_year"]').fill(year)
    elif question.kind is Kind.DATE:
        year, month, day = value.split("-")
        page.locator(f'[name="{name}_day"]').fill(day)
        page.locator(f'select[name="{name}_month"]').select_option(str(int(month)))
        page.locator(f'[name="{name}_year"]').fill(year)
    elif question.checkbox:
        page.locator(f'[name="{name}"]').set_checked(value == "yes", force=True)
    elif question.kind is Kind.MULTI:
        ticked = page.locator(f'[name="{name}"]:checked').evaluate_all(
            "boxes => boxes.map(box => box.value)"
        )
        for key in question.choice_keys:
            if (key in value) != (key in ticked):
                page.locator(f'[name="{name}"][value="{key}"]').set_checked(
                    key in value, force=True
                )
    elif question.choices:
        page.locator(f'[name="{name}"][value="{value}"]').check(force=True)
    else:
        page.locator(f'[name="{name}"]').fill(value)


def answer_step(page: Page, step: Section, answers: dict) -> None:
    """Answer every question of `step` that `answers` has and the page shows, in the page's
    order. A follow-up shows once its parent is answered (with JavaScript); without JavaScript
    it is asked on a next page of the step (`answer_next_pages`), and skipped here."""
    for question in step.step_questions:
        if question.id not in answers:
            continue
        may_be_elsewhere = question.show_if or question.among or page.url.endswith("?more=1")
        if may_be_elsewhere and not page.locator(f"#div_id_{question.id}").is_visible():
            continue
        answer(page, question, answers[question.id])


def answer_next_pages(page: Page, step: Section, answers: dict, name: str = "Continue") -> None:
    """After Continue without JavaScript: the step's next pages of follow-ups, answered."""
    while page.url.endswith("?more=1"):
        answer_step(page, step, answers)
        submit(page, name)


# --- The review page's declaration and signature -------------------------------------------------

SIGNATURE_LABEL = "Your full name, as your signature"


def sign(page: Page, name: str = "Ana Ruiz") -> None:
    """Tick the declaration and the privacy acknowledgement and type the name, by mouse."""
    page.locator('[name="attest_accurate"]').check(force=True)
    page.locator('[name="privacy_notice_ack"]').check(force=True)
    page.get_by_label(SIGNATURE_LABEL).fill(name)


def sign_and_send(page: Page, name: str = "Ana Ruiz") -> None:
    sign(page, name)
    submit(page, "Send my answers")


def key_sign(page: Page, name: str = "Ana Ruiz") -> None:
    """The same with the keyboard alone."""
    for box in ("attest_accurate", "privacy_notice_ack"):
        tab_to(page, f'[name="{box}"]', limit=200)  # past a Change link per answer
        page.keyboard.press("Space")
        expect(page.locator(f'[name="{box}"]')).to_be_checked()
    tab_to(page, '[name="signature_name"]')
    page.keyboard.type(name)


# --- Answering with the keyboard alone ---------------------------------------------------------

_FOCUSED_MATCHES = "selector => !!document.activeElement?.matches(selector)"
_FOCUSED_CHECKED = "() => document.activeElement.checked"


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (none if it already does): it is
    reachable by keyboard, after what had the focus."""
    if page.evaluate(_FOCUSED_MATCHES, selector):
        return
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(_FOCUSED_MATCHES, selector):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(
        f"{selector} not reached with {limit} presses of Tab; focus is on {focused[:300]}"
    )


def key_answer(page: Page, question: Question, value) -> None:
    """Answer one question with the keyboard alone: Tab, Space, arrow keys and typing."""
    keyboard = page.keyboard
    name = question.id
    if question.kind is Kind.MONTH_YEAR:
        if value == UNKNOWN:
            tab_to(page, f'[name="{name}_unknown"]')
            keyboard.press("Space")
        else:
            tab_to(page, f'select[name="{name}_month"]')
            year, month = value.split("-")
            keyboard.type(MONTH_NAMES[int(month)])  # a focused list picks the option typed
            keyboard.press("Tab")
            keyboard.type(year)
    elif question.kind is Kind.DATE:
        # The parts in the page's order (the language's: month first in US English).
        order = page.locator(f'[name^="{name}_"]').evaluate_all(
            "parts => parts.map(part => part.name.split('_').pop())"
        )
        tab_to(page, f'[name="{name}_{order[0]}"]')
        year, month, day = value.split("-")
        typed = {"day": day, "month": MONTH_NAMES[int(month)], "year": year}
        for index, part in enumerate(order):
            keyboard.type(typed[part])  # a focused month list picks the month typed
            if index < len(order) - 1:
                keyboard.press("Tab")
    elif question.checkbox:
        tab_to(page, f'[name="{name}"]')
        if (value == "yes") != page.evaluate(_FOCUSED_CHECKED):
            keyboard.press("Space")
    elif question.kind is Kind.MULTI:
        for key in value:
            tab_to(page, f'[name="{name}"][value="{key}"]')
            if not page.evaluate(_FOCUSED_CHECKED):
                keyboard.press("Space")
    elif question.choices:
        # Tab enters a radio group once (on its checked radio, else its first); arrows choose.
        tab_to(page, f'[name="{name}"]')
        keys = list(question.choice_keys)
        current = keys.index(page.evaluate("document.activeElement.value"))
        target = keys.index(value)
        if target == current:
            keyboard.press("Space")
        for _ in range(abs(target - current)):
            keyboard.press("ArrowDown" if target > current else "ArrowUp")
    else:
        tab_to(page, f'[name="{name}"]')
        keyboard.press("Control+A")
        keyboard.type(value)  # a newline in a textarea is a new line, as typed
    locator = page.locator(f'[name="{name}"]')
    if question.choices and not question.checkbox:
        for key in [value] if isinstance(value, str) else value:
            expect(page.locator(f'[name="{name}"][value="{key}"]')).to_be_checked()
    elif question.kind is Kind.MONTH_YEAR and value == UNKNOWN:
        expect(page.locator(f'[name="{name}_unknown"]')).to_be_checked()
    elif question.kind is Kind.MONTH_YEAR:
        year, month = value.split("-")
        expect(page.locator(f'[name="{name}_month"]')).to_have_value(str(int(month)))
        expect(page.locator(f'[name="{name}_year"]')).to_have_value(year)
    elif question.kind is Kind.DATE:
        year, month, day = value.split("-")
        expect(page.locator(f'[name="{name}_year"]')).to_have_value(year)
        expect(page.locator(f'[name="{name}_day"]')).to_have_value(day)
    elif question.checkbox:
        expect(locator).to_be_checked(checked=value == "yes")
    else:
        expect(locator).to_have_value(value)


def key_answer_step(page: Page, step: Section, answers: dict) -> None:
    for question in step.step_questions:
        if question.id in answers:
            key_answer(page, question, answers[question.id])


def key_submit(page: Page, selector: str = 'button[name="nav"][value="next"]') -> None:
    """Tab to a submit button and press Enter; wait for the next page."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


# --- Accessibility -----------------------------------------------------------------------------

_AXE_SCRIPT = Axe().axe_script  # axe-core, as shipped in the axe-playwright-python wheel
# axe's defaults: every rule not marked experimental, every impact. Only violations come back.
_AXE_RUN = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, where: str) -> None:
    """axe-core's default rules (WCAG 2.x A/AA and best practices), every impact level.

    Needs JavaScript in the page's context: with it off, Playwright's evaluate waits forever.
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(_AXE_SCRIPT)  # evaluate is not subject to the page's CSP
    violations = page.evaluate(_AXE_RUN)
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {where} "
        f"({page.url}):\n{axe_report(violations)}"
    )


# --- Screenshots -------------------------------------------------------------------------------


def screenshots_wanted() -> bool:
    return bool(os.environ.get(SCREENSHOTS_ENV) or os.environ.get(DOCS_SCREENSHOTS_ENV))


def snap(page: Page, name: str, kind: str) -> None:
    """Full-page screenshot to test-results/screenshots/<kind>/<name>.png, when SCREENSHOTS=1
    (or `make screenshots`)."""
    if not screenshots_wanted():
        return
    page.screenshot(path=SCREENSHOTS / kind / f"{name}.png", full_page=True)
    doc_name = DOCS_PAGES.get((kind, name))
    if doc_name and os.environ.get(DOCS_SCREENSHOTS_ENV):
        page.screenshot(path=DOCS_SCREENSHOTS / doc_name, caret="hide")


def assert_fits_width(page: Page, width: int) -> None:
    """Nothing makes the page scroll sideways (a phone's classic failure)."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"
