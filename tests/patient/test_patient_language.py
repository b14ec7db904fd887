"""Patients choose Spanish or English; staff read English whatever the patient or browser chose.

The language switch (a POST form on every patient page, no JavaScript needed) keeps the choice
in a cookie that ends with the browser; an invitation can set it; the submission records the
language it was answered in, and the declaration's hash of the text shown; the patient's emails
are in their language, the staff's in English.
"""

import hashlib
import unicodedata

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from screening.mail import notifications
from screening.models import Invitation, SavedDraft, Submission
from screening.patient.declaration import declaration_for
from screening.questionnaire import CURRENT_VERSION, current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, put_draft, start, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def doctor_client(doctor):
    staff = Client()
    staff.force_login(doctor)
    return staff


# The Spanish wording of the declaration of 2026.12-1, as patients answering in Spanish sign it.
# A signed wording is never edited (screening/patient/declaration.py): a change to the Spanish text of
# the attestation or of the signing sentence must come with a new declaration revision.
SPANISH_DECLARATION_2026_12 = (
    "Confirmo que estas respuestas son verdaderas y completas hasta donde yo sé, y que avisaré a "
    "la clínica si algo cambia antes de mi visita. Al escribir mi nombre completo abajo, firmo "
    "esta declaración de forma electrónica."
)


