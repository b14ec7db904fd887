"""Questionnaire 2027.02: a first visit is asked exactly what 2027.01 asks; the 7 re-screen
questions are asked by the visit, with the patient's dates in their words."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from screening.demo import no_risk_answers, no_risk_rescreen_answers
from screening.questionnaire import CURRENT_VERSION, definition_for
from screening.questionnaire.validation import validate_answers
from screening.questionnaire.visit import NEW_CONSULTATION, SERIES_SESSION, Visit
from screening.questionnaire.visit_labels import label_for_visit

TODAY = date(2027, 4, 14)
V3, V4 = definition_for("2027.01"), definition_for("2027.02")
NEW_IDS = (
    "last_session_problems",
    "last_session_problems_unsure",
    "last_session_still_now",
    "last_session_seen_for_it",
    "last_session_result_view",
    "since_last_treatments",
    "since_last_medicines",
)


def visit(**changes) -> Visit:
    base = Visit(
        visit_type=SERIES_SESSION,
        previous_reference="ABC-DEF-GHJ",
        previous_version="2027.01",
        form_date=date(2027, 1, 20),
        previous_answers=no_risk_answers(),
        treatment_date=date(2027, 3, 3),
    )
    return replace(base, **changes)


def test_2027_02_is_current_and_adds_exactly_the_seven_ids_in_a_section_of_their_own():
    assert CURRENT_VERSION == "2027.02"
    assert set(V4.questions) - set(V3.questions) == set(NEW_IDS)
    assert V4.sections_by_key["since_last"].question_ids == NEW_IDS
    assert V4.visit_only_ids == frozenset(NEW_IDS)


def test_every_kept_question_is_2027_01s_unchanged_and_the_first_visit_steps_are_v3s():
    for question_id, question in V3.questions.items():
        assert replace(V4.questions[question_id], version="2027.01") == question, question_id
    assert [s.key for s in V4.first_visit_sections] == [s.key for s in V3.sections]
    assert V3.first_visit_sections == V3.sections


def test_a_first_visit_validates_as_on_2027_01_and_never_shows_a_new_question():
    answers = no_risk_answers(last_session_problems=["scar"], since_last_treatments="yes")
    result = validate_answers(answers, today=TODAY, version="2027.02")
    assert result.is_valid, result.errors
    assert not set(NEW_IDS) & set(result.answers)
    v3 = validate_answers(no_risk_answers(), today=TODAY, version="2027.01")
    assert result.answers == v3.answers


def test_a_series_session_after_a_treatment_here_asks_the_course_and_the_two_since_questions():
    result = validate_answers({**no_risk_answers()}, today=TODAY, version="2027.02", visit=visit())
    assert set(result.errors) == {
        "last_session_problems",
        "since_last_treatments",
        "since_last_medicines",
    }
    result = validate_answers(
        no_risk_rescreen_answers(), today=TODAY, version="2027.02", visit=visit()
    )
    assert result.is_valid, result.errors


@pytest.mark.parametrize(
    ("context", "asked"),
    [
        ({"treatment_date": None}, {"since_last_treatments", "since_last_medicines"}),
        ({"previous_answers": {}}, {"last_session_problems", "since_last_treatments"}),
        (
            {"visit_type": NEW_CONSULTATION},
            {
                "last_session_problems",
                "last_session_result_view",
                "since_last_treatments",
                "since_last_medicines",
            },
        ),
        (
            {"visit_type": NEW_CONSULTATION, "treatment_date": None},
            {"since_last_treatments", "since_last_medicines"},
        ),
    ],
)
def test_which_new_questions_a_visit_asks(context, asked):
    result = validate_answers(
        no_risk_answers(), today=TODAY, version="2027.02", visit=visit(**context)
    )
    assert set(result.errors) == asked


@pytest.mark.parametrize(
    ("picked", "follow_ups"),
    [
        (["none"], set()),
        (["not_sure"], {"last_session_problems_unsure"}),
        (["infection"], {"last_session_seen_for_it"}),
        (["bumps_acne"], {"last_session_seen_for_it"}),
        (["scar"], {"last_session_still_now", "last_session_seen_for_it"}),
        (["light_patches"], {"last_session_still_now", "last_session_seen_for_it"}),
        (["dark_patches"], {"last_session_still_now", "last_session_seen_for_it"}),
        (["long_redness"], {"last_session_still_now", "last_session_seen_for_it"}),
        (
            ["long_redness", "not_sure"],
            {"last_session_still_now", "last_session_seen_for_it", "last_session_problems_unsure"},
        ),
    ],
)
def test_the_course_follow_ups_open_from_the_items_ticked(picked, follow_ups):
    answers = no_risk_rescreen_answers(last_session_problems=picked)
    result = validate_answers(answers, today=TODAY, version="2027.02", visit=visit())
    assert set(result.errors) == follow_ups


def test_none_of_these_cannot_be_combined_with_an_item():
    answers = no_risk_rescreen_answers(last_session_problems=["none", "scar"])
    result = validate_answers(answers, today=TODAY, version="2027.02", visit=visit())
    assert "last_session_problems" in result.errors


def test_the_labels_hold_the_visits_dates_like_march_3_in_the_patients_language():
    problems = V4.questions["last_session_problems"]
    since = V4.questions["since_last_treatments"]
    assert label_for_visit(problems, visit()).startswith("Since your treatment here on March 3,")
    assert label_for_visit(since, visit()).startswith(
        "Since January 20, have you had any other skin treatment"
    )
    # No treatment here since the form: "other" is dropped.
    assert label_for_visit(since, visit(treatment_date=None)).startswith(
        "Since January 20, have you had any skin treatment"
    )
    with translation.override("es"):
        assert label_for_visit(problems, visit()).startswith(
            "Desde su tratamiento aquí el 3 de marzo,"
        )
        assert label_for_visit(since, visit()).startswith("Desde el 20 de enero,")
    # A label without a date comes back as it is.
    assert label_for_visit(V4.questions["first_name"], visit()) == str(
        V4.questions["first_name"].label
    )


def test_the_answers_by_section_name_the_visits_dates_or_leave_them_out():
    from screening.questionnaire.answer_types import answers_by_section

    def since_rows(**kwargs):
        sections = answers_by_section(no_risk_rescreen_answers(), version="2027.02", **kwargs)
        (since,) = [item for item in sections if item["section"].key == "since_last"]
        return [row["question"] for row in since["rows"]]

    with_visit = since_rows(visit=visit())
    assert with_visit[0].startswith("Since your treatment here on March 3,")
    assert with_visit[1].startswith("Since January 20, have you had any other")
    assert all("%(" not in str(label) for label in since_rows())
    assert since_rows()[0].startswith("Since your treatment here on …,")
