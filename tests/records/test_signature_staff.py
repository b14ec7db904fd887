"""The signed declaration as staff see it: the submission page, the print view, the CSV export.
(Kept apart from test_admin.py, which the admin rework changes.)"""

import csv
import io

import pytest

from screening.patient.declaration import declaration_for
from screening.questionnaire import CURRENT_VERSION
from screening.records.export import local_time
from tests.factories import full_answers
from tests.patient_steps import SIGNED, put_draft

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"


@pytest.fixture
def signed(client):
    """A submission sent through the review page, signed "Carmen Ruiz"."""
    from screening.models import Submission

    put_draft(client, full_answers())
    client.post("/review/", {**SIGNED, "signature_name": "Carmen Ruiz"})
    client.logout()
    return Submission.objects.get()


@pytest.mark.parametrize("suffix", ["change/", "print/"])
def test_the_submission_page_and_print_view_show_the_signature(doctor, client, signed, suffix):
    signed.assigned_provider = doctor.provider
    signed.save(update_fields=["assigned_provider"])
    client.force_login(doctor)
    page = client.get(f"{QUEUE}{signed.pk}/{suffix}").content.decode()
    assert "Signed declaration" in page
    assert "Carmen Ruiz" in page
    assert signed.declaration_version in page
    assert declaration_for(CURRENT_VERSION).sha256 in page
    assert signed.signed_at.strftime("%Y-%m-%d") in page


def test_the_csv_export_has_the_signature_columns_with_the_formula_guard(doctor, client):
    from screening.models import Submission

    put_draft(client, full_answers())
    client.post("/review/", {**SIGNED, "signature_name": "=HYPERLINK(1)"})
    submission = Submission.objects.get()
    submission.assigned_provider = doctor.provider
    submission.save(update_fields=["assigned_provider"])
    client.force_login(doctor)
    response = client.post(QUEUE, {"action": "export_csv", "_selected_action": [submission.pk]})
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["signature_name"] == "'=HYPERLINK(1)"
    assert row["signed_at"] == local_time(submission.signed_at)  # the clinic's zone, with offset
    assert row["declaration_version"] == submission.declaration_version
    assert row["declaration_sha256"] == declaration_for(CURRENT_VERSION).sha256
