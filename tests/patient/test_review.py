"""The review page: a Change link per answer, skipped optional questions, and the signed
declaration (screening/patient/declaration.py) right above "Send my answers"."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from screening.models import Submission
from screening.patient.declaration import declaration_for
from screening.questionnaire import CURRENT_VERSION, current
from screening.records.retention import submissions_erase
from tests.factories import full_answers, no_risk_answers
from tests.patient_steps import SIGNED, put_draft, step_url

pytestmark = pytest.mark.django_db

# The section that holds the declaration (2027.01 folds "Anything else" into Health history).
CONFIRM = next(
    s for s in current().first_visit_sections if any(q.asked_at_review for q in s.questions)
)


def review_html(client) -> str:
    response = client.get("/review/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_answer_has_a_change_link_to_its_own_question(client):
    put_draft(client, full_answers())
    html = review_html(client)
    links = re.findall(r'href="(/questions/[^"#]+/)#(div_id_[a-z0-9_]+)"', html)
    answered = [
        q
        for s in current().first_visit_sections
        for q in s.step_questions
        if q.id in full_answers() or (not q.required and q.is_shown(full_answers()))
    ]
    assert {anchor for _, anchor in links} >= {f"div_id_{q.id}" for q in answered}
    # Each anchor is the question's wrapper on the step the link opens.
    path, anchor = next((p, a) for p, a in links if a == "div_id_skin_type_self")
    assert f'id="{anchor}"' in client.get(path).content.decode()


def test_a_skipped_optional_question_is_listed_as_not_answered(client):
    answers = {k: v for k, v in full_answers().items() if k != "preferred_name"}
    put_draft(client, answers)
    html = review_html(client)
    row = re.search(r'id="review-preferred_name".*?</div>', html, re.S)[0]
    assert "Not answered" in row
    assert f'href="{step_url(current().first_visit_sections[0])}#div_id_preferred_name"' in row
    # A follow-up that did not apply is not listed at all.
    assert 'id="review-skin_concerns_other"' not in html


def test_the_declaration_privacy_link_and_signature_sit_right_above_send(client, settings):
    settings.CLINIC_PRIVACY_NOTICE_URL = "https://clinic.example/privacy-notice"
    put_draft(client, full_answers())
    html = review_html(client)
    form = html[html.index('class="step-form review-declaration"') :]
    form = form[: form.index("</form>")]
    assert 'name="attest_accurate"' in form
    assert 'name="privacy_notice_ack"' in form
    assert 'href="https://clinic.example/privacy-notice"' in form
    assert 'name="signature_name"' in form and 'autocomplete="name"' in form
    assert form.index('name="signature_name"') < form.index("Send my answers")
    # ... and no longer on the last step, where they were ticked before the answers were seen.
    step = client.get(step_url(CONFIRM)).content.decode()
    assert 'name="attest_accurate"' not in step and 'name="privacy_notice_ack"' not in step


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("signature_name", "Type your full name to sign the declaration."),
        ("attest_accurate", "Tick the box to confirm your answers are true and complete."),
    ],
)
def test_sending_without_signing_or_ticking_says_so_and_saves_nothing(client, missing, message):
    put_draft(client, full_answers())
    data = {key: value for key, value in SIGNED.items() if key != missing}
    response = client.post("/review/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[missing] == [message]
    assert message in response.content.decode()
    assert "Error:" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_name_of_spaces_is_no_signature(client):
    put_draft(client, full_answers())
    response = client.post("/review/", {**SIGNED, "signature_name": "  \u00a0 "})
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_the_signature_is_stored_with_the_time_the_declaration_version_and_its_hash(client):
    put_draft(client, full_answers(first_name="Ana", last_name="Ruiz"))
    before = timezone.now()
    response = client.post("/review/", {**SIGNED, "signature_name": "  Ana   María Ruiz "})
    assert response["Location"] == "/thank-you/"
    submission = Submission.objects.get()
    assert submission.signature_name == "Ana María Ruiz"
    assert before <= submission.signed_at <= timezone.now()
    assert submission.declaration_version == f"{CURRENT_VERSION}-1"
    english = (
        "I confirm these answers are true and complete as far as I know, and I will tell the "
        "clinic if anything changes before my visit. By typing my full name below, I sign this "
        "declaration electronically."
    )
    assert submission.declaration_sha256 == hashlib.sha256(english.encode()).hexdigest()
    assert submission.answers["attest_accurate"] == "yes"
    assert submission.answers["privacy_notice_ack"] == "yes"


def test_the_hash_is_of_the_english_source_whatever_the_patients_language(client):
    client.cookies["django_language"] = "es"
    put_draft(client, full_answers())
    client.post("/review/", SIGNED)
    assert Submission.objects.get().declaration_sha256 == declaration_for(CURRENT_VERSION).sha256


def test_a_signature_need_not_match_the_patients_name(client):
    """A parent or guardian may fill in and sign for the patient (declaration.py)."""
    put_draft(client, full_answers(first_name="Ana", last_name="Ruiz"))
    client.post("/review/", {**SIGNED, "signature_name": "Carmen Ruiz (mother)"})
    assert Submission.objects.get().signature_name == "Carmen Ruiz (mother)"


def test_a_too_long_name_is_refused():
    from screening.patient.forms import ReviewForm

    form = ReviewForm(current(), data={**SIGNED, "signature_name": "a" * 201})
    assert not form.check_signature()
    assert "200 characters or fewer" in form.errors["signature_name"][0]


def test_retention_erases_the_typed_name_and_keeps_the_record_of_signing(submit_answers):
    submission = submit_answers()
    assert submission.signature_name
    submissions_erase(submissions=Submission.objects.all())
    submission.refresh_from_db()
    assert submission.signature_name == ""
    assert submission.signed_at and submission.declaration_sha256


def test_no_risk_answers_still_send_and_the_privacy_acknowledgement_may_be_left(client):
    put_draft(client, no_risk_answers())
    data = {k: v for k, v in SIGNED.items() if k != "privacy_notice_ack"}
    assert client.post("/review/", data)["Location"] == "/thank-you/"
    assert Submission.objects.get().answers["privacy_notice_ack"] == "no"
    assert Submission.objects.get().submitted_at > timezone.now() - timedelta(minutes=1)
