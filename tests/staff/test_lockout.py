"""The sign-in lockout cannot be turned against staff: it locks a username at an address, a right
password and code still get in from an address the username has signed in from, a try during the
lock does not prolong it, the staff member and the clinic admins are told (and it is audited),
and no password or authenticator code is stored by django-axes."""

import pytest
from axes.models import AccessAttempt
from django.core import mail

from screening.models import AuditEvent
from tests.staff import test_staff_sign_in as sign_in
from tests.staff.test_staff_sign_in import PASSWORD, code_of
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db

# The sign-in page as production runs it, and the doctor's authenticator.
production_admin = sign_in.production_admin
doctor = sign_in.doctor
device = sign_in.device

LOGIN = "/staff/login/"
QUEUE = "/staff/screening/submission/"
OFFICE = "198.51.100.10"
ATTACKER = "203.0.113.66"
ELSEWHERE = "192.0.2.44"
GUESS = "Tr0ub4dor&3"


def attempt(client, *, username="doctor", password=PASSWORD, code="", address=OFFICE):
    client.cookies.clear()
    return client.post(
        LOGIN + f"?next={QUEUE}",
        {"username": username, "password": password, "otp_token": code},
        REMOTE_ADDR=address,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == QUEUE


def lock(client, *, username="doctor", address=ATTACKER):
    for _ in range(5):
        attempt(client, username=username, password=GUESS, address=address)


@pytest.fixture
def known_office(client, device, production_admin):
    """The doctor has signed in from the office before."""
    assert signed_in(attempt(client, code=code_of(device), address=OFFICE))
    client.logout()
    type(device).objects.filter(pk=device.pk).update(last_t=-1)  # its code may be used again
    return OFFICE


def test_no_code_or_password_is_stored_by_axes(client, device, production_admin):
    code = code_of(device, offset=1)
    attempt(client, code=code)
    attempt(client, password="hunter2-secret", code=code_of(device))
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert stored  # the row is there, its secrets are not
    assert code not in stored and code_of(device) not in stored
    assert PASSWORD not in stored and "hunter2-secret" not in stored


def test_a_strangers_guesses_do_not_lock_a_staff_member_out_at_the_office(
    client, device, known_office
):
    lock(client, address=ATTACKER)
    assert attempt(client, code=code_of(device), address=ATTACKER).status_code == 429
    assert signed_in(attempt(client, code=code_of(device), address=known_office))


def test_the_username_stays_locked_from_an_address_it_never_signed_in_from(
    client, device, known_office
):
    lock(client, address=ATTACKER)
    assert attempt(client, code=code_of(device), address=ELSEWHERE).status_code == 429


def test_a_wrong_password_from_the_known_address_is_still_refused(client, device, known_office):
    lock(client, address=ATTACKER)
    response = attempt(client, password=GUESS, code=code_of(device), address=known_office)
    assert not signed_in(response)


def test_one_persons_typos_do_not_lock_a_colleague_at_the_same_address(
    client, make_staff, device, production_admin
):
    colleague = make_staff("Front desk", username="frontdesk")
    colleague.set_password(PASSWORD)
    colleague.save()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    theirs = TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    lock(client, username="doctor", address=OFFICE)
    assert signed_in(attempt(client, username="frontdesk", code=code_of(theirs), address=OFFICE))


def test_a_try_during_the_lock_does_not_prolong_it(client, device, production_admin):
    lock(client, address=ATTACKER)
    [before] = AccessAttempt.objects.values_list("attempt_time", "failures_since_start")
    attempt(client, password=GUESS, address=ATTACKER)
    assert list(AccessAttempt.objects.values_list("attempt_time", "failures_since_start")) == [
        before
    ]


def test_a_lockout_is_audited_once_and_told_to_the_staff_member_and_the_clinic_admins(
    client, make_staff, doctor, device, production_admin
):
    admin = make_staff("Clinic admin", username="admin")
    make_staff("Clinic admin", username="gone").__class__.objects.filter(username="gone").update(
        is_active=False
    )
    lock(client, address=ATTACKER)
    attempt(client, password=GUESS, address=ATTACKER)  # refused during the lock
    [event] = AuditEvent.objects.filter(action="sign_in_locked")
    assert (event.actor, event.client_address) == (doctor, ATTACKER)
    mail.outbox.clear()
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == [doctor.email, admin.email]
    assert "doctor" in message.body and ATTACKER in message.body
    assert PASSWORD not in message.body and GUESS not in message.body


def test_a_lockout_of_a_username_nobody_has_tells_the_clinic_admins(
    client, make_staff, production_admin
):
    admin = make_staff("Clinic admin", username="admin")
    lock(client, username="nobody", address=ATTACKER)
    [event] = AuditEvent.objects.filter(action="sign_in_locked")
    assert event.actor is None and "'nobody'" in event.detail
    mail.outbox.clear()
    run_queued_tasks()
    assert [message.to for message in mail.outbox] == [[admin.email]]
