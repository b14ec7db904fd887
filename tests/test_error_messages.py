"""Errors written for the question: "Enter your first name", a short name in the error summary,
one message per problem, and "None" offered only where the question has it."""

import html as html_text
import re

import pytest

from screening.forms import SUMMARY_LABEL_MAX, summary_label
from screening.questionnaire import current
from tests.factories import many_followups_answers
from tests.patient import post_data_for, put_draft, start, step_url

pytestmark = pytest.mark.django_db

ABOUT_YOU = current().sections[0]


def summary_items(html: str) -> list[str]:
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))
    ]
    return [
        html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip())
        for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]


def test_an_empty_first_step_says_what_to_enter_for_each_question(client):
    start(client)
    response = client.post(step_url(ABOUT_YOU), {"nav": "next"})
    errors = {name: list(messages) for name, messages in response.context["form"].errors.items()}
    assert errors == {
        "first_name": ["Enter your first name."],
        "last_name": ["Enter your last name."],
        "date_of_birth": ["Enter your date of birth, for example 27 3 1984."],
        "email": ["Enter your email address, like name@example.com."],
        "phone": ["Enter your phone number, with the area code."],
        "preferred_contact_method": ["Choose how you'd like us to contact you."],
        "ok_voicemail": ["Choose Yes or No for a voicemail."],
        "best_contact_time": ["Choose the best time to reach you."],
    }
    items = summary_items(response.content.decode())
    assert "First name Enter your first name." in items
    assert "How to contact you Choose how you'd like us to contact you." in items
    assert "Voicemail Choose Yes or No for a voicemail." in items
    assert len(items) == len(errors)  # one line per question


def test_the_summary_never_repeats_a_long_question_in_full(client):
    put_draft(client, many_followups_answers(), steps=current().sections[:3])
    section = current().sections_by_key["past_treatments"]
    response = client.post(step_url(section), {"nav": "next"})
    items = summary_items(response.content.decode())
    assert items
    for item in items:
        label = item.split(" Choose")[0].split(" Please")[0]
        assert len(label) <= SUMMARY_LABEL_MAX + 1, item


def test_a_generated_date_follow_up_is_named_by_its_procedure(client):
    put_draft(client, many_followups_answers(), steps=current().sections[:3])
    section = current().sections_by_key["past_treatments"]
    data = post_data_for(section, many_followups_answers())
    data.pop("prior_chemical_peel_medium_deep_last", None)
    data["prior_procedures"] = ["chemical_peel_medium_deep"]
    response = client.post(step_url(section), {**data, "nav": "next"})
    items = summary_items(response.content.decode())
    assert (
        "Medium or deep chemical peel Choose the month and enter the year, or tick "
        "“I don't remember”." in items
    )


def test_a_main_concern_not_picked_gets_one_message_that_names_it(client):
    put_draft(client, many_followups_answers(), steps=current().sections[:1])
    section = current().sections_by_key["concerns"]
    data = post_data_for(section, many_followups_answers())
    data["skin_concerns"] = ["wrinkles", "acne_scars"]
    data["main_concern"] = "texture"
    response = client.post(step_url(section), {**data, "nav": "next"})
    (message,) = response.context["form"].errors["main_concern"]
    assert (
        message
        == "“Rough or uneven texture” is not one of the answers you picked above. Choose one of those."
    )
    page = response.content.decode()
    block = page[page.index('id="div_id_main_concern"') :]
    block = block[: block.index('id="div_id_treatment_areas"')]
    assert block.count("is not one of the answers you picked") == 1
    assert "Choose one of the answers you picked above" not in page


def test_summary_labels():
    questions = current().questions
    assert summary_label(questions["first_name"]) == "First name"
    assert summary_label(questions["skin_concerns"]) == "What you'd like to improve"
    assert summary_label(questions["photosensitivity_dx"]) == (
        "Has a doctor ever told you that you have any of these?"
    )
    long = summary_label(questions["bleeding_disorder"])
    assert long.endswith("…") and len(long) <= SUMMARY_LABEL_MAX + 1


def test_every_v2_follow_up_comes_right_after_its_question_or_its_sibling_follow_ups():
    """Between a question and a follow-up it opens there are only other follow-ups."""
    for section in current().sections:
        ids = [question.id for question in section.questions]
        for index, question in enumerate(section.questions):
            if question.show_if is None or question.show_if.question_id not in ids:
                continue
            parent = ids.index(question.show_if.question_id)
            between = section.questions[parent + 1 : index]
            assert parent < index, question.id
            assert all(other.show_if for other in between), (question.id, [q.id for q in between])


def test_without_javascript_a_follow_up_says_briefly_when_it_applies():
    questions = current().questions
    assert str(questions["unencrypted_contact_consent"].condition_text) == (
        "Answer only if you chose Email or Text message above."
    )
    assert str(questions["main_concern"].condition_text) == (
        "Answer only if you chose more than one answer above."
    )
