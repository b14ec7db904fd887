"""Date of birth as day / month / year boxes, month questions as a month list and a year box:
what the browser posts, the error each wrong part gets, and the stored format (unchanged)."""

from datetime import date

import pytest

from screening.models import Submission
from screening.questionnaire import current
from screening.questionnaire.answer_types import DateOfBirthWidget, MonthYearWidget
from screening.questionnaire.validation import validate_answers
from tests.factories import full_answers, many_followups_answers
from tests.patient_steps import SIGNED, post_data_for, put_draft, start, step_url

TODAY = date(2026, 11, 25)
ABOUT_YOU = current().first_visit_sections[0]
CONCERNS = current().sections_by_key["concerns"]


def dob(**parts):
    answers = full_answers()
    answers["date_of_birth"] = {"day": "", "month": "", "year": "", **parts}
    result = validate_answers(answers, today=TODAY, version=current().version)
    return result.answers.get("date_of_birth"), result.errors.get("date_of_birth")


def test_three_boxes_store_an_iso_date():
    assert dob(day="7", month="3", year="1984") == ("1984-03-07", None)
    assert dob(day=" 07 ", month="03", year="1984") == ("1984-03-07", None)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({}, "Enter your date of birth, for example 27 3 1984."),
        (
            {"month": "3", "year": "1984"},
            "Date of birth must include a day, as a number from 1 to 31.",
        ),
        (
            {"day": "7", "year": "1984"},
            "Date of birth must include a month. Choose it from the list.",
        ),
        (
            {"day": "7", "month": "3"},
            "Date of birth must include a year, with 4 digits, for example 1984.",
        ),
        (
            {"year": "1984"},
            "Date of birth must include a day, a month and a year.",
        ),
        ({"day": "32", "month": "3", "year": "1984"}, "The day must be a number from 1 to 31."),
        (
            {"day": "7", "month": "13", "year": "1984"},
            "Date of birth must include a month. Choose it from the list.",
        ),
        (
            {"day": "7", "month": "March", "year": "1984"},
            "Date of birth must include a month. Choose it from the list.",
        ),
        (
            {"day": "7", "month": "3", "year": "84"},
            "The year must have 4 digits, for example 1984.",
        ),
        (
            {"day": "30", "month": "2", "year": "1984"},
            "Enter a real date: February has fewer than 30 days.",
        ),
        (
            {"day": "29", "month": "2", "year": "1983"},
            "Enter a real date: February has fewer than 29 days.",
        ),
        ({"day": "1", "month": "1", "year": "2030"}, "Date of birth must be in the past."),
    ],
)
def test_each_wrong_part_gets_its_own_message(parts, message):
    assert dob(**parts) == (None, message)


def test_a_leap_day_is_a_real_date():
    assert dob(day="29", month="2", year="1984") == ("1984-02-29", None)


def month(question_id="upcoming_event_date", **parts):
    answers = many_followups_answers()
    answers[question_id] = {"month": "", "year": "", **parts}
    result = validate_answers(answers, today=TODAY, version=current().version)
    return result.answers.get(question_id), result.errors.get(question_id)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"month": "2", "year": "2027"}, ("2027-02", None)),
        (
            {"year": "2027"},
            (None, "Date for results must include a month. Choose it from the list."),
        ),
        (
            {"month": "2"},
            (None, "Date for results must include a year, with 4 digits, for example 2024."),
        ),
        (
            {"month": "2", "year": "27"},
            (None, "Date for results must have a year with 4 digits, for example 2024."),
        ),
        (
            {"month": "13", "year": "2027"},
            (None, "Date for results must include a month. Choose it from the list."),
        ),
        ({}, (None, "Choose the month and enter the year you'd like results by.")),
    ],
)
def test_a_month_list_and_a_year_box_store_year_month(parts, expected):
    assert month(**parts) == expected


def test_the_widgets_read_what_the_browser_posts_and_show_what_is_stored():
    birth = DateOfBirthWidget()
    posted = {"date_of_birth_day": "7", "date_of_birth_month": "3", "date_of_birth_year": "1984"}
    assert birth.value_from_datadict(posted, {}, "date_of_birth") == {
        "day": "7",
        "month": "3",
        "year": "1984",
    }
    assert birth.decompress("1984-03-07") == ["7", "3", "1984"]
    # A client that posts the answer whole (an ISO string) is read as before.
    assert birth.value_from_datadict({"date_of_birth": "1984-03-07"}, {}, "date_of_birth") == (
        "1984-03-07"
    )
    months = MonthYearWidget(allow_unknown=True)
    assert months.decompress("2024-03") == ["3", "2024", False]
    assert months.value_from_datadict({"q_unknown": "on", "q_year": "2024"}, {}, "q") == "unknown"


