"""Errors written for the question: "Enter your first name", a short name in the error summary,
one message per problem, and "None" offered only where the question has it."""

import html as html_text
import re

import pytest

from screening.patient.forms import SUMMARY_LABEL_MAX, summary_label
from screening.questionnaire import (
    EXCLUSIVE_KEYS,
    Kind,
    PickedMoreThanOne,
    Timing,
    current,
    definition_for,
)
from screening.questionnaire.answer_types import MESSAGES, text_limit
from screening.questionnaire.validation import validate_answers
from tests.conftest import TODAY
from tests.factories import many_followups_answers, many_followups_answers_v2
from tests.patient_steps import post_data_for, put_draft, start, step_url

pytestmark = pytest.mark.django_db

ABOUT_YOU = current().first_visit_sections[0]


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
    put_draft(client, many_followups_answers(), steps=current().first_visit_sections[:3])
    section = current().sections_by_key["past_treatments"]
    response = client.post(step_url(section), {"nav": "next"})
    items = summary_items(response.content.decode())
    assert items
    for item in items:
        label = item.split(" Choose")[0].split(" Please")[0]
        assert len(label) <= SUMMARY_LABEL_MAX + 1, item


def test_a_generated_date_follow_up_is_named_by_its_procedure(client):
    put_draft(client, many_followups_answers(), steps=current().first_visit_sections[:3])
    section = current().sections_by_key["past_treatments"]
    data = post_data_for(section, many_followups_answers())
    data.pop("prior_chemical_peel_medium_deep_last", None)
    data["prior_procedures"] = ["chemical_peel_medium_deep"]
    response = client.post(step_url(section), {**data, "nav": "next", "js": "1"})  # opened in place
    items = summary_items(response.content.decode())
    assert (
        "Last medium or deep peel Choose the month and enter the year of your last medium or "
        "deep chemical peel, or tick “I don't remember”." in items
    )