def _sha256(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()


def _choose(client, language: str, next_page: str = "/"):
    return client.post("/language/", {"language": language, "next": next_page})


# --- The switch ------------------------------------------------------------------------------


def test_the_switch_turns_the_patient_pages_to_spanish_and_back(client):
    landing = client.get("/")
    assert '<html lang="en">' in landing.content.decode()
    assert "Before your laser resurfacing consultation" in landing.content.decode()

    chosen = _choose(client, "es", "/privacy/")
    assert chosen.status_code == 302
    assert chosen["Location"] == "/privacy/"
    cookie = chosen.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"], "the choice ends with the browser, like the draft"

    spanish = client.get("/").content.decode()
    assert '<html lang="es">' in spanish
    assert "Antes de su consulta de rejuvenecimiento de la piel con láser" in spanish
    assert '<button type="submit" name="language" value="en" lang="en"' in spanish

    _choose(client, "en")
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_switch_keeps_the_answers_in_progress(client):
    start(client)
    first = current().first_visit_sections[0]
    client.post(step_url(first), {**post_data_for(first, full_answers()), "nav": "next"})
    _choose(client, "es", step_url(first))
    page = client.get(step_url(first)).content.decode()
    assert "Sobre usted" in page
    assert 'value="Ana"' in page  # the first name given in English is still there


def test_the_switch_never_sends_the_patient_off_the_site(client):
    chosen = _choose(client, "es", "https://elsewhere.example/phish")
    assert chosen["Location"] == "/"


def test_the_switch_is_a_post_with_csrf():
    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/language/").status_code == 405
    assert strict.post("/language/", {"language": "es", "next": "/"}).status_code == 403


def test_the_browsers_language_is_the_default_until_the_patient_chooses(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert '<html lang="es">' in page.content.decode()
    _choose(client, "en")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert '<html lang="en">' in page.content.decode()


def test_dates_and_month_lists_are_in_the_patients_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    put_draft(client, full_answers(), steps=current().first_visit_sections[:3])
    page = client.get("/questions/past-treatments/").content.decode()
    assert '<option value="3">marzo</option>' in page
    assert "March" not in page


# --- Staff stay English ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ACCEPT_LANGUAGE": "es"}, {}],
    ids=["browser in Spanish", "language cookie Spanish"],
)
def test_staff_pages_are_english_whatever_the_browser_or_cookie_says(doctor_client, headers):
    doctor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = doctor_client.get("/staff/screening/submission/", **headers)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="en"' in html
    assert "Enviado" not in html and "Buscar" not in html
    assert "Accept-Language" not in page.get("Vary", "")


def test_the_staff_sign_in_page_is_english_for_a_spanish_browser(client):
    page = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en"' in page.content.decode()
    assert "Iniciar sesión" not in page.content.decode()


# --- What is stored ----------------------------------------------------------------------------


def _send_in(client, language: str, answers: dict) -> Submission:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    put_draft(client, answers)
    response = client.post("/review/", SIGNED)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.get(draft_key=client.session["screening_submitted"]["draft_key"])


def test_the_submission_stores_the_language_and_the_hash_of_the_declaration_shown():
    answers = full_answers(email="ana@example.org", unencrypted_contact_consent="yes")
    spanish = _send_in(Client(), "es", answers)
    english = _send_in(Client(), "en", answers)

    assert (spanish.language, english.language) == ("es", "en")
    declaration = declaration_for(CURRENT_VERSION)
    # The version and the hash of the English source are the same for both ...
    assert spanish.declaration_version == english.declaration_version
    assert spanish.declaration_sha256 == english.declaration_sha256 == declaration.sha256
    # ... and each records the hash of the wording the patient actually read.
    assert english.declaration_text_sha256 == declaration.sha256
    assert spanish.declaration_text_sha256 == _sha256(SPANISH_DECLARATION_2026_12)
    # The answers are the same keys, dates and text in either language.
    assert spanish.answers == english.answers


def test_the_spanish_declaration_of_a_signed_version_is_frozen():
    assert declaration_for(CURRENT_VERSION).text_in("es") == SPANISH_DECLARATION_2026_12


def test_an_unknown_language_is_stored_as_the_clinics():
    from screening.patient.submission import submission_create

    submission = submission_create(
        draft_key="6b7e2f44-7c1d-4f5e-9a0b-1c2d3e4f5a6b",
        answers=full_answers(),
        today=__import__("datetime").date.today(),
        signature_name="Ana Ruiz",
        language="xx",
    )
    assert submission.language == "en"


# --- Emails ----------------------------------------------------------------------------------


def test_the_receipt_is_in_the_language_answered_in():
    answers = full_answers(email="ana@example.org", unencrypted_contact_consent="yes")
    submission = _send_in(Client(), "es", answers)
    subject, body, _to = notifications.receipt_message(submission)
    assert subject.startswith("Recibimos sus respuestas")
    assert f"Su número de referencia: {submission.reference}" in body
    staff_subject, staff_body, _ = notifications.new_submission_message(submission)
    assert staff_subject.startswith(("New pre-screening", "Unassigned pre-screening"))
    assert "Reference:" in staff_body


def test_an_invitation_in_spanish_is_written_and_opened_in_spanish(client):
    mail.outbox.clear()
    link = invite(language="es")
    invitation = Invitation.objects.get()
    subject, body, _ = notifications.invitation_message(invitation, reminder=False)
    assert subject.startswith("Unas preguntas antes de su consulta")
    assert "Este enlace es personal" in body
    reminder_subject, _, _ = notifications.invitation_message(invitation, reminder=True)
    assert reminder_subject.startswith("Recordatorio:")

    opened = client.get(link)
    assert opened.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get("/").content.decode()


def test_the_resume_link_email_is_in_the_language_the_patient_saved_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    put_draft(client, full_answers(), steps=current().first_visit_sections[:1])
    client.post("/save/", {"email": "ana@example.org"})
    saved = SavedDraft.objects.get()
    assert saved.language == "es"
    subject, body, _ = notifications.resume_link_message(saved)
    assert subject.startswith("Continúe sus preguntas")
    assert "fecha de nacimiento" in body


# --- Staff see which language --------------------------------------------------------------


def test_staff_see_answered_in_spanish_on_the_queue_review_print_and_export(doctor_client):
    answers = full_answers(goals_text="Quiero una piel más lisa.")
    submission = _send_in(Client(), "es", answers)
    queue = doctor_client.get("/staff/screening/submission/").content.decode()
    assert "answered in Spanish" in queue
    review = doctor_client.get(f"/staff/screening/submission/{submission.pk}/change/")
    html = review.content.decode()
    assert "Answered in" in html and "Spanish" in html
    assert "Quiero una piel más lisa." in html  # free text as typed
    assert "Yes" in html and "Sí" not in html  # the labels in English
    printed = doctor_client.get(f"/staff/screening/submission/{submission.pk}/print/")
    assert "Spanish" in printed.content.decode()
    from screening.records.export import submissions_csv

    exported = submissions_csv(Submission.objects.all())
    header, row = exported.splitlines()[:2]
    assert "answered_in" in header.split(",")
    assert row.split(",")[header.split(",").index("answered_in")] == "es"


def test_every_email_a_spanish_patient_gets_is_all_spanish(client):
    from tests.patient.test_spanish_pages import ENGLISH_WORDS

    link = invite(language="es")
    invitation = Invitation.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    put_draft(client, full_answers(), steps=current().first_visit_sections[:1])
    client.post("/save/", {"email": "ana@example.org"})
    answers = full_answers(email="ana@example.org", unencrypted_contact_consent="yes")
    messages = [
        notifications.invitation_message(invitation, reminder=False),
        notifications.invitation_message(invitation, reminder=True),
        notifications.resume_link_message(SavedDraft.objects.get()),
        notifications.receipt_message(_send_in(Client(), "es", answers)),
    ]
    for subject, body, _to in messages:
        text = f"{subject}\n{body}".replace(settings.CLINIC_NAME, "")
        text = "\n".join(line for line in text.splitlines() if "://" not in line)
        assert not ENGLISH_WORDS.search(text), (ENGLISH_WORDS.search(text), text)
    assert link


def test_an_invited_patient_who_switches_gets_reminders_in_the_new_language(client):
    link = invite(language="en")
    client.get(link)
    first = current().first_visit_sections[0]
    client.post(step_url(first), {**post_data_for(first, full_answers()), "nav": "next"})
    _choose(client, "es", step_url(current().first_visit_sections[1]))
    invitation = Invitation.objects.get()
    assert invitation.language == "es"
    assert invitation.draft.language == "es"
    subject, _body, _ = notifications.invitation_message(invitation, reminder=True)
    assert subject.startswith("Recordatorio:")


def test_switching_without_a_saved_draft_changes_no_invitation(client):
    invite(language="en")
    _choose(client, "es")
    assert Invitation.objects.get().language == "en"


def test_the_demo_clinic_has_a_patient_who_answered_in_spanish(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=__import__("io").StringIO())
    spanish = Submission.objects.get(language="es")
    assert spanish.answers["anything_else_text"].startswith("Tuve un fuego")
    assert spanish.declaration_text_sha256 == _sha256(SPANISH_DECLARATION_2026_12)