@pytest.mark.django_db
def test_a_step_posted_as_a_browser_posts_it_keeps_each_part_after_an_error(client):
    start(client)
    data = post_data_for(ABOUT_YOU, full_answers())
    data.pop("date_of_birth")
    data.update(date_of_birth_day="31", date_of_birth_month="4", date_of_birth_year="1984")
    response = client.post(step_url(ABOUT_YOU), {**data, "nav": "next"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real date: April has fewer than 31 days." in page
    assert 'href="#id_date_of_birth_1"' in page  # to the month list, first in US English
    assert 'name="date_of_birth_day" value="31"' in page
    assert page.count('aria-invalid="true"') == 3  # the three boxes
    data["date_of_birth_day"] = "30"
    assert client.post(step_url(ABOUT_YOU), {**data, "nav": "next"}).status_code == 302


@pytest.mark.django_db
def test_the_stored_formats_are_unchanged_end_to_end(client):
    answers = many_followups_answers()
    put_draft(client, answers)
    client.post("/review/", SIGNED)
    stored = Submission.objects.get().answers
    assert stored["date_of_birth"] == answers["date_of_birth"]
    assert stored["upcoming_event_date"] == answers["upcoming_event_date"]


# --- The order of the parts, the month by name, the date in words ---------------------------------


def _rendered_dob(language: str, value="") -> str:
    from django.utils import translation

    from screening.patient.forms import StepForm

    with translation.override(language):
        form = StepForm(ABOUT_YOU, initial={"date_of_birth": value} if value else None)
        return str(form["date_of_birth"].as_widget())


def test_us_english_asks_month_day_year_and_spanish_day_month_year():
    english, spanish = _rendered_dob("en"), _rendered_dob("es")
    order = [english.index(f'name="date_of_birth_{part}"') for part in ("month", "day", "year")]
    assert order == sorted(order)
    order = [spanish.index(f'name="date_of_birth_{part}"') for part in ("day", "month", "year")]
    assert order == sorted(order)


def test_the_order_follows_the_setting(settings):
    settings.SCREENING_DATE_PART_ORDER = {"en": ("year", "month", "day")}
    english = _rendered_dob("en")
    order = [english.index(f'name="date_of_birth_{part}"') for part in ("year", "month", "day")]
    assert order == sorted(order)
    spanish = _rendered_dob("es")  # not listed: the clinic language's order
    assert spanish.index('name="date_of_birth_year"') < spanish.index('name="date_of_birth_day"')


def test_the_month_is_a_named_list():
    english = _rendered_dob("en")
    assert '<select name="date_of_birth_month"' in english
    assert '<option value="4">April</option>' in english
    assert '<option value="4">abril</option>' in _rendered_dob("es")


def test_the_date_is_shown_back_in_words_in_the_patients_language():
    assert ">April 12, 1991</div>" in _rendered_dob("en", "1991-04-12")
    assert ">12 de abril de 1991</div>" in _rendered_dob("es", "1991-04-12")
    assert 'class="date-in-words" id="id_date_of_birth_words" aria-live="polite"></div>' in (
        _rendered_dob("en")
    )


def test_no_words_for_a_date_that_is_not_whole_or_real():
    widget = DateOfBirthWidget()
    assert widget.in_words({"day": "31", "month": "4", "year": "1991"}) == ""
    assert widget.in_words({"day": "12", "month": "", "year": "1991"}) == ""
    assert widget.in_words({"day": "12", "month": "4", "year": "1991"}) == "April 12, 1991"


@pytest.mark.django_db
def test_a_us_date_posted_month_first_is_stored_as_typed(client):
    put_draft(client, {}, steps=[])
    data = {
        **post_data_for(ABOUT_YOU, full_answers()),
        "date_of_birth_month": "4",
        "date_of_birth_day": "12",
        "date_of_birth_year": "1991",
        "nav": "next",
    }
    del data["date_of_birth"]
    assert client.post(step_url(ABOUT_YOU), data).status_code == 302
    page = client.get(step_url(ABOUT_YOU)).content.decode()
    assert ">April 12, 1991</div>" in page
