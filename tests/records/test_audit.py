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


# --- The gaps in the trail ----------------------------------------------------------------------

QUEUE = "/staff/screening/submission/"


@pytest.fixture
def two_providers(make_staff):
    return (
        make_staff("Provider", level="physician", username="provider-a"),
        make_staff("Provider", level="physician", username="provider-b"),
    )


@pytest.fixture
def of_provider_a(two_providers, submit_answers):
    from screening.models import Submission

    submission = submit_answers(pregnancy_status="pregnant")
    Submission.objects.filter(pk=submission.pk).update(assigned_provider=two_providers[0].provider)
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize(
    ("suffix", "page"),
    [("change/", "submission page"), ("print/", "print view"), ("decide/", "decision page")],
)
def test_a_provider_refused_another_providers_submission_is_audited(
    client, two_providers, of_provider_a, suffix, page
):
    client.force_login(two_providers[1])
    response = client.get(f"{QUEUE}{of_provider_a.pk}/{suffix}")
    assert response.status_code in (302, 403, 404)
    event = AuditEvent.objects.get(action="refused")
    assert (event.actor, event.submission, event.detail) == (two_providers[1], of_provider_a, page)


def test_opening_the_decision_page_is_audited(client, two_providers, of_provider_a):
    client.force_login(two_providers[0])
    assert client.get(f"{QUEUE}{of_provider_a.pk}/decide/").status_code == 200
    assert AuditEvent.objects.filter(
        action="decision_opened", actor=two_providers[0], submission=of_provider_a
    ).exists()


def test_queue_filters_and_searches_are_audited_without_the_search_text(
    client, two_providers, of_provider_a
):
    client.force_login(two_providers[0])
    client.get(f"{QUEUE}?status=all&flag=PREGNANT&severity=2")
    client.post(f"{QUEUE}search/", {"q": "Patient"}, follow=True)
    details = list(AuditEvent.objects.filter(action="searched").values_list("detail", flat=True))
    assert details == ["queue: search", "queue: flag, severity, status=all"]
    assert not AuditEvent.objects.filter(detail__icontains="Patient").exists()


def test_the_privacy_officer_sees_no_flag_code_or_outcome(
    client, make_staff, two_providers, of_provider_a
):
    client.force_login(two_providers[0])
    flag = of_provider_a.flags.get(code="PREGNANT")
    client.post(
        f"{QUEUE}{of_provider_a.pk}/decide/",
        {
            "acknowledge": [flag.pk],
            "modality": "none",
            "outcome": "not_recommended_now",
            "provider_skin_type": "II",
        },
    )
    assert AuditEvent.objects.filter(action="decided").exists()
    client.force_login(make_staff("Privacy officer"))
    page = client.get(EVENTS).content.decode()
    assert "Acknowledged flag" in page and "Decided" in page
    for health_data in ("PREGNANT", "not_recommended_now", "Not recommended", "priority"):
        assert health_data not in page


def test_the_queryset_refuses_bulk_updates_and_deletes(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all()._raw_delete(using="default")
    assert AuditEvent.objects.get(pk=event.pk).detail == event.detail


def test_a_submission_with_audit_events_cannot_be_deleted(event):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        event.submission.delete()


def test_control_characters_in_a_detail_are_replaced_not_refused(db):
    from screening.models import AuditEvent
    from screening.records import audit

    event = audit.record(action="refused", detail="FHIR API GET /fhir/R4/x\x00y\x1b")
    assert AuditEvent.objects.get(pk=event.pk).detail == "FHIR API GET /fhir/R4/x?y?"
