"""Invitations: the command, the token (guessing, expiry, reuse after sending), the admin and
the CSV upload, the audit trail, and tokens kept out of logs."""

import logging
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from screening.mail import link_tokens
from screening.models import AuditEvent, Invitation, SavedDraft, Submission
from screening.questionnaire import current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, step_url
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def _token(link: str) -> str:
    return link.strip("/").split("/")[-1]


def test_the_command_prints_the_link_last_and_stores_only_a_hash():
    out = StringIO()
    day = timezone.localdate() + timedelta(days=30)
    call_command(
        "invite",
        "--first-name=ANA",
        "--last-name=RUIZ",
        "--email=ana@example.org",
        f"--appointment={day} 10:30",
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    assert re.fullmatch(r"https?://[^/]+/i/[A-Za-z0-9_-]{43}/", last)
    token = _token(last)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == link_tokens.token_hash(token)
    stored = repr(list(Invitation.objects.values()))
    assert token not in stored
    assert timezone.localtime(invitation.appointment_at).strftime("%Y-%m-%d %H:%M") == (
        f"{day} 10:30"
    )


def test_a_token_carries_at_least_128_bits():
    assert len(link_tokens.new_salt()) * 4 >= 128  # hex digits
    token = link_tokens.token_for(purpose="invitation", salt=link_tokens.new_salt())
    assert len(token) * 6 >= 256 - 6  # base64url of a SHA-256 HMAC


def test_the_command_refuses_a_past_appointment_or_no_contact():
    with pytest.raises(CommandError, match="future"):
        call_command(
            "invite", first_name="A", last_name="B", email="a@b.org", appointment="2001-01-01 10:00"
        )
    with pytest.raises(CommandError, match="email address or a mobile"):
        call_command(
            "invite",
            first_name="A",
            last_name="B",
            appointment=f"{timezone.localdate() + timedelta(days=30)} 10:00",
        )


def test_the_patient_gets_the_link_by_email_and_nobody_else_does():
    link = invite()
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert link in message.body
    assert "Ruiz" not in message.body and "Ana" not in message.body


def test_opening_the_link_prefills_the_contact_and_redirects_to_a_token_free_page(client):
    link = invite()
    opened = client.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == "/continue/"
    first_step = client.get(client.get("/continue/")["Location"])
    html = first_step.content.decode()
    assert 'value="Ana"' in html and 'value="Ruiz"' in html and "ana@example.org" in html
    assert _token(link) not in html
    event = AuditEvent.objects.get(action=AuditEvent.Action.LINK_OPENED)
    assert event.detail == f"invitation #{Invitation.objects.get().pk}"


@pytest.mark.parametrize(
    "guess",
    [
        "A" * 43,
        "6V_Qof7dS9kSl6BpKBvLqhp-Xo8li9ScfOYU0gfplvU",
        "short",
    ],
)
def test_a_guessed_or_truncated_token_opens_nothing(client, guess):
    link = invite()
    for candidate in (guess, _token(link)[:-1], _token(link) + "x"):
        response = client.get(f"/i/{candidate}/")
        assert response.status_code == 404
        assert "This link doesn't work" in response.content.decode()
    assert SavedDraft.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LINK_OPENED).exists()


def test_a_link_past_its_appointment_says_so_plainly(client, settings):
    settings.SCREENING_INVITATION_GRACE_HOURS = 2
    link = invite(days_ahead=1)
    Invitation.objects.update(appointment_at=timezone.now() - timedelta(hours=2, minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    Invitation.objects.update(appointment_at=timezone.now() - timedelta(hours=1, minutes=59))
    assert client.get(link).status_code == 302  # inside the grace period it still opens


def _answer_everything(client, link, answers):
    client.get(link)
    for section in current().first_visit_sections:
        response = client.post(
            step_url(section), {**post_data_for(section, answers), "nav": "next"}
        )
        assert response.status_code == 302, section.key
    return client.post("/review/", SIGNED)


def test_the_submission_keeps_the_appointment_and_the_link_then_says_already_sent(client):
    link = invite(days_ahead=3)
    sent = _answer_everything(client, link, full_answers())
    assert sent["Location"] == "/thank-you/"
    submission = Submission.objects.get()
    invitation = Invitation.objects.get()
    assert submission.appointment_at == invitation.appointment_at
    assert invitation.submission == submission
    assert SavedDraft.objects.count() == 0  # the draft's answers are the submission's now
    for again in (client, type(client)()):  # this device, and another one
        page = again.get(link)
        assert page.status_code == 200
        html = page.content.decode()
        assert f"You have already sent your answers (reference {submission.reference})" in html
        assert "start again" not in html.lower()
        assert "Ana" not in html
    assert Submission.objects.count() == 1


def test_back_and_reload_after_sending_show_already_sent_never_the_answers(client):
    link = invite()
    _answer_everything(client, link, full_answers(goals_text="UNIQUE-GOAL-MARKER"))
    reference = Submission.objects.get().reference
    for path in (
        "/review/",
        step_url(current().first_visit_sections[-1]),
        step_url(current().first_visit_sections[0]),
        "/continue/",
    ):
        response = client.get(path, follow=True)
        html = response.content.decode()
        assert f"(reference {reference})" in html, path
        assert "UNIQUE-GOAL-MARKER" not in html
        assert "please start again" not in html.lower()


def test_every_invitation_created_is_audited():
    invite()
    event = AuditEvent.objects.get(action=AuditEvent.Action.INVITED)
    assert event.detail.startswith(f"invitation #{Invitation.objects.get().pk}")
    assert "Ruiz" not in event.detail


def test_the_token_appears_in_no_log_record_of_the_request(client, caplog):
    link = invite()
    caplog.set_level(logging.DEBUG)
    client.get(link)
    client.get(f"/i/{'B' * 43}/")  # a 404 is logged as a warning with its path
    assert any(record.getMessage() == "Not Found: /i/" for record in caplog.records)
    for record in caplog.records:
        assert _token(link) not in record.getMessage()
        assert _token(link) not in repr(vars(record))
        assert "B" * 43 not in record.getMessage()


def test_the_mask_covers_request_lines_of_the_servers():
    from clinic.log_masking import MaskLinkTokens, mask

    record = logging.LogRecord(
        "django.server", 20, "", 0, '"%s" %s', ("GET /i/abcdefgh/", 302), None
    )
    MaskLinkTokens().filter(record)
    assert record.getMessage() == '"GET /i/[token]/" 302'

    line = '"GET /i/6V_Qof7dS9kSl6BpKBvLqhp-Xo8li9ScfOYU0gfplvU/ HTTP/1.1" 302 0'
    assert mask(line) == '"GET /i/[token]/ HTTP/1.1" 302 0'
    assert mask("/r/abcdefghijklmnopqrstuvwxyz/") == "/r/[token]/"
    assert mask("/questions/about-you/") == "/questions/about-you/"
