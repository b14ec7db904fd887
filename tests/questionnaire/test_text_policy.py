"""One text policy for every field a person types (questionnaire.text_policy): the patient's
answers, their signature, and every staff form take the same characters.

Refused: controls (NUL, ESC, BEL ...), direction overrides (U+202E makes "‮evil" read "live"),
private-use characters, noncharacters (U+FFFF) and unassigned code points, and more than
MAX_COMBINING_RUN combining marks in a row ("Zalgo"). Kept: the world's spellings.
"""

import pytest

from screening.questionnaire import CURRENT_VERSION
from screening.questionnaire.text_policy import (
    MAX_COMBINING_RUN,
    has_refused_characters,
    is_phone_number,
    without_nul,
    without_refused_characters,
)
from screening.questionnaire.validation import validate_answers
from tests.conftest import TODAY
from tests.factories import full_answers

JUNK = {
    "NUL": "Ana\x00",
    "ESC": "Ana\x1b[31m",
    "BEL": "Ana\x07",
    "RLO": "Ana \u202eziuR",
    "U+FFFF": "Ana\uffff",
    "U+FFFE": "Ana\ufffe",
    "private use": "Ana\ue000",
    "plane 15 private use": "Ana\U000f0000",
    "plane 1 noncharacter": "Ana\U0001fffe",
    "U+FDD0": "Ana\ufdd0",
    "Zalgo": "Aq" + "\u0301" * (MAX_COMBINING_RUN + 1) + "na",  # q: no precomposed q-acute
}
SPELLINGS = {
    "Vietnamese": "Nguyễn Thị Ánh",
    "Hebrew pointing": "שָׁלוֹם",
    "Devanagari with ZWJ after virama": "क्\u200dष",
    "Tibetan stack": "བསྒྲུབས",
    "marks at the limit": "A" + "\u0301" * MAX_COMBINING_RUN,
    "decomposed accents": "Jose\u0301",
    "Arabic": "محمد",
    "apostrophe and hyphen": "O'Neil-Smith",
}


@pytest.mark.parametrize("text", JUNK.values(), ids=JUNK.keys())
def test_junk_is_refused_in_short_and_long_text(text):
    assert has_refused_characters(text, long=False)
    assert has_refused_characters(text, long=True)


@pytest.mark.parametrize("text", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_spellings_are_kept(text):
    assert not has_refused_characters(text, long=False)


def test_an_unassigned_code_point_is_refused_in_a_name_and_kept_in_long_text():
    # A newer Unicode's emoji looks unassigned to an older server: words, not junk.
    assert has_refused_characters("Ana\u0378", long=False)
    assert not has_refused_characters("Ana\u0378", long=True)


def test_long_text_keeps_line_breaks_and_tabs_short_text_does_not():
    assert not has_refused_characters("one\n\ttwo", long=True)
    assert has_refused_characters("one\ntwo", long=False)


@pytest.mark.parametrize("text", JUNK.values(), ids=JUNK.keys())
def test_the_questionnaire_refuses_junk_in_names(text):
    result = validate_answers(full_answers(last_name=text), today=TODAY, version=CURRENT_VERSION)
    assert "last_name" in result.errors


@pytest.mark.parametrize(
    ("phone", "accepted"),
    [
        ("+1 (555) 010-0123", True),
        ("555.0100", True),
        ("555-CALL-NOW", False),
        ("12345", False),
        ("1" * 16, False),
    ],
)
def test_a_phone_is_digits_and_separators(phone, accepted):
    assert is_phone_number(phone) is accepted


def test_what_is_kept_as_typed_loses_only_nul():
    raw = {"a": "x\x00y\x1b", "b": ["\x00", "z"], "c": None}
    assert without_nul(raw) == {"a": "xy\x1b", "b": ["", "z"], "c": None}


def test_a_search_term_loses_what_no_text_keeps():
    assert without_refused_characters("Zebe\x00dee\u202e\u200b") == "Zebedee"
