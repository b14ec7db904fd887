"""Switching language on a step keeps what was typed or ticked on it: the switch sends the step's
own form, and the page comes back in the other language with the answers in place."""

import pytest
from django.conf import settings

from screening.questionnaire import current
from tests.patient_steps import put_draft, step_url

pytestmark = pytest.mark.django_db

ABOUT_YOU = current().first_visit_sections[0]


def test_the_switch_on_a_step_sends_the_steps_form(client):
    put_draft(client, {}, steps=[])
    page = client.get(step_url(ABOUT_YOU)).content.decode()
    assert 'form="step-form" name="nav" value="language-es"' in page
    assert 'id="step-form"' in page


def test_switching_keeps_what_was_typed_and_shows_it_in_the_other_language(client):
    put_draft(client, {}, steps=[])
    typed = {"first_name": "Ana", "last_name": "Ruiz", "best_contact_time": "morning"}
    response = client.post(step_url(ABOUT_YOU), {**typed, "nav": "language-es"})
    assert response["Location"] == step_url(ABOUT_YOU)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(step_url(ABOUT_YOU)).content.decode()
    assert '<html lang="es"' in page
    assert 'value="Ana"' in page and 'value="Ruiz"' in page
    assert 'value="morning" id="id_best_contact_time_0" checked' in page
    assert "error-summary" not in page  # nothing judged yet


def test_an_unknown_language_keeps_the_typing_and_changes_nothing(client):
    put_draft(client, {}, steps=[])
    response = client.post(step_url(ABOUT_YOU), {"first_name": "Ana", "nav": "language-xx"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert 'value="Ana"' in client.get(step_url(ABOUT_YOU)).content.decode()


def test_switching_on_a_next_page_of_follow_ups_keeps_what_was_typed_there(client):
    sections = current().first_visit_sections
    past = current().sections_by_key["past_treatments"]
    from tests.factories import full_answers

    put_draft(client, full_answers(), steps=sections[: sections.index(past)])
    client.post(
        step_url(past),
        {"prior_procedures": ["filler"], "prior_treatment_problems": "no", "nav": "next"},
    )
    more = f"{step_url(past)}?more=1"
    response = client.post(more, {"prior_filler_last_year": "2023", "nav": "language-es"})
    assert response["Location"] == more
    page = client.get(more).content.decode()
    assert '<html lang="es"' in page and 'value="2023"' in page
