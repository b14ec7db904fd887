"""The review's notes name no button it lacks; its Change links read "Change" and the short name
of the question; the confirmation says whether a receipt was emailed; the reference never breaks."""

import re
from pathlib import Path

import pytest

from screening.questionnaire import current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, put_draft, step_url

pytestmark = pytest.mark.django_db


def test_the_review_notes_name_no_continue_save_or_back_button(client):
    put_draft(client, full_answers())
    page = client.get("/review/").content.decode()
    note = page[page.index('id="saved-note"') : page.index('id="idle-warning"')]
    for button in ("Continue", "Back", "Save and continue later"):
        assert button not in note
    assert "this page closes after" in note


def test_an_invited_patients_review_note_points_to_the_invitations_link(client):
    client.get(invite())
    for section in current().first_visit_sections:
        client.post(step_url(section), {**post_data_for(section, full_answers()), "nav": "next"})
    note = client.get("/review/").content.decode()
    assert "with the link in your invitation" in note
    assert "select Continue" not in note


def test_change_links_read_change_and_the_short_label(client):
    put_draft(client, full_answers())
    page = client.get("/review/").content.decode()
    hidden = re.findall(r'Change<span class="visually-hidden"> ([^<]*)</span>', page)
    assert "Date of birth" in hidden
    assert max(len(text) for text in hidden) <= 61  # never the whole question
    assert "your answer to" not in page


def _send(client, **answers):
    put_draft(client, full_answers(**answers))
    client.post("/review/", SIGNED)
    return client.get("/thank-you/").content.decode()


def test_a_patient_contacted_by_phone_is_told_no_receipt_was_emailed(client):
    page = _send(client, preferred_contact_method="phone_call")
    assert "We haven't emailed you a receipt" in page
    assert "We've emailed you a receipt" not in page


def test_a_patient_who_agreed_to_email_is_told_a_receipt_was_emailed(client):
    page = _send(client, preferred_contact_method="email", unencrypted_contact_consent="yes")
    assert "We've emailed you a receipt with this reference." in page


def test_the_reference_never_breaks_across_lines():
    css = (Path(__file__).resolve().parents[2] / "static/screening/site.css").read_text()
    rule = re.search(r"\.reference-code \{([^}]*)\}", css)[1]
    assert "white-space: nowrap" in rule


def test_sections_answered_no_throughout_collapse_to_one_line_with_a_change_link(client):
    answers = full_answers()
    put_draft(client, answers)
    page = client.get("/review/").content.decode()
    medicines = page[
        page.index('id="review-medicines"') : page.index(
            "</section>", page.index('id="review-medicines"')
        )
    ]
    collapsed = re.findall(r'<section class="review-section[^>]*>.*?</section>', page, re.S)
    folded = [section for section in collapsed if "<details>" in section]
    assert folded, "no section collapsed"
    for section in folded:
        assert re.search(r"to all \d+ questions\.", section)
        assert 'class="review-change" href="/questions/' in section  # one Change for the section
        assert "Show the answers" in section
        assert '<dd class="answer-text">' in section  # the answers, expanded on demand
    assert len(folded) < len(collapsed)  # a section with a real answer stays open
    assert medicines  # the page still names every section


def test_a_section_with_one_yes_is_not_collapsed(client):
    answers = full_answers()
    put_draft(client, answers)
    page = client.get("/review/").content.decode()
    about = page[
        page.index('id="review-about-you"') - 200 : page.index(
            "</section>", page.index('id="review-about-you"')
        )
    ]
    assert "<details>" not in about
