"""Odd input staff pages meet: never a 500, and nothing in the audit trail but what a page offers.

A NUL in a search or a filter value, a CSV whose lines end in a lone CR or that holds a huge field,
a sign-in with a username longer than any account's: each was a 500 (on PostgreSQL, which refuses
NUL in text and a value longer than its column).
"""

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from screening.invitations.forms import parse_csv
from screening.models import AuditEvent, Invitation

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
FUTURE = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()


@pytest.fixture
def front_desk(client, make_staff):
    client.force_login(make_staff("Front desk"))
    return client


@pytest.mark.parametrize(
    "query", ["status=a%00", "appointment=%00", "assigned=x%00y", "p=%00", "o=%00", "search=%00"]
)
def test_a_nul_or_junk_in_a_queue_filter_is_no_500(doctor, client, submit_answers, query):
    submit_answers()
    client.force_login(doctor)
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code in (200, 302), response.status_code


def test_the_audit_trail_names_only_the_filter_values_the_queue_offers(doctor, client):
    client.force_login(doctor)
    client.get(f"{QUEUE}?status=a%00&appointment=today&assigned=Robert%27);DROP")
    client.get(f"{QUEUE}?status=in_review")
    details = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.SEARCHED)
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        "queue: appointment=today, assigned=?, status=?",
        "queue: status=in_review",
    ]


def test_a_nul_in_the_search_box_searches_without_it(doctor, client, submit_answers):
    submission = submit_answers(last_name="Zebedee")
    client.force_login(doctor)
    response = client.post(f"{QUEUE}search/", {"q": "Zebe\x00dee"}, follow=True)
    assert response.status_code == 200
    assert submission.reference in response.content.decode()
    assert list(client.session["staff_searches"].values()) == ["Zebedee"]


def _upload(client, data: bytes):
    upload = SimpleUploadedFile("visits.csv", data, content_type="text/csv")
    return client.post("/staff/screening/invitation/upload/", {"file": upload}, follow=True)


def test_a_csv_whose_lines_end_in_a_lone_cr_is_read(front_desk):
    text = f"first_name,last_name,email,appointment\rAna,Ruiz,ana@example.org,{FUTURE} 10:30\r"
    response = _upload(front_desk, text.encode())
    assert response.status_code == 200
    assert "Invitations created: 1; emailed: 1; to give by phone: 0." in response.content.decode()
    assert Invitation.objects.get().last_name == "Ruiz"


def test_a_csv_with_a_field_over_128_kb_is_refused_with_its_row(front_desk):
    text = f"first_name,last_name,email,appointment\nAna,{'R' * 140_000},a@b.org,{FUTURE} 10:30\n"
    response = _upload(front_desk, text.encode())
    assert response.status_code == 200
    assert "line 2: not readable as CSV (field larger than field limit" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_csv_with_a_nul_is_refused_by_the_field(front_desk):
    result = parse_csv(
        f"first_name,last_name,email,appointment\nA\x00na,Ruiz,a@b.org,{FUTURE} 10:30\n".encode()
    )
    assert result.rows == []
    assert result.errors[0].startswith("row 2: first_name:")


def test_a_sign_in_with_a_username_longer_than_any_account_is_refused_like_any_other(client):
    response = client.post("/staff/login/", {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    # Counted by the lockout like any failure, under the name cut to an account name's length.
    assert AccessAttempt.objects.get().username == "a" * 150


@pytest.mark.parametrize(
    "query",
    ["at__year=9999", "at__year=9999&at__month=12", "at__year=9999&at__month=12&at__day=31"],
)
def test_a_date_drill_down_to_the_end_of_the_calendar_is_a_wrong_lookup_not_a_500(
    client, make_staff, query
):
    client.force_login(make_staff("Privacy officer"))
    response = client.get(f"/staff/screening/auditevent/?{query}")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
