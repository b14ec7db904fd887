"""Moments and months in emails and answers as people write them: no "a.m.." before a period,
the time zone named, Spanish "5:37 a. m." and "junio de 2027"."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from screening.questionnaire import current
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.date_display import moment_in_words

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        ("en", datetime(2027, 6, 9, 5, 37, tzinfo=NEW_YORK), "June 9, 2027 at 5:37 AM (EDT)"),
        ("en", datetime(2027, 1, 9, 17, 5, tzinfo=NEW_YORK), "January 9, 2027 at 5:05 PM (EST)"),
        ("en", datetime(2027, 1, 9, 0, 0, tzinfo=NEW_YORK), "January 9, 2027 at 12:00 AM (EST)"),
        ("en", datetime(2027, 1, 9, 12, 0, tzinfo=NEW_YORK), "January 9, 2027 at 12:00 PM (EST)"),
        (
            "es",
            datetime(2027, 6, 9, 5, 37, tzinfo=NEW_YORK),
            "9 de junio de 2027 a las 5:37 a. m. (EDT)",
        ),
    ],
)
def test_a_moment_in_words(language, moment, expected):
    with translation.override(language):
        assert moment_in_words(moment) == expected


@pytest.mark.django_db
def test_the_resume_email_names_the_time_zone_and_has_no_double_period(settings):
    from datetime import timedelta

    from django.utils import timezone

    from screening.mail.notifications import resume_link_message
    from screening.models import SavedDraft

    saved = SavedDraft.objects.create(
        key="6b7e2f44-7c1d-4f5e-9a0b-1c2d3e4f5a6b",
        answers={},
        email="me@example.org",
        language="es",
        token_salt="salt",
        expires_at=timezone.now() + timedelta(days=14),
    )
    _subject, body, _to = resume_link_message(saved)
    assert ".." not in body
    assert "m. (E" in body  # "a. m. (EST)" or "p. m. (EDT)"
    saved.language = "en"
    _subject, body, _to = resume_link_message(saved)
    assert ".." not in body and ("M (EST)" in body or "M (EDT)" in body)


def test_a_month_and_year_in_spanish_reads_de():
    question = current().questions["isotretinoin_last_dose"]
    with translation.override("es"):
        assert display_answer(question, "2027-06") == "junio de 2027"
    with translation.override("en"):
        assert display_answer(question, "2027-06") == "June 2027"
