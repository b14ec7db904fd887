"""The privacy officer finds a patient's trail by name and date of birth: the invitation's and
the submission's events in one list, the search audited, its text never in an address."""

import pytest
from django.test import Client

from screening.invitations import service as invitations
from screening.models import AuditEvent, Invitation, Submission
from screening.questionnaire import current
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, step_url

pytestmark = pytest.mark.django_db

TRAIL = "/staff/screening/auditevent/trail/"
ANSWERS = full_answers(first_name="Ana", last_name="Ruiz", date_of_birth="1984-03-27")


def _answer(client, sections):
    for section in sections:
        client.post(step_url(section), {**post_data_for(section, ANSWERS), "nav": "next"})


@pytest.fixture
def day_of_ana(make_staff):
    """Ana is invited, starts on her phone, someone types a wrong date of birth on another
    device, the front desk unlocks nothing (not locked) but she finishes and sends; a provider
    views and prints. Another Ana Ruiz, born another day, sent answers too."""
    make_staff("Provider", level="physician")
    link = invite(first_name="Ana", last_name="Ruiz")
    phone = Client()
    phone.get(link)
    _answer(phone, current().first_visit_sections[:2])
    other_device = Client()
    other_device.get(link)
    other_device.post("/continue/", {"date_of_birth": "1984-03-28"})
    _answer(phone, current().first_visit_sections[2:])
    assert phone.post("/review/", SIGNED)["Location"] == "/thank-you/"
    front_desk = make_staff("Front desk")
    invitations.invitation_unlock(actor=front_desk, invitation=Invitation.objects.get())
    other = Client()
    other_answers = {**ANSWERS, "date_of_birth": "1990-01-01"}
    from tests.patient_steps import start

    start(other)
    for section in current().first_visit_sections:
        other.post(step_url(section), {**post_data_for(section, other_answers), "nav": "next"})
    other.post("/review/", SIGNED)
    return Submission.objects.get(date_of_birth="1984-03-27")


def test_the_trail_joins_the_invitation_and_the_submission_events(client, make_staff, day_of_ana):
    officer = make_staff("Privacy officer")
    client.force_login(officer)
    form = client.get(TRAIL)
    assert form.status_code == 200 and 'method="post"' in form.content.decode()
    response = client.post(
        TRAIL, {"first_name": "ana", "last_name": "RUIZ ", "date_of_birth": "1984-03-27"}
    )
    page = response.content.decode()
    assert f"Submission {day_of_ana.reference}" in page
    invitation = Invitation.objects.get()
    assert f"Invitation #{invitation.pk}" in page
    for action in (
        "Invitation created",
        "Patient link opened",
        "Date of birth not confirmed",
        "Submitted",
    ):
        assert action in page, action
    other = Submission.objects.exclude(pk=day_of_ana.pk).get()
    assert other.reference not in page  # the other Ana Ruiz, born another day
    search = AuditEvent.objects.get(action=AuditEvent.Action.TRAIL_SEARCHED)
    assert search.actor == officer
    assert day_of_ana.reference in search.detail and f"invitation #{invitation.pk}" in search.detail
    assert "Ruiz" not in search.detail and "1984" not in search.detail
    assert "Ruiz" not in response.request["PATH_INFO"] and not response.request.get("QUERY_STRING")


def test_a_get_with_the_name_in_the_address_searches_nothing(client, make_staff, day_of_ana):
    client.force_login(make_staff("Privacy officer"))
    page = client.get(TRAIL, {"last_name": "Ruiz", "date_of_birth": "1984-03-27"}).content.decode()
    assert day_of_ana.reference not in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.TRAIL_SEARCHED).exists()


def test_only_the_trails_reader_may_search(client, make_staff):
    client.force_login(make_staff("Clinic admin"))
    assert (
        client.post(TRAIL, {"last_name": "Ruiz", "date_of_birth": "1984-03-27"}).status_code == 403
    )
