"""Staff forms keep the text policy of every typed text (questionnaire.text_policy): an
invitation's name, a provider's display name, an account's name, a decision's notes and a flag
comment refuse what a patient's answer refuses; an invitation's mobile needs digits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.invitations.forms import parse_csv
from screening.models import Decision, Flag, Invitation
from screening.questionnaire.text_policy import STAFF_MESSAGE, STAFF_PHONE_MESSAGE

pytestmark = pytest.mark.django_db

FUTURE = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%d")
QUEUE = "/staff/screening/submission/"
JUNK = {"ESC": "Ana\x1b[2J", "RLO": "Ana \u202eziuR", "U+FFFF": "Ana\uffff", "BEL": "Ana\x07"}


def invitation_data(**changes):
    return {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "ana@example.org",
        "phone": "",
        "appointment_at": f"{FUTURE} 10:30",
        "provider": "",
        "language": "",
        **changes,
    }


def html_has(response, message):
    from django.utils.html import escape

    return escape(message) in response.content.decode()


@pytest.mark.parametrize("junk", JUNK.values(), ids=JUNK.keys())
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_an_invitation_name_with_junk_is_refused_in_the_form_and_the_csv(
    client, make_staff, field, junk
):
    client.force_login(make_staff("Front desk"))
    response = client.post("/staff/screening/invitation/add/", invitation_data(**{field: junk}))
    assert response.status_code == 200 and html_has(response, STAFF_MESSAGE)
    csv_text = f"first_name,last_name,email,appointment\n{junk},Ruiz,a@b.org,{FUTURE} 10:30\n"
    assert parse_csv(csv_text.encode()).errors == [f"row 2: first_name: {STAFF_MESSAGE}"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("phone", ["call me", "555-CALL-NOW", "12"])
def test_an_invitation_mobile_needs_digits(client, make_staff, phone):
    client.force_login(make_staff("Front desk"))
    response = client.post(
        "/staff/screening/invitation/add/", invitation_data(email="", phone=phone)
    )
    assert response.status_code == 200 and html_has(response, STAFF_PHONE_MESSAGE)
    assert not Invitation.objects.exists()


def test_a_plain_invitation_still_passes(client, make_staff):
    client.force_login(make_staff("Front desk"))
    response = client.post(
        "/staff/screening/invitation/add/",
        invitation_data(first_name="Nguyễn Thị", phone="+1 (555) 010-0123"),
    )
    assert response.status_code == 302
    assert Invitation.objects.get().first_name == "Nguyễn Thị"


def test_a_provider_display_name_with_a_direction_override_is_refused(client, make_staff, doctor):
    client.force_login(make_staff("Clinic admin"))
    provider = doctor.provider
    response = client.post(
        f"/staff/screening/provider/{provider.pk}/change/",
        {
            "display_name": "Dr \u202eeoD",
            "credential": "MD",
            "level": "physician",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and html_has(response, STAFF_MESSAGE)
    provider.refresh_from_db()
    assert provider.display_name == "Dr doctor"


def test_an_account_name_with_escape_codes_is_refused(client, make_staff):
    client.force_login(make_staff("Clinic admin"))
    front_desk = make_staff("Front desk")
    response = client.post(
        f"/staff/auth/user/{front_desk.pk}/change/",
        {
            "username": front_desk.username,
            "first_name": "Bo\x1b[8m",
            "last_name": "Ng",
            "email": front_desk.email,
            "is_active": "on",
            "roles": ["Front desk"],
        },
    )
    assert response.status_code == 200 and html_has(response, STAFF_MESSAGE)


def test_decision_notes_and_flag_comments_keep_line_breaks_and_refuse_controls(
    client, doctor, submit_answers
):
    submission = submit_answers(cold_sore_now="yes")
    client.force_login(doctor)
    flag = submission.flags.get(code="HSV_ACTIVE")
    client.post(
        f"{QUEUE}{submission.pk}/acknowledge/",
        {"flags": [flag.pk], "comment": "Seen\x1b[2J"},
    )
    flag.refresh_from_db()
    assert flag.acknowledged_at is None
    client.post(
        f"{QUEUE}{submission.pk}/acknowledge/",
        {"flags": [flag.pk], "comment": "Seen.\nCall her."},
    )
    flag.refresh_from_db()
    assert flag.acknowledgement_comment == "Seen.\nCall her."
    decide = {
        "outcome": "proceed_with_conditions",
        "modality": "non_ablative",
        "provider_skin_type": "II",
    }
    response = client.post(f"{QUEUE}{submission.pk}/decide/", {**decide, "notes": "ok\u202e"})
    assert response.status_code == 200 and html_has(response, STAFF_MESSAGE)
    assert not Decision.objects.exists()
    response = client.post(f"{QUEUE}{submission.pk}/decide/", {**decide, "notes": "ok\n\tfine"})
    assert response.status_code == 302
    assert Decision.objects.get().notes == "ok\n\tfine"
    assert Flag.objects.filter(acknowledged_at__isnull=True, code="HSV_ACTIVE").count() == 0
