"""Every link of a sent draft says "already sent" with the reference, never "This link doesn't
work" (whose "Answer without a link" would invite a second submission)."""

import pytest
from django.core import mail
from django.test import Client

from screening.models import Submission
from screening.questionnaire import current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, start, step_url
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

ANSWERS = full_answers(date_of_birth="1984-03-27")


def _answer(client, sections):
    for section in sections:
        response = client.post(
            step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"}
        )
        assert response.status_code == 302, section.key


def _saved_walk_in_link(client) -> str:
    start(client)
    _answer(client, current().first_visit_sections[:2])
    client.post("/save/", {"email": "me@example.org"})
    run_queued_tasks()
    body = mail.outbox[-1].body
    return body[body.index("/r/") :].split()[0]


def test_a_walk_ins_resume_link_after_sending_says_already_sent_on_any_device(client):
    link = _saved_walk_in_link(client)
    _answer(client, current().first_visit_sections[2:])
    assert client.post("/review/", SIGNED)["Location"] == "/thank-you/"
    reference = Submission.objects.get().reference
    for device in (client, Client()):
        page = device.get(link)
        text = page.content.decode()
        assert f"You have already sent your answers (reference {reference})" in text
        assert "This link doesn&#x27;t work" not in text and "Answer without a link" not in text


def test_a_wrong_resume_link_still_says_it_does_not_work(client):
    link = _saved_walk_in_link(client)
    response = Client().get(link[:-3] + "xyz")
    assert response.status_code == 404
    assert "Answer without a link" in response.content.decode()


def test_an_invitations_link_after_sending_says_already_sent():
    link = invite()
    patient = Client()
    patient.get(link)
    _answer(patient, current().first_visit_sections)
    patient.post("/review/", SIGNED)
    reference = Submission.objects.get().reference
    text = Client().get(link).content.decode()
    assert f"You have already sent your answers (reference {reference})" in text
