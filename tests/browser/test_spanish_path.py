"""The patient's whole path in Spanish, chosen with the language switch, with and without
JavaScript: every page in Spanish (`<html lang="es">`), axe clean, and the answers stored are the
very answers of the same patient walking the path in English.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from screening.models import Submission
from screening.questionnaire import current
from tests.browser.helpers import (
    answer_next_pages,
    answer_step,
    assert_no_axe_violations,
    at,
    browser_answers,
    snap,
    step_path,
)

pytestmark = pytest.mark.browser

# What a patient reads and clicks, in each language.
WORDS = {
    "en": {
        "switch": "English",
        "heading": "Before your laser resurfacing consultation",
        "start": "Start",
        "step": "Step {number} of {count}",
        "continue": "Continue",
        "send": "Send my answers",
        "thanks": "Thank you. We've received your answers.",
    },
    "es": {
        "switch": "Español",
        "heading": "Antes de su consulta de rejuvenecimiento de la piel con láser",
        "start": "Empezar",
        "step": "Paso {number} de {count}",
        "continue": "Continuar",
        "send": "Enviar mis respuestas",
        "thanks": "Gracias. Recibimos sus respuestas.",
    },
}


def _click(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def walk_in(page: Page, language: str, *, javascript: bool, screenshots: str | None = None):
    """Landing, the switch to `language` (if not English), every step, review, send. Returns the
    saved submission. With JavaScript, axe checks every page."""
    words = WORDS[language]
    answers = browser_answers()
    sections = current().first_visit_sections

    def checked(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        if javascript:
            assert_no_axe_violations(page, f"{name} ({language})")
        if screenshots:
            page.evaluate("window.scrollTo(0, 0)")  # the README's copy shows the page's top
            snap(page, name, screenshots)

    page.goto("/")
    if language != "en":
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _click(page, words["switch"])
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    checked("00-landing")
    _click(page, words["start"])

    for number, section in enumerate(sections, start=1):
        expect(page).to_have_url(step_path(section.slug))
        step = words["step"].format(number=number, count=len(sections))
        expect(page.get_by_text(step)).to_be_visible()
        answer_step(page, section, answers)
        checked(f"{number:02d}-{section.slug}")
        _click(page, words["continue"])
        answer_next_pages(page, section, answers, words["continue"])

    expect(page).to_have_url(at("/review/"))
    page.locator('[name="attest_accurate"]').check(force=True)
    page.locator('[name="privacy_notice_ack"]').check(force=True)
    page.locator('[name="signature_name"]').fill("Ana Ruiz")
    checked(f"{len(sections) + 1:02d}-review")
    _click(page, words["send"])

    expect(page).to_have_url(at("/thank-you/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["thanks"])
    checked(f"{len(sections) + 2:02d}-thank-you")
    reference = page.locator(".reference-code").inner_text()
    assert re.fullmatch(r"\w{3}-\w{3}-\w{3}", reference)
    return Submission.objects.get(reference=reference)


@pytest.mark.parametrize("javascript", [True, False], ids=["with_javascript", "without_javascript"])
def test_the_whole_path_in_spanish_stores_the_answers_of_the_english_path(open_page, javascript):
    spanish = walk_in(
        open_page(java_script_enabled=javascript),
        "es",
        javascript=javascript,
        screenshots="spanish" if javascript else None,
    )
    english = walk_in(open_page(java_script_enabled=javascript), "en", javascript=javascript)

    assert (spanish.language, english.language) == ("es", "en")
    assert spanish.answers == english.answers
    assert spanish.declaration_sha256 == english.declaration_sha256
    assert spanish.declaration_text_sha256 != english.declaration_text_sha256
