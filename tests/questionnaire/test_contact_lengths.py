"""One length per contact field: validation accepts exactly what the Submission column holds.

On PostgreSQL, which enforces column lengths (SQLite does not): for every contact column, the
longest accepted answer saves, and one character more is a field error, never a database error.
"""

import uuid

import pytest
from django.db import connection

from screening.models import Submission
from screening.patient.submission import submission_create
from screening.questionnaire import CONTACT_QUESTION_IDS, CURRENT_VERSION, current
from screening.questionnaire.answer_types import text_limit
from screening.questionnaire.validation import validate_answers
from tests.conftest import TODAY
from tests.factories import full_answers

TEXT_COLUMNS = [qid for qid in CONTACT_QUESTION_IDS if qid != "date_of_birth"]


def longest(question_id: str, length: int) -> str:
    """A valid answer of exactly `length` characters."""
    if question_id == "email":
        domain = f"{'b' * 63}.{'c' * 63}.example"  # labels of 63 at most
        return f"{'a' * (length - len(domain) - 1)}@{domain}"
    if question_id == "phone":
        digits = "+1 555 010 0123"
        return digits[:3] + " " * (length - len(digits)) + digits[3:]
    return "N" * length


def test_every_contact_limit_is_its_columns_length():
    for question_id in TEXT_COLUMNS:
        column = Submission._meta.get_field(question_id).max_length
        assert text_limit(current().questions[question_id]) == column, question_id
        assert current().questions[question_id].max_length in (None, column), question_id


@pytest.mark.parametrize("question_id", TEXT_COLUMNS)
def test_one_character_over_the_column_is_a_field_error(question_id):
    limit = Submission._meta.get_field(question_id).max_length
    too_long = longest(question_id, limit + 1)
    assert len(too_long) == limit + 1
    errors = validate_answers(
        full_answers(**{question_id: too_long}), today=TODAY, version=CURRENT_VERSION
    ).errors
    assert set(errors) == {question_id}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce lengths")
@pytest.mark.django_db
@pytest.mark.parametrize("question_id", TEXT_COLUMNS)
def test_the_longest_accepted_answer_saves_on_postgresql(question_id):
    limit = Submission._meta.get_field(question_id).max_length
    value = longest(question_id, limit)
    assert len(value) == limit
    submission = submission_create(
        signature_name="Ana Ruiz",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(**{question_id: value}),
        today=TODAY,
    )
    submission.refresh_from_db()
    assert getattr(submission, question_id) == value
