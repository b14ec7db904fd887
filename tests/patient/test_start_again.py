""" "Start again" with answers in progress asks before erasing them, and works without JavaScript."""

import pytest

from screening.patient.drafts import SESSION_KEY
from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import post_data_for, start, step_url

pytestmark = pytest.mark.django_db


def _one_step_answered(client):
    start(client)
    first = current().first_visit_sections[0]
    client.post(step_url(first), {**post_data_for(first, full_answers()), "nav": "next"})
    return client.session[SESSION_KEY]


def test_start_again_asks_first_and_erases_nothing_until_confirmed(client):
    before = _one_step_answered(client)
    response = client.post("/start/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Erase your answers and start again?" in page
    assert 'name="erase" value="yes"' in page
    assert (
        f'href="{step_url(current().first_visit_sections[1])}"' in page
    )  # "No": back where they stopped
    assert client.session[SESSION_KEY]["answers"] == before["answers"]  # nothing erased yet


def test_confirming_erases_the_answers_and_starts_a_fresh_draft(client):
    before = _one_step_answered(client)
    response = client.post("/start/", {"erase": "yes"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["key"] != before["key"]
    assert client.session[SESSION_KEY]["answers"] == {}


def test_the_landing_page_keeps_start_again_apart_from_continue(client):
    _one_step_answered(client)
    page = client.get("/").content.decode()
    continue_at = page.index("Continue where you left off")
    form_at = page.index('class="start-again"')
    assert continue_at < form_at
    assert "Your answers so far will be erased." in page
