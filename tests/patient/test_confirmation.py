"""The confirmation page: what happens next, in the clinic's review time; a tel: link; the
emergency notice once; and the favicon every page links to."""

import pytest
from django.contrib.staticfiles import finders

from screening.patient.context_processors import tel_uri
from tests.factories import full_answers
from tests.patient_steps import SIGNED, put_draft

pytestmark = pytest.mark.django_db

EMERGENCY = "This form is not checked in real time."


@pytest.fixture
def confirmation(client):
    put_draft(client, full_answers())
    assert client.post("/review/", SIGNED)["Location"] == "/thank-you/"
    return client


def test_what_happens_next_says_the_clinics_review_time(confirmation, settings):
    settings.SCREENING_REVIEW_TARGET_HOURS = 24
    page = confirmation.get("/thank-you/").content.decode()
    assert "What happens next" in page
    assert "reviews your answers within 24 hours." in page


def test_the_review_time_defaults_to_48_hours():
    from clinic import settings as project_settings

    assert project_settings.SCREENING_REVIEW_TARGET_HOURS == 48


def test_the_clinic_phone_is_a_tel_link_and_the_emergency_notice_shows_once(confirmation):
    page = confirmation.get("/thank-you/").content.decode()
    assert 'href="tel:5550100199"' in page
    assert page.count(EMERGENCY) == 1


@pytest.mark.parametrize("path", ["/", "/privacy/"])
def test_other_pages_show_the_emergency_notice_once_and_link_the_favicon(client, path):
    page = client.get(path).content.decode()
    assert page.count(EMERGENCY) == 1
    assert 'rel="icon"' in page and "screening/favicon.svg" in page
    assert 'href="tel:' in page


def test_the_favicon_is_a_static_file():
    assert finders.find("screening/favicon.svg")


@pytest.mark.parametrize(
    ("phone", "uri"),
    [("(555) 010-0199", "tel:5550100199"), ("+1 555 010 0199", "tel:+15550100199")],
)
def test_tel_uri(phone, uri):
    assert tel_uri(phone) == uri


def test_the_patient_may_see_their_own_answers_to_print_from_that_session_only(confirmation):
    from django.test import Client

    from screening.models import Submission

    submission = Submission.objects.get()
    page = confirmation.get("/thank-you/").content.decode()
    assert 'href="/thank-you/your-answers/"' in page
    copy = confirmation.get("/thank-you/your-answers/")
    assert copy.status_code == 200
    html = copy.content.decode()
    assert submission.reference in html
    assert submission.answers["first_name"] in html
    assert "Signed: Ana Ruiz" in html
    assert copy["Cache-Control"].startswith("no-store") or "no-store" in copy["Cache-Control"]
    # Another browser, even knowing the address and the reference, sees nothing.
    assert Client().get("/thank-you/your-answers/").status_code == 404


def test_no_copy_once_retention_erased_the_answers(confirmation):
    from screening.models import Submission
    from screening.records.retention import submissions_erase

    submissions_erase(submissions=Submission.objects.all())
    assert confirmation.get("/thank-you/your-answers/").status_code == 404
