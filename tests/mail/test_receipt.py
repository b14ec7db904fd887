"""The patient's emailed receipt: queued with the submission when they gave an email and agreed
to email; it holds the reference and nothing else (no name, no answer)."""

import pytest
from django.core import mail

from screening.models import Submission
from tests.factories import full_answers
from tests.patient_steps import SIGNED, put_draft
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

AGREED = {
    "email": "ana@example.com",
    "preferred_contact_method": "email",
    "unencrypted_contact_consent": "yes",
}


def send(client, **answers):
    put_draft(client, full_answers(**answers))
    assert client.post("/review/", SIGNED)["Location"] == "/thank-you/"
    run_queued_tasks()
    return Submission.objects.get()


def receipts():
    return [message for message in mail.outbox if "received your answers" in message.subject]


def test_a_patient_who_agreed_to_email_gets_the_reference_and_nothing_else(client, doctor):
    submission = send(client, first_name="Zelda", last_name="Quince", **AGREED)
    (receipt,) = receipts()
    assert receipt.to == ["ana@example.com"]
    assert submission.reference in receipt.body
    for private in ("Zelda", "Quince", submission.answers["date_of_birth"], "skin", "flag"):
        assert private not in receipt.body and private not in receipt.subject


@pytest.mark.parametrize(
    "answers",
    [
        {**AGREED, "unencrypted_contact_consent": "no"},
        {"preferred_contact_method": "phone_call"},  # consent not asked: no agreement
    ],
)
def test_no_receipt_without_agreement_to_email(client, doctor, answers):
    send(client, **answers)
    assert receipts() == []
