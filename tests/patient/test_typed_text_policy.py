"""The patient's typed text keeps the policy of every typed text (questionnaire.text_policy): the
signature refuses what a name refuses, and a NUL (which PostgreSQL stores in no text) is no 500."""

import pytest

from screening.models import SavedDraft, Submission
from screening.questionnaire import Kind, current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, put_draft, step_url

pytestmark = pytest.mark.django_db

SIGNATURE_JUNK = {
    "NUL": "Ana Ruiz\x00",
    "ESC": "Ana \x1b[8mRuiz",
    "BEL": "Ana Ruiz\x07",
    "RLO": "Ana \u202eziuR",
    "U+FFFF": "Ana Ruiz\uffff",
    "private use": "Ana Ruiz\ue000",
}


@pytest.mark.parametrize("signature", SIGNATURE_JUNK.values(), ids=SIGNATURE_JUNK.keys())
def test_a_signature_with_controls_or_direction_overrides_is_refused(client, signature):
    put_draft(client, full_answers())
    response = client.post("/review/", {**SIGNED, "signature_name": signature})
    assert response.status_code == 200
    assert "Please remove special or invisible characters" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_signature_in_any_script_is_kept(client):
    put_draft(client, full_answers())
    response = client.post("/review/", {**SIGNED, "signature_name": "Nguyễn Thị Ánh"})
    assert response.status_code == 302
    assert Submission.objects.get().signature_name == "Nguyễn Thị Ánh"


def test_a_nul_typed_in_an_invitations_draft_and_left_with_back_is_kept_without_it(client):
    client.get(invite())
    first, second = current().first_visit_sections[:2]
    answers = full_answers()
    client.post(step_url(first), {**post_data_for(first, answers), "nav": "next"})
    typed = {**post_data_for(second, answers), "nav": "back"}
    name = next(q.id for q in second.step_questions if q.kind is Kind.TEXT)
    typed[name] = "typed\x00 so far"
    response = client.post(step_url(second), typed)
    assert response.status_code == 302
    assert SavedDraft.objects.get().pending[second.key][name] == "typed so far"
    # and the page shows it again, to finish
    assert "typed so far" in client.get(step_url(second)).content.decode()
