"""The clinic's CSV: each column once, and beside each chosen answer's key its label."""

import csv
import io

import pytest

from screening.flags.provider_checks import skin_type_flags
from screening.records.export import submissions_csv

pytestmark = pytest.mark.django_db


def _rows(submission):
    submission.refresh_from_db()
    text = submissions_csv([submission])
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def test_every_column_is_named_once_and_the_date_of_birth_is_one_column(submit_answers):
    header, (row,) = _rows(submit_answers())
    assert len(header) == len(set(header)), [name for name in header if header.count(name) > 1]
    assert header.count("date_of_birth") == 1
    assert row["date_of_birth"]  # filled, from the submission


def test_a_chosen_answer_has_its_label_beside_its_key(submit_answers):
    submission = submit_answers(cold_sore_now="yes", skin_type_self="IV")
    header, (row,) = _rows(submission)
    assert header[header.index("cold_sore_now") + 1] == "cold_sore_now_label"
    assert row["cold_sore_now"] == "yes" and row["cold_sore_now_label"] == "Yes"
    assert row["skin_type_self"] == "IV"
    assert row["skin_type_self_label"] not in ("", "IV")  # the words the patient chose
    assert "anything_else_text_label" not in header  # free text has no label


def test_skin_type_differs_names_both_types_with_their_meaning():
    (flag,) = skin_type_flags(answers={"skin_type_self": "II"}, provider_skin_type="IV")
    assert flag.reason.startswith(
        "The provider assessed skin type IV (rarely burns, tans easily); the patient reported "
        "II (burns easily, tans a little)."
    )
    (unsure,) = skin_type_flags(answers={"skin_type_self": "unsure"}, provider_skin_type="I")
    assert "the patient reported no type (not known)" in unsure.reason
