"""The front desk's day: invitations and submissions by appointment time (no answers, no flags,
no order that reveals them); unlock from the invitation's page; invitations found by name
without the name in an address; filters for the coming days."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from screening.invitations import service as invitations
from screening.models import AuditEvent, Invitation, SavedDraft, Submission

pytestmark = pytest.mark.django_db

TODAY = "/staff/screening/invitation/today/"
LIST = "/staff/screening/invitation/"


def _at(days: int, hour: int, minute: int = 0):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _invite(last_name, at, **extra):
    return invitations.invitation_create(
        actor=None,
        first_name="Pat",
        last_name=last_name,
        email=f"{last_name}@example.org",
        appointment_at=at,
        **extra,
    ).invitation


@pytest.fixture
def front_desk(client, make_staff):
    client.force_login(make_staff("Front desk"))
    return client


def test_the_day_lists_invitations_and_submissions_by_time_without_flags(
    front_desk, make_staff, submit_answers
):
    make_staff("Provider", level="physician")
    late = _invite("Zeta", _at(0, 16))
    early = _invite("Alpha", _at(0, 9))
    _invite("Tomorrow", _at(1, 9))
    walk_in = submit_answers(last_name="Walker", cold_sore_now="yes", keloid_history="yes")
    Submission.objects.filter(pk=walk_in.pk).update(appointment_at=_at(0, 12))
    answered = submit_answers(last_name="Zeta")
    Invitation.objects.filter(pk=late.pk).update(submission=answered)
    page = front_desk.get(TODAY).content.decode()
    assert page.index("Alpha, Pat") < page.index("Walker") < page.index("Zeta, Pat")
    assert "Tomorrow" not in page.split("<tbody>")[1]
    assert answered.reference in page and walk_in.reference in page
    for medical in ("priority", "HSV", "severity", "Cold sore", "flag"):
        assert medical not in page.split('id="content-main"')[1], medical
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    tomorrows = front_desk.get(TODAY, {"day": tomorrow}).content.decode()
    # Tomorrow's, always ahead whatever the hour the test runs at (today's 9:00 may have passed).
    assert "Tomorrow, Pat" in tomorrows and "Invited, not started" in tomorrows
    assert early.pk


def test_a_provider_has_no_front_desk_day(client, make_staff):
    client.force_login(make_staff("Provider", level="physician"))
    assert client.get(TODAY).status_code == 403


def test_a_locked_invitation_is_unlocked_from_its_own_page(front_desk, make_staff):
    invitation = _invite("Ruiz", _at(3, 10))
    SavedDraft.objects.create(
        key="6f1b0c53-4c69-4d45-9d7e-9e3c1b5c2a10",
        invitation=invitation,
        answers={},
        expires_at=_at(4, 10),
        locked_at=timezone.now(),
        birth_date_failures=5,
    )
    page = front_desk.get(f"{LIST}{invitation.pk}/change/").content.decode()
    unlock = f"{LIST}{invitation.pk}/unlock/"
    assert f'action="{unlock}"' in page
    response = front_desk.post(unlock, follow=True)
    assert "Unlocked" in response.content.decode()
    assert SavedDraft.objects.get().locked_at is None
    assert AuditEvent.objects.filter(action="unlocked").exists()
    assert (
        f'action="{unlock}"'
        not in front_desk.get(f"{LIST}{invitation.pk}/change/").content.decode()
    )
    assert front_desk.get(unlock).status_code == 405


def test_invitations_are_found_by_name_and_the_name_stays_out_of_the_address(front_desk):
    _invite("Ruiz", _at(3, 10))
    _invite("Okafor", _at(3, 11))
    response = front_desk.post(f"{LIST}search/", {"q": "ruiz"})
    assert response.status_code == 302 and "ruiz" not in response["Location"].lower()
    page = front_desk.get(response["Location"]).content.decode()
    assert "Ruiz" in page and "Okafor" not in page.split('id="result_list"')[1]
    typed = front_desk.get(LIST, {"q": "Okafor"})
    assert typed.status_code == 302 and "Okafor" not in typed["Location"]


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        ("", {"Past", "Today", "Tomorrow", "Week", "Later"}),
        ("today", {"Today"}),
        ("tomorrow", {"Tomorrow"}),
        ("week", {"Today", "Tomorrow", "Week"}),
        ("later", {"Later"}),
        ("past", {"Past"}),
    ],
)
def test_the_appointment_filter_offers_the_coming_days(front_desk, when, shown):
    for name, days in (("Past", -1), ("Today", 0), ("Tomorrow", 1), ("Week", 6), ("Later", 7)):
        Invitation.objects.filter(pk=_invite(name, _at(0, 23, 30)).pk).update(
            appointment_at=_at(days, 23, 30) if days else _at(0, 23, 30)
        )
    page = front_desk.get(LIST, {"when": when} if when else {}).content.decode()
    rows = page.split('id="result_list"')[1].split("</table>")[0]
    assert {
        name for name in ("Past", "Today", "Tomorrow", "Week", "Later") if f">{name}<" in rows
    } == shown
