"""A saved draft's language travels with its link, over the browser's: a Spanish walk-in's
"continue later" link opened on an English browser stays Spanish to the receipt."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from screening.models import Submission
from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import SIGNED, post_data_for, start, step_url
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

ANSWERS = full_answers(
    date_of_birth="1984-03-27",
    email="ana@example.org",
    preferred_contact_method="email",
    unencrypted_contact_consent="yes",
)


def _answer(client, sections):
    for section in sections:
        response = client.post(
            step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"}
        )
        assert response.status_code == 302, section.key


def test_a_spanish_resume_link_on_an_english_browser_stays_spanish_to_the_receipt():
    spanish = Client(headers={"accept-language": "es"})
    start(spanish)
    _answer(spanish, current().first_visit_sections[:2])
    spanish.post("/save/", {"email": "ana@example.org"})
    run_queued_tasks()
    link = mail.outbox[-1].body[mail.outbox[-1].body.index("/r/") :].split()[0]

    english = Client(headers={"accept-language": "en-US,en;q=0.9"})
    opened = english.get(link)
    assert opened.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    gate = english.get("/continue/").content.decode()
    assert '<html lang="es"' in gate
    english.post("/continue/", {"date_of_birth": "1984-03-27"})
    step = english.get(step_url(current().first_visit_sections[2])).content.decode()
    assert '<html lang="es"' in step
    _answer(english, current().first_visit_sections[2:])
    assert '<html lang="es"' in english.get("/review/").content.decode()
    english.post("/review/", SIGNED)
    assert '<html lang="es"' in english.get("/thank-you/").content.decode()
    assert Submission.objects.get().language == "es"
    run_queued_tasks()
    receipt = next(m for m in mail.outbox if m.subject.startswith(("Recibimos", "We")))
    assert receipt.subject.startswith("Recibimos sus respuestas")
