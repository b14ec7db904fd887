"""No stored date can take a page down.

A date outside the range the forms accept may still be in the database: entered before they
checked it, or written by another tool. On PostgreSQL an appointment typed as 9999-12-31 23:59 in
the clinic's zone is stored as year 10000 in UTC, which Python cannot hold; on SQLite the latest
value Python holds overflows as soon as it is moved to the clinic's zone or a day is added. Every
page and task that lists such a row still answers.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from screening.invitations.forms import parse_csv
from screening.invitations.service import invitation_create
from screening.models import Invitation, Submission
from screening.questionnaire.date_ranges import APPOINTMENT_DAYS_AHEAD, APPOINTMENT_DAYS_BEHIND
from screening.staff.decisions import StatusRefused, submission_set_status
from tests.factories import api_token
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
INVITATIONS = "/staff/screening/invitation/"
LATEST = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
EARLIEST = datetime(1, 1, 1, 0, 1, tzinfo=UTC)


def store_out_of_range(table: str, column: str, pk: int, *, late: bool) -> None:
    """The extreme value written past the application, as another tool (or an older version of
    this one) could: beyond Python's range where the database has room for it."""
    if connection.vendor == "postgresql":
        value = "9999-12-31 23:59:00-05" if late else "0001-01-01 00:00:00+05"
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])
        return
    model = {"screening_submission": Submission, "screening_invitation": Invitation}[table]
    model.objects.filter(pk=pk).update(**{column: LATEST if late else EARLIEST})


def store_out_of_range_date(pk: int, *, late: bool) -> None:
    if connection.vendor == "postgresql":
        value = "10000-01-01" if late else "0001-01-01 BC"
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE screening_submission SET date_of_birth = %s WHERE id = %s", [value, pk]
            )
        return
    Submission.objects.filter(pk=pk).update(date_of_birth=date.max if late else date.min)


@pytest.mark.parametrize("late", [True, False], ids=["year 9999", "year 1"])
def test_the_queue_the_submission_page_and_the_fhir_search_answer(
    client, doctor, make_staff, submit_answers, late
):
    submission = submit_answers()
    store_out_of_range("screening_submission", "appointment_at", submission.pk, late=late)
    store_out_of_range("screening_submission", "signed_at", submission.pk, late=late)
    store_out_of_range_date(submission.pk, late=late)
    client.force_login(doctor)
    for url in (
        QUEUE,
        f"{QUEUE}?status=all",
        f"{QUEUE}?appointment=week",
        f"{QUEUE}{submission.pk}/change/",
        f"{QUEUE}{submission.pk}/print/",
        f"{QUEUE}{submission.pk}/decide/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(QUEUE, {"action": "export_csv", "_selected_action": [submission.pk]})
    assert response.status_code == 200
    client.force_login(make_staff("Front desk"))
    assert client.get(QUEUE).status_code == 200
    assert client.get(f"{QUEUE}{submission.pk}/change/").status_code == 200
    secret = api_token(
        owner=make_staff("Clinic admin"), approver=make_staff("Privacy officer")
    ).secret
    headers = {"Authorization": f"Bearer {secret}"}
    found = client.get("/fhir/R4/QuestionnaireResponse", headers=headers)
    assert found.status_code == 200
    assert submission.reference in found.content.decode()
    read = client.get(f"/fhir/R4/QuestionnaireResponse/{submission.reference}", headers=headers)
    assert read.status_code == 200


@pytest.mark.parametrize("late", [True, False], ids=["year 9999", "year 1"])
def test_the_invitations_list_and_its_email_answer(client, make_staff, late):
    front_desk = make_staff("Front desk")
    created = invitation_create(
        actor=front_desk,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=datetime(2030, 1, 1, 10, tzinfo=UTC),
    )
    store_out_of_range("screening_invitation", "appointment_at", created.invitation.pk, late=late)
    client.force_login(front_desk)
    for url in (
        INVITATIONS,
        f"{INVITATIONS}?progress=expired",
        f"{INVITATIONS}{created.invitation.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    run_queued_tasks()
    assert len(mail.outbox) == 1


# --- What staff and a CSV may enter ---------------------------------------------------------------


def _days_ahead(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%d")


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (lambda: _days_ahead(APPOINTMENT_DAYS_AHEAD - 1), True),
        (lambda: _days_ahead(APPOINTMENT_DAYS_AHEAD + 1), False),
        (lambda: "9999-12-31", False),
        (lambda: _days_ahead(-APPOINTMENT_DAYS_BEHIND + 1), True),
        (lambda: _days_ahead(-APPOINTMENT_DAYS_BEHIND - 1), False),
        (lambda: "0001-01-01", False),
    ],
    ids=["2 years less a day", "2 years and a day", "9999", "a year back", "over a year", "year 1"],
)
def test_the_front_desk_books_an_appointment_within_two_years_ahead_one_back(
    client, make_staff, submit_answers, day, accepted
):
    submission = submit_answers()
    client.force_login(make_staff("Front desk"))
    response = client.post(
        f"{QUEUE}{submission.pk}/change/",
        {"status": "consultation_booked", "appointment_at_0": day(), "appointment_at_1": "23:59"},
    )
    submission.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert submission.appointment_at is not None
    else:
        assert response.status_code == 200
        assert "Please check the year" in response.content.decode()
        assert submission.appointment_at is None and submission.status == "submitted"


def test_the_status_service_refuses_an_appointment_out_of_range(make_staff, submit_answers):
    submission = submit_answers()
    with pytest.raises(StatusRefused, match="two years ahead"):
        submission_set_status(
            submission=submission,
            status="consultation_booked",
            actor=make_staff("Front desk"),
            appointment_at=LATEST,
        )
    submission.refresh_from_db()
    assert submission.appointment_at is None


@pytest.mark.parametrize("day", ["9999-12-31", "2999-01-01"])
def test_an_invitation_or_a_csv_row_years_ahead_is_refused_with_the_reason(client, make_staff, day):
    client.force_login(make_staff("Front desk"))
    response = client.post(
        f"{INVITATIONS}add/",
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "ana@example.org",
            "appointment_at": f"{day} 23:59",
        },
    )
    assert "at most two years ahead" in response.content.decode()
    result = parse_csv(
        f"first_name,last_name,email,appointment\nAna,Ruiz,ana@example.org,{day} 23:59\n".encode()
    )
    assert result.rows == []
    assert result.errors == [
        "row 2: appointment_at: An appointment can be at most two years ahead. "
        "Please check the year."
    ]
    assert not Invitation.objects.exists()


def test_a_stored_appointment_at_the_edge_of_the_calendar_is_shown_for_correction(
    client, make_staff, submit_answers
):
    """The front desk opens the row and sees the stored value (in UTC where the clinic's zone
    would leave the calendar), to correct it."""
    submission = submit_answers()
    store_out_of_range("screening_submission", "appointment_at", submission.pk, late=True)
    client.force_login(make_staff("Front desk"))
    page = client.get(f"{QUEUE}{submission.pk}/change/").content.decode()
    assert 'value="9999-12-31"' in page
