"""Short text (names, email, phone) is stored in NFC and refuses invisible characters.

A name with a zero-width space looks the same on screen and in the queue, yet a search for the
name finds nothing: the patient is told, and everything they typed stays in the field.
"""

import unicodedata

import pytest

from screening.models import Submission
from screening.questionnaire import CURRENT_VERSION, current
from screening.questionnaire.validation import validate_answers
from tests.conftest import TODAY
from tests.factories import full_answers
from tests.patient_steps import post_data_for, start, step_url

INVISIBLE_MESSAGE = "must not contain special or invisible characters. Please remove them."


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200d", "\ufeff", "\u2028", "\u2029", "\u200e", "\u2060", "\u00ad"],
    ids=["ZWSP", "ZWJ", "BOM", "LSEP", "PSEP", "LRM", "WJ", "SHY"],
)
@pytest.mark.parametrize("question_id", ["first_name", "last_name", "preferred_name", "email"])
def test_format_and_separator_characters_are_refused_in_short_text(invisible, question_id):
    value = f"Ma{invisible}ria" if question_id != "email" else f"ma{invisible}ria@example.com"
    result = validate_answers(
        full_answers(**{question_id: value}), today=TODAY, version=CURRENT_VERSION
    )
    assert result.errors.get(question_id).endswith(INVISIBLE_MESSAGE)


def test_names_are_stored_in_nfc():
    decomposed = unicodedata.normalize("NFD", "José Ñúñez")
    assert decomposed != "José Ñúñez"
    result = validate_answers(
        full_answers(last_name=decomposed), today=TODAY, version=CURRENT_VERSION
    )
    assert result.answers["last_name"] == "José Ñúñez"


@pytest.mark.parametrize(
    "name",
    ["क्‍ष", "ന്‍", "क्‌ष"],  # Devanagari and Malayalam: a joiner right after a virama
)
def test_a_joiner_that_is_part_of_the_spelling_is_kept(name):
    result = validate_answers(full_answers(last_name=name), today=TODAY, version=CURRENT_VERSION)
    assert result.answers["last_name"] == name


def test_long_text_keeps_its_line_breaks_and_refuses_no_format_character_it_needs():
    text = "Line one\nline two \u2014 with an em dash"
    result = validate_answers(
        full_answers(anything_else_text=text), today=TODAY, version=CURRENT_VERSION
    )
    assert result.answers["anything_else_text"] == text


@pytest.mark.django_db
def test_the_step_shows_the_error_and_keeps_what_the_patient_typed(client):
    start(client)
    typed = "Ma\u200bria"
    data = {
        **post_data_for(current().first_visit_sections[0], full_answers()),
        "first_name": typed,
        "nav": "next",
    }
    response = client.post(step_url(current().first_visit_sections[0]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert INVISIBLE_MESSAGE in page
    assert f'value="{typed}"' in page
    assert not Submission.objects.exists()