def test_a_main_concern_not_picked_gets_one_message_that_names_it(client):
    put_draft(client, many_followups_answers(), steps=current().first_visit_sections[:1])
    section = current().sections_by_key["concerns"]
    data = post_data_for(section, many_followups_answers())
    data["skin_concerns"] = ["wrinkles", "acne_scars"]
    data["main_concern"] = "texture"
    response = client.post(step_url(section), {**data, "nav": "next"})
    (message,) = response.context["form"].errors["main_concern"]
    assert (
        message
        == "“Rough texture” is not one of the answers you picked above. Choose one of those."
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
    assert summary_label(definition_for("2026.12").questions["bleeding_disorder"]) == (
        "Bleeding or clotting"
    )
    assert summary_label(questions["skin_history_unsure"]) == "Not sure about: skin and healing"
    # A question without a written short label (v1's) is named by its first sentence, cut short.
    v1 = definition_for("2026.11.1").questions
    assert summary_label(v1["photosensitising_meds"]) == (
        "Are you taking any medicine that can make skin more…"
    )
    long = summary_label(v1["bleeding_disorder"])
    assert long.endswith("…") and len(long) <= SUMMARY_LABEL_MAX + 1


V2_QUESTIONS = list(definition_for("2026.12").questions.values())
V3_QUESTIONS = list(definition_for("2027.01").questions.values())


@pytest.mark.parametrize(
    "question",
    [*V2_QUESTIONS, *V3_QUESTIONS],
    ids=lambda question: f"{question.version}-{question.id}",
)
def test_every_v2_question_has_its_written_short_label_and_required_message(question):
    """Every question of v2 is named in the summary by a short label written for it, and one
    that must be answered (a follow-up too, when it applies) says what to do in its own words."""
    label = str(question.short_label)
    assert label, f"{question.id} has no short_label"
    assert len(label) <= SUMMARY_LABEL_MAX and label[0].isupper(), label
    if question.required:
        assert str(question.required_message), f"{question.id} has no required_message"
    else:
        assert not question.required_message, f"{question.id} is optional: never required"


def test_v2_short_labels_and_required_messages_are_each_written_once():
    labels = [str(question.short_label) for question in V2_QUESTIONS]
    assert len(set(labels)) == len(labels), [x for x in labels if labels.count(x) > 1]
    messages = [str(q.required_message) for q in V2_QUESTIONS if q.required]
    assert len(set(messages)) == len(messages), [x for x in messages if messages.count(x) > 1]


# Written once each in 2027.01 too, but for the follow-ups that share a plain instruction: the
# five "Which ones are you not sure about?" lists, and the two Yes / No / Not sure follow-ups.
V3_SHARED_MESSAGES = {"Choose the ones you're not sure about.", "Choose Yes, No or Not sure."}


def test_v3_short_labels_are_each_written_once_and_messages_but_the_shared_instructions():
    labels = [str(question.short_label) for question in V3_QUESTIONS]
    assert len(set(labels)) == len(labels), [x for x in labels if labels.count(x) > 1]
    messages = [
        str(q.required_message)
        for q in V3_QUESTIONS
        if q.required and str(q.required_message) not in V3_SHARED_MESSAGES
    ]
    assert len(set(messages)) == len(messages), [x for x in messages if messages.count(x) > 1]


def _error_cases(question):
    """An invalid answer of each kind the question can be given (in the stored shape or as the
    browser posts it), with the error code it must raise."""
    if question.kind in (Kind.TEXT, Kind.EMAIL, Kind.PHONE):
        yield "x" * (text_limit(question) + 1)
        yield "Ma\u200bria"
    elif question.kind is Kind.DATE:
        yield {"day": "", "month": "3", "year": "1984"}
        yield {"day": "1", "month": "1", "year": "2999"}
    elif question.kind is Kind.MONTH_YEAR:
        yield {"month": "", "year": "2024"}
        yield {"month": "3", "year": "24"}
        yield "2024-13"
        yield "2024-03" if question.timing is Timing.FUTURE else "2099-03"
    elif question.kind is Kind.MULTI:
        yield ["not-a-key"]
        if any(key in EXCLUSIVE_KEYS for key in question.choice_keys):
            yield [
                question.choice_keys[0],
                next(k for k in question.choice_keys if k in EXCLUSIVE_KEYS),
            ]
    else:
        yield "not-a-key"


GENERAL_MESSAGES = {str(general) for _written, general in MESSAGES.values()}


@pytest.mark.parametrize(
    "question",
    [*V2_QUESTIONS, *V3_QUESTIONS],
    ids=lambda question: f"{question.version}-{question.id}",
)
def test_every_v2_error_is_written_for_its_question_and_offers_none_only_where_it_exists(question):
    """Required, not offered, too long, bad date, bad month, follow-up required: every message
    of a v2 question is its own (written, or built on its short label), never the general
    wording v1 keeps, and it points to "None" only when the question offers a None."""
    answers = _answers_showing(question)
    answers.pop(question.id, None)
    messages = []
    if question.required:
        errors = validate_answers(answers, today=TODAY, version=question.version).errors
        assert errors[question.id] == question.required_message
        messages.append(errors[question.id])
    for raw in _error_cases(question):
        result = validate_answers(
            {**answers, question.id: raw}, today=TODAY, version=question.version
        )
        if question.id in result.errors:
            messages.append(result.errors[question.id])
    assert messages or not question.required
    none_label = str(question.choice_label("none")) if "none" in question.choice_keys else None
    for message in map(str, messages):
        assert message not in GENERAL_MESSAGES, (question.id, message)
        quoted_none = re.findall(r"“((?:No, )?[Nn]one[^”]*)”", message)
        if quoted_none and question.choices:
            assert quoted_none == [none_label], (question.id, message)


def _answers_showing(question):
    """Answers under which `question` is asked (its follow-up condition holds)."""
    v2 = question.version == "2026.12"
    answers = many_followups_answers_v2() if v2 else many_followups_answers()
    questions = definition_for(question.version).questions
    condition = question.show_if
    while condition is not None:
        parent = questions[condition.question_id]
        if isinstance(condition, PickedMoreThanOne):
            answers[parent.id] = list(parent.choice_keys[:2])
        elif parent.kind is Kind.MULTI:
            answers[parent.id] = [condition.values[0]]
        else:
            answers[parent.id] = condition.values[0]
        condition = parent.show_if
    if question.among:
        answers[question.id] = answers[question.among][0]
    return answers


def test_a_v1_question_keeps_the_general_wording():
    v1 = definition_for("2026.11.1")
    errors = validate_answers({}, today=TODAY, version=v1.version).errors
    assert str(errors["treatment_areas"]) == "Please choose at least one answer."
    assert (
        str(errors["prior_procedures"]) == "Please choose at least one answer, or “None of these”."
    )


def test_every_v2_follow_up_comes_right_after_its_question_or_its_sibling_follow_ups():
    """Between a question and a follow-up it opens there are only other follow-ups."""
    for section in current().first_visit_sections:
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
