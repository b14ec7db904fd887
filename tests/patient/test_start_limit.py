"""POST /start/ is rate-limited like the step POSTs, and starting again adds no session row."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from screening.patient.drafts import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.SCREENING_RATE_LIMIT_PER_MINUTE = 30
    settings.SCREENING_RATE_LIMIT_BURST = 5
    return settings


def test_a_flood_of_starts_from_one_address_is_refused_and_stores_no_session(limit):
    statuses = [Client().post("/start/").status_code for _ in range(20)]
    assert statuses == [302] * 5 + [429] * 15
    assert Session.objects.count() == 5


def test_another_address_can_still_start(limit):
    for _ in range(6):
        Client().post("/start/")
    assert Client().post("/start/", REMOTE_ADDR="192.0.2.50").status_code == 302


def test_starting_again_with_a_draft_replaces_it_in_one_session_row(client, limit):
    client.post("/start/")
    first_key = client.session[SESSION_KEY]["key"]
    for _ in range(3):
        assert client.post("/start/", {"erase": "yes"}).status_code == 302
    assert Session.objects.count() == 1
    assert client.session[SESSION_KEY]["key"] != first_key  # a fresh draft, the old one gone


def test_starting_does_not_spend_the_tokens_of_the_answers(client, limit):
    from screening.questionnaire import current
    from tests.factories import full_answers
    from tests.patient_steps import post_data_for, step_url

    for _ in range(5):
        client.post("/start/")
    data = {**post_data_for(current().first_visit_sections[0], full_answers()), "nav": "next"}
    assert client.post(step_url(current().first_visit_sections[0]), data).status_code == 302
