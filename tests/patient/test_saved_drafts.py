"""Drafts in the database: saved at every Continue, resumed on another device behind the date of
birth, locked after 5 wrong tries; a walk-in's "Save and continue later"; purged past their date."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from screening.models import AuditEvent, Invitation, SavedDraft, Submission
from screening.questionnaire import CURRENT_VERSION, current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, start, step_url
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

ANSWERS = full_answers(date_of_birth="1984-03-27", goals_text="Fewer lines.\nEven tone.")


def _answer(client, sections, answers=ANSWERS):
    for section in sections:
        response = client.post(
            step_url(section), {**post_data_for(section, answers), "nav": "next"}
        )
        assert response.status_code == 302, section.key


def test_each_continue_saves_the_invitations_draft_in_the_database(client):
    client.get(invite())
    _answer(client, current().first_visit_sections[:2])
    saved = SavedDraft.objects.get()
    assert saved.completed == [
        current().first_visit_sections[0].key,
        current().first_visit_sections[1].key,
    ]
    assert saved.answers["date_of_birth"] == "1984-03-27"
    assert saved.questionnaire_version == CURRENT_VERSION
    assert "screening_draft" not in client.session  # the session only points at it


def test_a_second_device_confirms_the_birth_date_and_lands_where_the_patient_stopped():
    link = invite()
    phone = Client()
    phone.get(link)
    _answer(phone, current().first_visit_sections[:4])
    # a page left half-typed with Back keeps what was typed, on any device
    typed = post_data_for(current().first_visit_sections[4], ANSWERS)
    phone.post(step_url(current().first_visit_sections[4]), {**typed, "nav": "back"})

    desktop = Client()
    assert desktop.get(link)["Location"] == "/continue/"
    gate = desktop.get("/continue/")
    assert "Confirm it's you" in gate.content.decode()
    assert (
        desktop.get(step_url(current().first_visit_sections[0]))["Location"] == "/continue/"
    )  # the gate first
    opened = desktop.post("/continue/", {"date_of_birth": "1984-03-27"})
    assert opened["Location"] == "/continue/"
    assert desktop.get("/continue/")["Location"] == step_url(
        current().first_visit_sections[4]
    )  # where they stopped
    stopped_at = desktop.get(step_url(current().first_visit_sections[4])).content.decode()
    for question in current().first_visit_sections[4].questions:
        value = ANSWERS.get(question.id)
        if question.kind.name == "TEXT" and value:
            assert value in stopped_at, question.id  # typed on the phone, kept
    for section in current().first_visit_sections[:3]:
        page = desktop.get(step_url(section)).content.decode()
        for question in section.questions:
            value = ANSWERS.get(question.id)
            if isinstance(value, str) and value and question.kind.name in {"TEXT", "EMAIL"}:
                assert value in page, question.id
    _answer(desktop, current().first_visit_sections[4:])
    assert desktop.post("/review/", SIGNED)["Location"] == "/thank-you/"
    submission = Submission.objects.get()
    assert submission.answers == ANSWERS  # every answer kept, across two devices
    assert submission.answers["goals_text"] == "Fewer lines.\nEven tone."


def test_five_wrong_birth_dates_lock_the_invitation_and_the_front_desk_sees_it(
    client, make_staff, settings
):
    settings.SCREENING_RESUME_MAX_FAILURES = 5
    link = invite()
    starter = Client()
    starter.get(link)
    _answer(starter, current().first_visit_sections[:1])

    client.get(link)
    for attempt in range(1, 5):
        wrong = client.post("/continue/", {"date_of_birth": "1984-03-28"})
        assert wrong.status_code == 200, attempt
        assert "match the one in your answers" in wrong.content.decode()
    assert SavedDraft.objects.get().locked_at is None  # the boundary: 4 wrong tries still open
    fifth = client.post("/continue/", {"date_of_birth": "1984-03-28"})
    assert fifth["Location"] == "/locked/"
    locked = SavedDraft.objects.get()
    assert locked.locked_at is not None
    # now even the right date, and the device that started it, are refused
    assert client.post("/continue/", {"date_of_birth": "1984-03-27"})["Location"] == "/locked/"
    assert starter.get(step_url(current().first_visit_sections[1]))["Location"] == "/"
    assert Client().get(link)["Location"] == "/locked/"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BIRTH_DATE_FAILED).count() == 5
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED).count() == 1
    assert not AuditEvent.objects.filter(detail__contains="1984").exists()

    front_desk = Client()
    front_desk.force_login(make_staff("Front desk"))
    listing = front_desk.get("/staff/screening/invitation/?progress=locked%3A+wrong+dates+of+birth")
    assert "locked: wrong dates of birth" in listing.content.decode()
    invitation = Invitation.objects.get()
    front_desk.post(
        "/staff/screening/invitation/",
        {"action": "unlock", "_selected_action": [invitation.pk]},
    )
    assert SavedDraft.objects.get().locked_at is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCKED).exists()
    assert client.post("/continue/", {"date_of_birth": "1984-03-27"})["Location"] == "/continue/"


def test_a_right_date_resets_the_count_of_wrong_ones(client):
    link = invite()
    starter = Client()
    starter.get(link)
    _answer(starter, current().first_visit_sections[:1])
    client.get(link)
    for _ in range(4):
        client.post("/continue/", {"date_of_birth": "2000-01-01"})
    client.post("/continue/", {"date_of_birth": "1984-03-27"})
    assert SavedDraft.objects.get().birth_date_failures == 0


def test_a_walk_in_saves_for_later_and_resumes_on_another_device(client, settings):
    settings.SCREENING_SAVED_DRAFT_DAYS = 14
    start(client)
    first_step = client.get(step_url(current().first_visit_sections[0])).content.decode()
    assert "Save and continue later" not in first_step  # nothing to check them by yet
    _answer(client, current().first_visit_sections[:2])
    step = client.get(step_url(current().first_visit_sections[2])).content.decode()
    assert "Save and continue later" in step
    typed = post_data_for(current().first_visit_sections[2], ANSWERS)
    assert (
        client.post(step_url(current().first_visit_sections[2]), {**typed, "nav": "save"})[
            "Location"
        ]
        == "/save/"
    )
    form = client.get("/save/").content.decode()
    assert ANSWERS["email"] in form  # offered the address they gave
    assert client.post("/save/", {"email": "not-an-email"}).status_code == 200
    assert client.post("/save/", {"email": "me@example.org"})["Location"] == "/save/"
    saved = SavedDraft.objects.get()
    assert saved.invitation is None
    assert timedelta(days=13, hours=23) < saved.expires_at - timezone.now() <= timedelta(days=14)
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["me@example.org"]
    link = message.body[message.body.index("/r/") :].split()[0]
    assert "1984" not in message.body and "Fewer lines" not in message.body
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DRAFT_SAVED).exists()

    other = Client()
    assert other.get(link)["Location"] == "/continue/"
    other.post("/continue/", {"date_of_birth": "1984-03-27"})
    assert other.get("/continue/")["Location"] == step_url(current().first_visit_sections[2])
    assert other.get(step_url(current().first_visit_sections[2])).status_code == 200
    _answer(other, current().first_visit_sections[2:])
    assert other.post("/review/", SIGNED)["Location"] == "/thank-you/"
    assert Submission.objects.get().appointment_at is None
    assert SavedDraft.objects.count() == 0


def test_a_walk_in_who_never_saves_keeps_the_session_draft_only(client):
    answer_all_steps(client, ANSWERS)
    assert SavedDraft.objects.count() == 0
    assert client.post("/review/", SIGNED)["Location"] == "/thank-you/"


def test_purge_expired_erases_saved_drafts_past_their_date(client, settings):
    start(client)
    _answer(client, current().first_visit_sections[:1])
    client.post("/save/", {"email": "me@example.org"})
    client.get(invite(days_ahead=1))
    assert SavedDraft.objects.count() == 2
    call_command("purge_expired", stdout=None)
    assert SavedDraft.objects.count() == 2
    SavedDraft.objects.filter(invitation__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    Invitation.objects.update(appointment_at=timezone.now() - timedelta(days=1))
    SavedDraft.objects.filter(invitation__isnull=False).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    call_command("purge_expired", stdout=None)
    assert SavedDraft.objects.count() == 0


def test_every_step_says_the_answers_are_saved_and_warns_of_the_idle_limit(client, settings):
    settings.SCREENING_DRAFT_IDLE_MINUTES = 60
    client.get(invite())
    page = client.get(step_url(current().first_visit_sections[0])).content.decode()
    assert "Your answers are saved each time you select Continue" in page
    assert "closes after 60 minutes without activity" in page
    assert 'id="idle-warning"' in page and "hidden" in page
    start(client)
    page = client.get(step_url(current().first_visit_sections[0])).content.decode()
    assert "Your answers are saved each time you select Continue, on this device." in page


def test_the_keep_alive_refreshes_an_idle_session(client, settings):
    start(client)
    assert client.get("/still-here/").status_code == 204
    session = client.session
    draft = session["screening_draft"]
    draft["touched_at"] = (timezone.now() - timedelta(minutes=61)).isoformat()
    session["screening_draft"] = draft
    session.save()
    assert client.get("/still-here/").status_code == 410


def test_opening_a_resume_link_is_audited_and_a_locked_walk_in_may_start_again(settings):
    settings.SCREENING_RESUME_MAX_FAILURES = 1
    walk_in = Client()
    start(walk_in)
    _answer(walk_in, current().first_visit_sections[:1])
    walk_in.post("/save/", {"email": "me@example.org"})
    run_queued_tasks()
    body = mail.outbox[0].body
    link = body[body.index("/r/") :].split()[0]
    other = Client()
    other.get(link)
    assert AuditEvent.objects.get(action=AuditEvent.Action.LINK_OPENED).detail.startswith(
        "saved draft #"
    )
    assert other.post("/continue/", {"date_of_birth": "1999-09-09"})["Location"] == "/locked/"
    page = other.get("/locked/").content.decode()
    assert "Please start again from the beginning" in page
    assert "Please start again" not in Client().get("/locked/").content.decode()


def test_purge_erases_the_contact_of_invitations_past_retention(settings):
    settings.SCREENING_RETENTION_DAYS = 30
    invite()
    Invitation.objects.update(appointment_at=timezone.now() - timedelta(days=29))
    call_command("purge_expired", stdout=None)
    assert Invitation.objects.get().last_name == "Ruiz"
    Invitation.objects.update(appointment_at=timezone.now() - timedelta(days=31))
    call_command("purge_expired", stdout=None)
    erased = Invitation.objects.get()
    assert (erased.first_name, erased.last_name, erased.email, erased.phone) == ("", "", "", "")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PURGED).count() == 1


def test_a_device_left_open_says_already_sent_once_another_device_sent():
    link = invite()
    phone, desktop = Client(), Client()
    phone.get(link)
    _answer(phone, current().first_visit_sections[:1])
    desktop.get(link)
    desktop.post("/continue/", {"date_of_birth": "1984-03-27"})
    _answer(desktop, current().first_visit_sections[1:])
    desktop.post("/review/", SIGNED)
    reference = Submission.objects.get().reference
    page = phone.get(step_url(current().first_visit_sections[1])).content.decode()
    assert f"You have already sent your answers (reference {reference})" in page


def test_a_wrong_date_of_birth_says_how_many_tries_are_left(settings):
    settings.SCREENING_RESUME_MAX_FAILURES = 3
    link = invite()
    phone = Client()
    phone.get(link)
    _answer(phone, current().first_visit_sections[:1])
    desktop = Client()
    desktop.get(link)
    page = desktop.post("/continue/", {"date_of_birth": "1999-09-09"}).content.decode()
    assert "You have 2 more tries before we lock your answers to protect them." in page
    page = desktop.post("/continue/", {"date_of_birth": "1999-09-09"}).content.decode()
    assert "You have 1 more try before we lock your answers to protect them." in page
    assert desktop.post("/continue/", {"date_of_birth": "1999-09-09"})["Location"] == "/locked/"


PERSONAL = ("Ana", "Ruiz", "ana@example.org", "555 0100")


def _first_step(client) -> str:
    return client.get(step_url(current().first_visit_sections[0])).content.decode()


def test_a_link_opened_on_a_second_device_before_the_patient_started_shows_nothing_personal():
    link = invite(mobile="+1 555 0100")
    patient, other = Client(), Client()
    patient.get(link)
    assert all(value in _first_step(patient) for value in PERSONAL)  # the first opener's prefill
    assert other.get(link)["Location"] == "/continue/"
    assert other.get("/continue/")["Location"] == step_url(current().first_visit_sections[0])
    page = _first_step(other)
    assert 'name="first_name"' in page  # the empty first step: it may start, knowing nothing
    assert not [value for value in PERSONAL if value in page]


def test_opening_the_link_binds_no_device_the_first_to_save_the_first_step_is():
    link = invite()
    patient, early = Client(), Client()
    patient.get(link)
    early.get(link)  # opened before the patient started: not bound by that
    _answer(patient, current().first_visit_sections[:2])
    # The patient's answers are behind the date-of-birth check for the device that only opened.
    assert early.get(step_url(current().first_visit_sections[1]))["Location"] == "/continue/"
    gate = early.get("/continue/").content.decode()
    assert "Confirm it's you" in gate
    assert "Ruiz" not in gate and "ana@example.org" not in gate
    assert SavedDraft.objects.get().completed == [s.key for s in current().first_visit_sections[:2]]


def test_of_two_devices_saving_the_first_step_the_second_meets_the_check():
    link = invite()
    patient, other = Client(), Client()
    patient.get(link)
    other.get(link)
    first = current().first_visit_sections[0]
    _answer(patient, [first])
    late = other.post(
        step_url(first),
        {**post_data_for(first, {**ANSWERS, "date_of_birth": "1990-01-01"}), "nav": "next"},
    )
    assert late["Location"] == "/continue/"
    assert SavedDraft.objects.get().answers["date_of_birth"] == "1984-03-27"  # the first kept
    assert "Confirm it's you" in other.get("/continue/").content.decode()
    assert other.post("/continue/", {"date_of_birth": "1984-03-27"})["Location"] == "/continue/"
    assert other.get("/continue/")["Location"] == step_url(current().first_visit_sections[1])


def test_an_unstarted_draft_that_stored_the_invitations_details_shows_them_to_nobody_new():
    """Drafts made by an earlier version held the prefill as answers."""
    link = invite(mobile="+1 555 0100")
    Client().get(link)
    SavedDraft.objects.update(
        answers={"first_name": "Ana", "last_name": "Ruiz", "email": "ana@example.org"}
    )
    other = Client()
    other.get(link)
    assert not [value for value in PERSONAL if value in _first_step(other)]


def test_only_the_first_opener_of_an_unstarted_link_sets_the_patients_email_language():
    link = invite()
    patient, other = Client(), Client()
    patient.get(link)
    other.get(link)
    other.post("/language/", {"language": "es", "next": "/"})
    assert Invitation.objects.get().language == ""
    patient.post("/language/", {"language": "es", "next": "/"})
    assert Invitation.objects.get().language == "es"
