"""The front desk invites patients in the staff workspace: one by one, or by CSV upload."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from screening.mail import notifications
from screening.models import AuditEvent, Invitation
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

LINKS = "/staff/screening/invitation/links/"
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
    assert response.redirect_chain[-1][0] == LINKS
    page = response.content.decode()
    invitation = Invitation.objects.get()
    assert notifications.invitation_link(invitation) in page
    assert "text each one their link" in page
    assert mail.outbox == []
    assert notifications.invitation_link(invitation) not in front_desk.get(LINKS).content.decode()
    # Never in a cookie (the messages' included) nor in an address.
    assert all("/i/" not in morsel.value for morsel in front_desk.cookies.values())
    assert all("/i/" not in url for url, _ in response.redirect_chain)


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
    assert "Invitations created: 2; emailed: 1; to give by phone: 1." in response.content.decode()
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


def test_a_phone_only_patient_of_a_csv_upload_gets_a_link_shown_once(front_desk):
    text = (
        "last_name,first_name,email,mobile,appointment\n"
        f"Ruiz,Ana,ana@example.org,,{FUTURE} 10:30\n"
        f"Ng,Bo,,555-0100,{FUTURE} 11:00\n"
        f"Okafor,Chi,,555-0101,{FUTURE} 09:00\n"
    )
    response = _upload(front_desk, text)
    assert response.redirect_chain[-1][0] == LINKS
    page = response.content.decode()
    bo, chi = Invitation.objects.get(last_name="Ng"), Invitation.objects.get(last_name="Okafor")
    ana = Invitation.objects.get(last_name="Ruiz")
    assert notifications.invitation_link(bo) in page and notifications.invitation_link(chi) in page
    assert notifications.invitation_link(ana) not in page  # she is emailed
    assert page.index("Okafor") < page.index("Ng")  # by appointment
    assert "555-0100" in page
    shown = AuditEvent.objects.filter(action=AuditEvent.Action.LINK_SHOWN)
    assert sorted(shown.values_list("detail", flat=True)) == sorted(
        f"invitation #{pk}: link shown to give by phone" for pk in (bo.pk, chi.pk)
    )
    again = front_desk.get(LINKS).content.decode()
    assert "/i/" not in again and "No links are waiting" in again
    # The link shown works: it opens the patient's invitation.
    token = notifications.invitation_link(bo).rstrip("/").rsplit("/", 1)[1]
    from screening.invitations import service

    assert service.find(token) == bo


def test_send_again_says_what_it_did_for_each_row(front_desk, submit_answers):
    text = (
        "last_name,first_name,email,mobile,appointment\n"
        f"Ruiz,Ana,ana@example.org,,{FUTURE} 10:30\n"
        f"Ng,Bo,,555-0100,{FUTURE} 11:00\n"
        f"Diaz,Eva,eva@example.org,,{FUTURE} 12:00\n"
    )
    _upload(front_desk, text)
    front_desk.get(LINKS)  # the upload's links, shown
    eva = Invitation.objects.get(last_name="Diaz")
    Invitation.objects.filter(pk=eva.pk).update(submission=submit_answers())
    response = front_desk.post(
        "/staff/screening/invitation/",
        {
            "action": "resend_email",
            "_selected_action": list(Invitation.objects.values_list("pk", flat=True)),
        },
    )
    page = response.content.decode()
    for name, outcome in (
        ("Ruiz", "Email queued again to the address on file"),
        ("Ng", "No email address: its link is on the links page"),
        ("Diaz", "Already answered: nothing sent"),
    ):
        row = page[page.index(f"{name},") :]
        assert row[: row.index("</tr>")].count(outcome) == 1, name
    assert "Show the 1 link to give by phone" in page
    bo = Invitation.objects.get(last_name="Ng")
    assert notifications.invitation_link(bo) in front_desk.get(LINKS).content.decode()


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
    assert response.status_code == 302 and response["Location"] == LINKS
    assert "messages" not in response.cookies  # before: the link, signed but readable
    assert all("/i/" not in morsel.value for morsel in response.cookies.values())
    page = front_desk.get(response["Location"])
    assert "text each one their link" in page.content.decode()
    assert "/i/" in page.content.decode()
    assert all("/i/" not in morsel.value for morsel in page.cookies.values())
    assert "/i/" not in front_desk.get(response["Location"]).content.decode()  # once
