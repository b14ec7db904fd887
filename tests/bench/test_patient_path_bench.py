"""bench/patient_path.py counts what a patient with JavaScript sees: hidden follow-ups, notes
for readers without JavaScript and text for screen readers only are not read; the follow-ups
the answers open are read as they appear."""

import pytest

from bench.patient_path import (
    LANDING_MINUTES,
    RETURNING_TARGET_MINUTES,
    TARGET_MINUTES,
    complex_answers,
    visible_words,
    walk,
    walk_returning,
)
from screening.demo import no_risk_answers
from screening.questionnaire import current

PAGE = """<html><head><title>Not read</title></head><body><header>Not read</header><main>
<h1>Three words here</h1>
<div class="question followup js-hidden"><label>Hidden follow-up words</label></div>
<div class="form-text"><span class="condition-text">Answer only if you chose</span> Help</div>
<span class="visually-hidden">screen reader only</span>
<dl class="review-answers"><dt>Question</dt><dd>Answer given</dd></dl>
<p>Your answers are saved each time</p>
</main><footer>Not read</footer></body></html>"""


def test_only_the_visible_words_of_main_are_read():
    already_read = set()
    assert visible_words(PAGE, already_read) == (3 + 1 + 6, 3)
    # The same long block on a later page is recognised, not read again; short ones are.
    assert visible_words(PAGE, already_read) == (3 + 1, 3)


@pytest.mark.django_db
def test_the_healthy_path_counts_every_question_it_shows():
    figures = walk()
    answers = no_risk_answers()
    steps = [
        q for s in current().first_visit_sections for q in s.step_questions if q.is_shown(answers)
    ]
    review = len(current().review_questions) + 1  # and the signature
    assert figures["questions_shown"] == len(steps) + review
    assert figures["words_to_read"] > 1000 and figures["taps"] > len(steps)
    assert figures["met"] == (figures["minutes"] < TARGET_MINUTES)


@pytest.mark.django_db
def test_the_healthy_path_is_under_nine_minutes_and_the_landing_page_says_what_the_bench_counts(
    client,
):
    healthy, complex_ = walk(), walk(complex_answers())
    assert healthy["minutes"] < TARGET_MINUTES == 9
    # The words of the follow-up the face opens (the eyes) are read too.
    assert healthy["words_by_page"]["concerns"] > 190
    assert complex_["minutes"] > healthy["minutes"]
    low, high = LANDING_MINUTES
    assert round(healthy["minutes"]) >= low and complex_["minutes"] <= high
    landing = client.get("/").content.decode()
    assert f"There are {len(current().first_visit_sections)} short steps" in landing
    assert f"Most people finish in {low} to {high} minutes." in landing


@pytest.mark.django_db
def test_without_javascript_the_path_asks_no_more_questions_than_with_it():
    with_js, without_js = walk(javascript=True), walk(javascript=False)
    assert without_js["questions_shown"] == with_js["questions_shown"]
    # A next page of follow-ups repeats its step's heading and buttons, nothing more.
    assert (
        with_js["words_to_read"] <= without_js["words_to_read"] <= with_js["words_to_read"] * 1.05
    )
    assert any("(next page 1)" in name for name in without_js["words_by_page"])
    complex_with, complex_without = (
        walk(complex_answers()),
        walk(complex_answers(), javascript=False),
    )
    assert complex_without["questions_shown"] == complex_with["questions_shown"]


@pytest.mark.django_db
def test_the_returning_patients_path_is_under_three_minutes():
    """The contract's count: 11 questions and 6 cards, one tap each (and Start, as the first
    visit's path counts it), the carried lines glanced at."""
    figures = walk_returning()
    assert figures["questions_shown"] == 11 and figures["cards_confirmed"] == 6
    assert figures["taps"] == 20
    assert 400 < figures["words_to_read"] < 560
    assert figures["review_answers_words_not_counted"] > 100  # the cards' lines, apart
    # Measured apart, not counted (the contract's convention): the link's date-of-birth check.
    assert 10 < figures["date_of_birth_check_seconds_not_counted"] < 40
    assert figures["minutes"] < RETURNING_TARGET_MINUTES == 3
