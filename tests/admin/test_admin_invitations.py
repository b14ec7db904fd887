"""The front desk invites patients in the staff workspace: one by one, or by CSV upload."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from screening.models import AuditEvent, Invitation
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

FUTURE = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%d")


@pytest.fixture
def front_desk(client, make_staff):
    client.force_login(make_staff("Front desk"))
    return client


def _add(client, **overrides):
    data = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "ana@example.org",
        "phone": "",
        "appointment_at": f"{FUTURE} 10:30",
        "provider": "",
        "language": "es",
        **overrides,
    }
    return client.post("/staff/screening/invitation/add/", data, follow=True)


def test_the_front_desk_creates_an_invitation_and_the_patient_is_emailed(front_desk):
    response = _add(front_desk)
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.created_by is not None
    assert invitation.language == "es"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITED).count() == 1
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "/i/" in message.body
    listing = front_desk.get("/staff/screening/invitation/").content.decode()
    assert "invited, not started" in listing
    assert "/i/" not in listing  # the link is never shown again


def test_an_invitation_without_email_shows_its_link_once_for_a_text_message(front_desk):
    response = _add(front_desk, email="", phone="555-0100")
    assert "text this link to the patient" in response.content.decode()
    assert mail.outbox == []


def test_a_past_appointment_or_no_contact_is_refused(front_desk):
    assert (
        "must be in the future"
        in _add(front_desk, appointment_at="2001-01-01 10:00").content.decode()
    )
    assert "email address or a mobile" in _add(front_desk, email="").content.decode()
    assert Invitation.objects.count() == 0


def test_a_provider_cannot_invite(client, make_staff):
    client.force_login(make_staff("Provider", level="physician"))
    assert client.get("/staff/screening/invitation/add/").status_code == 403
    assert client.get("/staff/screening/invitation/upload/").status_code == 403


def _upload(client, text):
    upload = SimpleUploadedFile("visits.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post("/staff/screening/invitation/upload/", {"file": upload}, follow=True)


def test_a_csv_from_the_scheduling_system_creates_every_row(front_desk, make_staff):
    make_staff("Provider", level="physician", username="drlee")
    text = (
        "last_name,first_name,email,mobile,appointment,provider,language\n"
        f"Ruiz,Ana,ana@example.org,,{FUTURE} 10:30,drlee,es\n"
        f"Ng,Bo,,555-0100,{FUTURE} 11:00,,\n"
    )
    response = _upload(front_desk, text)
    assert "Invitations created: 2." in response.content.decode()
    ana = Invitation.objects.get(last_name="Ruiz")
    assert ana.provider.user.username == "drlee"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITED).count() == 2
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


def test_a_csv_with_a_bad_row_creates_nothing_and_names_the_row(front_desk):
    text = (
        "first_name,last_name,email,appointment\n"
        f"Ana,Ruiz,ana@example.org,{FUTURE} 10:30\n"
        "Bo,Ng,,not a date\n"
    )
    page = _upload(front_desk, text).content.decode()
    assert "row 3:" in page
    assert Invitation.objects.count() == 0
    page = _upload(front_desk, "name,when\nAna,tomorrow\n").content.decode()
    assert "missing column(s): first_name, last_name, appointment" in page


def test_the_link_of_a_phone_only_invitation_is_never_in_a_cookie(front_desk):
    response = front_desk.post(
        "/staff/screening/invitation/add/",
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "",
            "phone": "555-0100",
            "appointment_at": f"{FUTURE} 10:30",
            "provider": "",
            "language": "",
        },
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies  # before: the link, signed but readable
    assert all("/i/" not in morsel.value for morsel in response.cookies.values())
    page = front_desk.get(response["Location"])
    assert "text this link to the patient" in page.content.decode()
    assert all("/i/" not in morsel.value for morsel in page.cookies.values())
    assert "text this link" not in front_desk.get(response["Location"]).content.decode()  # once
