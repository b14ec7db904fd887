"""The audit trail is append-only and readable by the privacy officer."""

import pytest

from screening.models import AuditEvent

pytestmark = pytest.mark.django_db

EVENTS = "/staff/screening/auditevent/"


@pytest.fixture
def event(submit_answers):
    submit_answers()
    return AuditEvent.objects.get(action="submitted")


def test_the_privacy_officer_can_list_and_filter_audit_events(client, make_staff, event):
    client.force_login(make_staff("Privacy officer"))
    page = client.get(f"{EVENTS}?action__exact=submitted").content.decode()
    assert event.submission.reference in page


def test_other_roles_cannot_read_the_audit_trail(client, make_staff, event):
    for role in ("Provider", "Front desk"):
        client.force_login(make_staff(role, level="physician" if role == "Provider" else None))
        assert client.get(EVENTS).status_code == 403


def test_nobody_can_change_or_delete_an_event_through_the_admin(client, admin_user, event):
    client.force_login(admin_user)
    assert client.get(f"{EVENTS}{event.pk}/change/").status_code == 200  # read-only view
    client.post(f"{EVENTS}{event.pk}/change/", {"action": "decided", "detail": "forged"})
    assert client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "submitted"


def test_the_model_refuses_updates_and_deletes(event):
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
