"""The shortcut many tests take: `put_draft` must leave exactly the draft that walking the steps
over HTTP leaves, or the tests built on it would test a state no patient can reach."""

import pytest
from django.test import Client

from screening.questionnaire import current
from tests.factories import full_answers, many_followups_answers
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, put_draft, start, step_url

pytestmark = pytest.mark.django_db

COMPARED = ("answers", "completed", "pending")


def _draft(client) -> dict:
    stored = client.session["screening_draft"]
    return {name: stored[name] for name in COMPARED}


@pytest.mark.parametrize("make_answers", [full_answers, many_followups_answers])
def test_a_put_draft_is_the_draft_the_steps_leave(make_answers):
    walked, put = Client(), Client()
    answer_all_steps(walked, make_answers())
    put_draft(put, make_answers())
    assert _draft(put) == _draft(walked)


def test_a_draft_put_part_way_is_the_draft_the_first_steps_leave():
    answers = many_followups_answers()
    walked, put = Client(), Client()
    start(walked)
    for section in current().first_visit_sections[:3]:
        walked.post(step_url(section), {**post_data_for(section, answers), "nav": "next"})
    put_draft(put, answers, steps=current().first_visit_sections[:3])
    assert _draft(put) == _draft(walked)
    assert put.get("/review/")["Location"] == step_url(current().first_visit_sections[3])


def test_a_put_draft_submits_like_a_walked_one():
    client = Client()
    put_draft(client, full_answers())
    assert client.post("/review/", SIGNED)["Location"] == "/thank-you/"
