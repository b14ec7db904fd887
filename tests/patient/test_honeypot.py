"""The honeypot field: invisible to people, filled by bots, and a filled one saves nothing."""

import re

import pytest

from screening.models import Submission
from screening.patient import honeypot
from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, put_draft, start, step_url

pytestmark = pytest.mark.django_db


def _post_step(client, section, answers, **extra):
    return client.post(
        step_url(section), {**post_data_for(section, answers), "nav": "next", **extra}
    )


def test_every_step_has_the_field_hidden_from_people_and_screen_readers(client):
    # The attributes that hide it; tests/browser/test_honeypot.py checks that a browser then
    # draws it out of sight, leaves it out of the accessibility tree and never tabs to it.
    put_draft(client, full_answers())
    for section in current().first_visit_sections:
        page = client.get(step_url(section)).content.decode()
        container = re.search(
            r'<div\s+class="hp-field"\s+aria-hidden="true">(.*?)</div>\s*</div>', page, re.DOTALL
        )
        assert container, section.slug
        inside = container.group(1)
        field = re.search(r'<input [^>]*name="website"[^>]*>', inside).group(0)
        assert 'tabindex="-1"' in field
        assert 'autocomplete="off"' in field
        assert 'id="id_website"' in field
        assert re.search(r'<label\s+for="id_website"', inside)  # a label, for axe


def test_a_filled_honeypot_redirects_like_success_and_saves_nothing(client):
    start(client)
    draft_before = client.session["screening_draft"]
    response = _post_step(
        client, current().first_visit_sections[0], full_answers(), website="http://spam.example"
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(
        current().first_visit_sections[1]
    )  # what a success would answer
    assert client.session["screening_draft"] == draft_before  # no answer, not even the clock
    # The next step is not open: nothing was completed.
    assert client.get(step_url(current().first_visit_sections[1]))["Location"] == step_url(
        current().first_visit_sections[0]
    )


def test_a_filled_honeypot_on_the_last_step_redirects_to_review_and_submits_nothing(client):
    answers = full_answers()
    start(client)
    for section in current().first_visit_sections[:-1]:
        _post_step(client, section, answers)
    response = _post_step(client, current().first_visit_sections[-1], answers, website="x")
    assert response["Location"] == "/review/"
    assert (
        current().first_visit_sections[-1].key not in client.session["screening_draft"]["completed"]
    )
    client.post("/review/", SIGNED)
    assert Submission.objects.count() == 0


def test_a_filled_honeypot_with_back_saves_nothing_either(client):
    answer_all_steps(client, full_answers())
    draft_before = client.session["screening_draft"]
    response = client.post(
        step_url(current().first_visit_sections[1]),
        {"goals_text": "Bot text", "nav": "back", "website": "x"},
    )
    assert response.status_code == 302
    assert client.session["screening_draft"] == draft_before


def test_an_empty_honeypot_changes_nothing_and_is_never_stored(client):
    answers = full_answers()
    start(client)
    for section in current().first_visit_sections:
        assert _post_step(client, section, answers, website="  ").status_code == 302
    client.post(
        step_url(current().first_visit_sections[1]),
        {"goals_text": "Typed", "nav": "back", "website": ""},
    )
    assert "website" not in str(client.session["screening_draft"])
    client.post(
        step_url(current().first_visit_sections[1]),
        {**post_data_for(current().first_visit_sections[1], answers), "nav": "next"},
    )
    client.post("/review/", SIGNED)
    submission = Submission.objects.get()
    assert "website" not in submission.answers


def test_is_filled_reads_every_value_posted():
    from django.http import QueryDict

    assert not honeypot.is_filled(QueryDict(""))
    assert not honeypot.is_filled(QueryDict("website=&website=%20"))
    assert honeypot.is_filled(QueryDict("website=&website=x"))
