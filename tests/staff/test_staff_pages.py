"""The staff pages around an account (set-password, reset) carry the clinic's name and say the
password rules; a page a staff member may not open, or that is not there, says so plainly in the
workspace's look."""

import pytest
from django.contrib.auth.models import User

from screening.mail import notifications
from tests.task_queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def set_password_page(client, make_staff, settings, mailoutbox):
    settings.CLINIC_NAME = "Harbour Lane Dermatology"
    nurse = make_staff("Front desk")
    nurse.set_unusable_password()
    nurse.save()
    link = notifications.password_link(nurse)
    form_url = client.get(link.removeprefix(settings.SCREENING_STAFF_BASE_URL.rstrip("/"))).url
    return client.get(form_url).content.decode()


def test_the_set_password_page_carries_the_clinic_name_not_django(set_password_page):
    assert "Harbour Lane Dermatology" in set_password_page
    assert "Django administration" not in set_password_page
    assert "Django site admin" not in set_password_page


def test_the_set_password_page_states_the_rules_before_the_password_is_typed(set_password_page):
    rules = set_password_page.index('id="password-rules"')
    assert rules < set_password_page.index('name="new_password1"')
    assert "at least 12 characters" in set_password_page
    assert "can’t be entirely numeric" in set_password_page


def test_a_used_link_says_what_to_do(client, make_staff, settings):
    nurse = make_staff("Front desk")
    page = client.get(f"/staff/auth/user/reset/{'MQ'}/not-a-token/", follow=True).content.decode()
    assert "Ask your clinic admin to send you a new one." in page
    assert settings.CLINIC_NAME in page
    assert nurse  # the account exists; the link does not fit it


def test_the_password_email_names_the_clinic(client, make_staff, settings, mailoutbox):
    settings.CLINIC_NAME = "Harbour Lane Dermatology"
    admin_user = make_staff("Clinic admin")
    client.force_login(admin_user)
    nurse = make_staff("Front desk")
    client.post(
        "/staff/auth/user/", {"action": "send_password_link", "_selected_action": [nurse.pk]}
    )
    run_queued_tasks()
    (message,) = mailoutbox
    assert (
        "Harbour Lane Dermatology" in message.subject and "Harbour Lane Dermatology" in message.body
    )


def test_another_providers_patient_is_a_plain_no_access_page(client, make_staff, submit_answers):
    mine = make_staff("Provider", level="physician")
    theirs = make_staff("Provider", level="physician")
    submission = submit_answers()
    submission.assigned_provider = theirs.provider
    submission.save(update_fields=["assigned_provider"])
    client.force_login(mine)
    response = client.get(f"/staff/screening/submission/{submission.pk}/change/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You don&#x27;t have access to this patient." in page
    assert 'id="site-name"' in page  # the workspace's look, not a bare "403 Forbidden"
    assert "Perhaps it was deleted" not in page


def test_an_object_that_is_not_there_is_a_plain_staff_404(client, make_staff):
    client.force_login(make_staff("Clinic admin"))
    response = client.get("/staff/auth/user/999999/change/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Not found" in page and 'id="site-name"' in page
    assert "Perhaps it was deleted" not in page
    assert "confirmation page" not in page  # the patients' 404 speaks of their pages
    assert User.objects.filter(pk=999999).count() == 0


def test_a_staff_page_refused_by_role_is_styled_and_plain(client, make_staff):
    client.force_login(make_staff("Front desk"))
    response = client.get("/staff/screening/auditevent/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You don&#x27;t have access to this page." in page and 'id="site-name"' in page
