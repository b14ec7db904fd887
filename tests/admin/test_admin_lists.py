"""The clinic admin's lists and choosers: providers with their level, only those qualified,
deactivated ones gone from every chooser; the mail queue in words; the decisions list by patient;
one API token per name."""

import re

import pytest

from screening.mail import notifications
from screening.mail.tasks import queue_email
from screening.models import Submission

pytestmark = pytest.mark.django_db

PRIORITY = {"cold_sore_now": "yes", "keloid_history": "yes"}


@pytest.fixture
def clinic_admin(client, make_staff):
    client.force_login(make_staff("Clinic admin", username="clinicadmin"))
    return client


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_the_assignment_chooser_shows_levels_and_only_the_qualified(
    clinic_admin, make_staff, submit_answers
):
    make_staff("Provider", level="physician", username="okafor")
    make_staff("Provider", level="nurse", username="lee")
    make_staff("Provider", level="physician", username="gone", is_active=False)
    priority = submit_answers(**PRIORITY)
    plain = submit_answers()
    Submission.objects.filter(pk__in=[priority.pk, plain.pk]).update(assigned_provider=None)
    page = clinic_admin.get(f"/staff/screening/submission/{priority.pk}/change/").content.decode()
    assert _options(page, "assigned_provider") == ["---------", "Dr okafor, MD (Physician (MD/DO))"]
    page = clinic_admin.get(f"/staff/screening/submission/{plain.pk}/change/").content.decode()
    assert _options(page, "assigned_provider") == [
        "---------",
        "Dr lee, MD (Registered nurse)",
        "Dr okafor, MD (Physician (MD/DO))",
    ]


def test_deactivating_a_provider_says_how_many_went_back_to_needs_assignment(
    clinic_admin, make_staff, submit_answers
):
    doctor = make_staff("Provider", level="physician", username="okafor")
    submit_answers(), submit_answers()
    provider = doctor.provider
    response = clinic_admin.post(
        f"/staff/screening/provider/{provider.pk}/change/",
        {"display_name": provider.display_name, "credential": "MD", "level": "physician"},
        follow=True,
    )
    page = response.content.decode()
    assert (
        "Dr okafor is deactivated: 2 open submissions went back to &quot;Needs assignment&quot;"
        in page
    )
    invite = clinic_admin.get("/staff/screening/invitation/add/").content.decode()
    assert "Dr okafor" not in invite  # gone from the invitation's chooser too


def test_the_invitation_chooser_names_levels_of_active_providers_only(clinic_admin, make_staff):
    make_staff("Provider", level="nurse", username="lee")
    make_staff("Provider", level="physician", username="gone", is_active=False)
    page = clinic_admin.get("/staff/screening/invitation/add/").content.decode()
    assert _options(page, "provider") == ["---------", "Dr lee, MD (Registered nurse)"]


def test_the_mail_queue_says_which_email_about_what(clinic_admin, submit_answers, make_staff):
    make_staff("Provider", level="physician")
    submission = submit_answers()  # queues the new-submission email
    nurse = make_staff("Front desk", username="nurse")
    queue_email(kind=notifications.PASSWORD_LINK, object_id=nurse.pk)
    page = clinic_admin.get("/staff/django_tasks_database/dbtaskresult/").content.decode()
    assert "New submission (to staff)" in page
    assert f"submission {submission.reference}" in page
    assert "Password link (to staff)" in page and "staff account nurse" in page
    assert "Waiting to be sent" in page
    assert "send_email" not in page


def test_the_decisions_list_names_the_patient(client, make_staff, submit_answers):
    from screening.models import Decision

    doctor = make_staff("Provider", level="physician")
    submission = submit_answers(first_name="Zoe", last_name="Quill")
    Decision.objects.create(
        submission=submission, provider=doctor.provider, outcome="needs_in_person", modality="none"
    )
    client.force_login(doctor)
    page = client.get("/staff/screening/decision/").content.decode()
    assert "Quill, Zoe" in page


def test_a_second_api_token_with_the_same_name_is_refused(clinic_admin):
    from screening.models import ApiToken

    first = clinic_admin.post(
        "/staff/screening/apitoken/add/", {"name": "EHR", "scopes": ["Questionnaire"]}
    )
    assert first.status_code == 200
    again = clinic_admin.post(
        "/staff/screening/apitoken/add/", {"name": " ehr ", "scopes": ["Questionnaire"]}
    )
    assert "A token with this name is in use" in again.content.decode()
    assert ApiToken.objects.count() == 1


def test_the_token_service_refuses_a_name_in_use_and_allows_a_revoked_ones(make_staff):
    from screening.fhir.tokens import TokenNameTaken, api_token_create, api_token_revoke

    admin_user = make_staff("Clinic admin")
    scopes = ["Questionnaire"]
    first = api_token_create(name="EHR", scopes=scopes, actor=admin_user).token
    with pytest.raises(TokenNameTaken):
        api_token_create(name="EHR", scopes=scopes, actor=admin_user)
    api_token_revoke(token=first, actor=admin_user)
    assert api_token_create(name="EHR", scopes=scopes, actor=admin_user).token.name == "EHR"


def test_the_print_view_names_the_clinic_with_a_print_button_and_a_way_back(
    client, make_staff, submit_answers, settings
):
    settings.CLINIC_NAME = "Harbour Lane Dermatology"
    doctor = make_staff("Provider", level="physician")
    submission = submit_answers()
    client.force_login(doctor)
    page = client.get(f"/staff/screening/submission/{submission.pk}/print/").content.decode()
    assert "Harbour Lane Dermatology" in page
    assert '<button type="button" data-print hidden>Print</button>' in page
    assert "admin-extra/print_button.js" in page
    assert f'href="/staff/screening/submission/{submission.pk}/change/">Back to the review' in page
