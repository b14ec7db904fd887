"""One client address for the rate limit, the audit trail and the login lockout, behind proxies.

The requests carry X-Forwarded-For as our proxy would write it: whatever the client sent, then
the address the proxy saw appended on the right; REMOTE_ADDR is the proxy itself.
"""

import pytest

from clinic.client_address import client_address
from screening.models import AuditEvent
from screening.records import audit
from throttle import buckets

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
QUEUE = "/staff/screening/submission/"
PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
COLLEAGUE = "198.51.100.5"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def through_proxy(client_sent: str, seen: str) -> dict:
    """The headers our one proxy passes on: the client's header with the address it saw appended."""
    chain = f"{client_sent}, {seen}" if client_sent else seen
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def fail_login(client, username, *, client_sent="", seen=ATTACKER):
    return client.post(
        LOGIN, {"username": username, "password": "wrong"}, **through_proxy(client_sent, seen)
    )


@pytest.fixture
def doctor(make_staff):
    user = make_staff("Provider", level="physician", username="doctor")
    user.set_password("correct horse battery")
    user.save()
    return user


def test_failed_logins_from_one_client_do_not_lock_out_colleagues_behind_the_proxy(
    client, doctor, behind_one_proxy
):
    for number in range(6):
        fail_login(client, f"guess{number}")
    response = client.post(
        LOGIN,
        {"username": "doctor", "password": "correct horse battery"},
        **through_proxy("", COLLEAGUE),
    )
    assert response.status_code == 302
    assert client.get(QUEUE, **through_proxy("", COLLEAGUE)).status_code == 200


def test_forged_leftmost_entries_do_not_escape_the_address_lockout(
    client, doctor, behind_one_proxy, settings
):
    for number in range(settings.STAFF_LOGIN_ADDRESS_USERNAMES):
        fail_login(client, f"guess{number}", client_sent=f"192.0.2.{number}, 192.0.2.200")
    refused = client.post(
        LOGIN,
        {"username": "doctor", "password": "correct horse battery"},
        **through_proxy("192.0.2.99", ATTACKER),
    )
    assert refused.status_code == 429


def test_the_audit_trail_records_the_client_not_the_proxy(client, doctor, behind_one_proxy):
    fail_login(client, "doctor", client_sent="192.0.2.7")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.client_address == ATTACKER


def test_without_trusted_proxies_the_header_is_ignored_everywhere(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.post("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert client_address(request) == audit.client_address(request) == "192.0.2.1"


def test_throttle_audit_and_lockout_share_the_one_function(rf, behind_one_proxy):
    from axes.helpers import get_client_ip_address

    request = rf.post("/", **through_proxy("6.6.6.6", ATTACKER))
    assert buckets.client_address is client_address
    assert audit.client_address(request) == get_client_ip_address(request) == ATTACKER


def test_an_entry_that_is_not_an_address_where_our_proxy_writes_falls_back(rf, behind_one_proxy):
    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-address")
    assert client_address(request) == PROXY


# --- a wrong DJANGO_TRUSTED_PROXY_COUNT shows in the log, once ------------------------------------


@pytest.fixture
def fresh_warnings(monkeypatch, caplog):
    import clinic.client_address

    monkeypatch.setattr(clinic.client_address, "_warned", set())
    caplog.set_level("WARNING", logger="clinic.client_address")
    return caplog


def test_a_proxys_header_with_a_count_of_zero_is_warned_about_once(rf, settings, fresh_warnings):
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(3):
        client_address(rf.get("/", **through_proxy("", ATTACKER)))
    [record] = fresh_warnings.records
    assert "DJANGO_TRUSTED_PROXY_COUNT is 0" in record.getMessage()


def test_a_header_sent_straight_to_the_app_by_a_client_is_not_a_misconfiguration(
    rf, settings, fresh_warnings
):
    settings.TRUSTED_PROXY_COUNT = 0
    client_address(rf.get("/", REMOTE_ADDR="93.184.216.34", HTTP_X_FORWARDED_FOR="1.2.3.4"))
    assert fresh_warnings.records == []


def test_a_count_higher_than_the_proxies_is_warned_about(rf, settings, fresh_warnings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(rf.get("/", **through_proxy("", ATTACKER))) == PROXY
    [record] = fresh_warnings.records
    assert "higher than the proxies in front" in record.getMessage()


def test_the_right_count_is_quiet(rf, behind_one_proxy, fresh_warnings):
    assert client_address(rf.get("/", **through_proxy("", ATTACKER))) == ATTACKER
    assert fresh_warnings.records == []
