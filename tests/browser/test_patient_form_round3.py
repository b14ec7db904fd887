"""The patient's form in a browser: a US date of birth typed month first, a Spanish draft resumed
on an English browser, a link opened after sending, an error-summary link on a phone, and
"Start again" asking before it erases."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from screening.models import Submission
from screening.questionnaire import current
from tests.browser.helpers import (
    PHONE,
    answer,
    answer_step,
    at,
    browser_answers,
    sign_and_send,
    step_path,
    submit,
)
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.browser

ABOUT_YOU = current().first_visit_sections[0]


def _start(page):
    page.goto("/")
    submit(page, "Start")
    expect(page).to_have_url(step_path(ABOUT_YOU.slug))


def test_a_us_date_typed_month_first_is_stored_right_and_shown_in_words(page):
    _start(page)
    boxes = page.locator(".date-parts input, .date-parts select")
    expect(boxes.nth(0)).to_have_attribute("name", "date_of_birth_month")
    expect(boxes.nth(1)).to_have_attribute("name", "date_of_birth_day")
    expect(boxes.nth(2)).to_have_attribute("name", "date_of_birth_year")
    # Typed as a US patient types April 12, 1991: the month, the day, the year.
    page.get_by_label("Month", exact=True).focus()
    page.keyboard.type("April")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("1991")
    expect(page.locator(".date-in-words")).to_have_text("April 12, 1991")  # live, before moving on
    answers = browser_answers()
    for question in ABOUT_YOU.step_questions:
        if question.id in answers and question.id != "date_of_birth":
            answer(page, question, answers[question.id])
    submit(page)
    expect(page).to_have_url(step_path(current().first_visit_sections[1].slug))
    page.go_back()
    expect(page.locator(".date-in-words")).to_have_text("April 12, 1991")  # from the server
    answer_step(page, ABOUT_YOU, {})
    for step in current().first_visit_sections[1:]:
        page.goto(f"/questions/{step.slug}/")
        answer_step(page, step, answers)
        submit(page)
    sign_and_send(page)
    assert Submission.objects.get().answers["date_of_birth"] == "1991-04-12"


def _saved_in_spanish(open_page) -> str:
    spanish = open_page()
    spanish.goto("/")
    submit(spanish, "Español")  # the language switch
    submit(spanish, "Empezar")
    answers = browser_answers(date_of_birth="1991-04-12", email="ana@example.org")
    for step in current().first_visit_sections[:2]:
        answer_step(spanish, step, answers)
        submit(spanish, "Continuar")
    submit(spanish, "Guardar y continuar después")
    spanish.get_by_label("Correo electrónico").fill("ana@example.org")
    submit(spanish, "Enviarme el enlace por correo electrónico")
    run_queued_tasks()
    spanish.context.close()
    body = mail.outbox[-1].body
    return body[body.index("/r/") :].split()[0]


def test_a_spanish_draft_resumed_on_an_english_browser_stays_spanish(open_page):
    link = _saved_in_spanish(open_page)
    english = open_page()  # a browser in US English (conftest: locale en-US)
    english.goto(link)
    expect(english).to_have_url(at("/continue/"))
    expect(english.locator("html")).to_have_attribute("lang", "es")
    expect(english.get_by_role("heading", level=1)).to_have_text("Confirme que es usted")
    answer(english, current().questions["date_of_birth"], "1991-04-12")
    submit(english, "Continuar")
    expect(english).to_have_url(step_path(current().first_visit_sections[2].slug))
    answers = browser_answers(date_of_birth="1991-04-12", email="ana@example.org")
    for step in current().first_visit_sections[2:]:
        expect(english.locator("html")).to_have_attribute("lang", "es")
        answer_step(english, step, answers)
        submit(english, "Continuar")
    expect(english).to_have_url(at("/review/"))
    expect(english.locator("html")).to_have_attribute("lang", "es")
    english.locator('[name="attest_accurate"]').check(force=True)
    english.locator('[name="privacy_notice_ack"]').check(force=True)
    english.locator('[name="signature_name"]').fill("Ana Ruiz")
    submit(english, "Enviar mis respuestas")
    expect(english).to_have_url(at("/thank-you/"))
    expect(english.locator("html")).to_have_attribute("lang", "es")
    assert Submission.objects.get().language == "es"


def test_the_emailed_link_after_sending_says_already_sent(open_page):
    link = _saved_in_spanish(open_page)
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(link)
    answer(phone, current().questions["date_of_birth"], "1991-04-12")
    submit(phone, "Continuar")
    answers = browser_answers(date_of_birth="1991-04-12")
    for step in current().first_visit_sections[2:]:
        answer_step(phone, step, answers)
        submit(phone, "Continuar")
    phone.locator('[name="attest_accurate"]').check(force=True)
    phone.locator('[name="privacy_notice_ack"]').check(force=True)
    phone.locator('[name="signature_name"]').fill("Ana Ruiz")
    submit(phone, "Enviar mis respuestas")
    reference = Submission.objects.get().reference
    for device in (phone, open_page()):
        device.goto(link)
        expect(device.get_by_role("heading", level=1)).to_contain_text(reference)
        expect(device.get_by_text("Answer without a link")).to_have_count(0)
        expect(device.get_by_text("Responder sin enlace")).to_have_count(0)


def test_an_error_summary_link_leaves_the_question_visible_on_a_phone(open_page, fast_forward):
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    answers = browser_answers()
    fast_forward(phone, answers, before="medicines")
    phone.goto("/questions/medicines/")
    submit(phone)  # nothing answered: every required question is named
    summary_links = phone.locator(".error-summary a")
    expect(summary_links.first).to_be_visible()
    for index in range(min(summary_links.count(), 4)):
        link = summary_links.nth(index)
        target = link.get_attribute("href")[1:]
        link.click()
        field = phone.locator(f"#{target}")
        expect(field).to_be_focused()
        question = field.locator("xpath=ancestor::div[contains(@class, 'question')][1]")
        heading = question.locator("legend, label.form-label").first
        box = heading.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        assert field.bounding_box()["y"] + 10 <= PHONE["height"]
        phone.evaluate("window.scrollTo(0, 0)")


def test_an_error_summary_link_leaves_the_question_visible_without_javascript(
    open_page, fast_forward
):
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    fast_forward(phone, browser_answers(), before="medicines")
    phone.goto("/questions/medicines/")
    submit(phone)
    links = phone.locator(".error-summary a")
    for index in range(min(links.count(), 4)):
        target = links.nth(index).get_attribute("href")[1:]
        links.nth(index).click()
        question = phone.locator(f"#{target}").locator(
            "xpath=ancestor::div[contains(@class, 'question')][1]"
        )
        box = question.locator("legend, label.form-label").first.bounding_box()
        assert box is not None and box["y"] >= 0, target
        phone.evaluate("window.scrollTo(0, 0)")


def test_start_again_asks_before_erasing(page, fast_forward):
    fast_forward(page, browser_answers(), before="medicines")
    page.goto("/")
    continue_box = page.get_by_role("link", name="Continue where you left off").bounding_box()
    again_box = page.get_by_role("button", name="Start again").bounding_box()
    assert again_box["y"] - (continue_box["y"] + continue_box["height"]) >= 40  # well apart
    submit(page, "Start again")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase your answers and start again?")
    page.get_by_role("link", name="No, continue where I left off").click()
    expect(page).to_have_url(step_path("medicines"))  # nothing erased
    page.goto("/")
    submit(page, "Start again")
    submit(page, "Yes, erase my answers")
    expect(page).to_have_url(step_path(ABOUT_YOU.slug))
    expect(page.locator('[name="first_name"]')).to_have_value("")


def test_options_are_24_px_targets_and_the_whole_row_is_clickable(open_page, fast_forward):
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    fast_forward(phone, browser_answers(), before="skin-and-sun")
    phone.goto("/questions/skin-and-sun/")
    boxes = phone.locator(".form-check-input:visible")
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, boxes.nth(index).get_attribute("id")
    option = phone.locator(".form-check:visible").first
    row, label = option.bounding_box(), option.locator("label").bounding_box()
    assert label["x"] + label["width"] >= row["x"] + row["width"] - 1  # the label fills the row
    phone.mouse.click(row["x"] + row["width"] - 5, label["y"] + label["height"] / 2)
    expect(option.locator("input")).to_be_checked()  # a tap at the row's far end picks it
