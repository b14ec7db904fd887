"""export_fhir and the admin's FHIR export: a valid Bundle, only for those who may export, audited."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.bundle import Bundle

from screening.models import AuditEvent, Submission
from tests.factories import TODAY

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"


def export(*args) -> dict:
    out = StringIO()
    call_command("export_fhir", *args, stdout=out)
    return json.loads(out.getvalue())


def references_in(bundle: dict) -> list[str]:
    return [
        entry["resource"]["id"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]


def test_export_by_reference_prints_a_valid_bundle_and_audits_it(submit_answers):
    submission = submit_answers(cold_sore_now="yes")
    submit_answers()  # another patient's: not in this export
    bundle = export("--reference", submission.reference.lower())
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    assert references_in(bundle) == [submission.reference]
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds.count("DetectedIssue") == submission.flags.count() > 0
    event = AuditEvent.objects.get(submission=submission, action="exported")
    assert event.detail == "FHIR (command)"
    assert event.actor is None


def test_export_since_a_date_takes_the_submissions_of_that_day_and_after(submit_answers):
    older, newer = submit_answers(), submit_answers()
    Submission.objects.filter(pk=older.pk).update(submitted_on=TODAY - timedelta(days=3))
    assert references_in(export("--since", str(TODAY - timedelta(days=1)))) == [newer.reference]
    assert references_in(export("--since", str(TODAY - timedelta(days=3)))) == [
        older.reference,
        newer.reference,
    ]


def test_export_to_a_file(submit_answers, tmp_path):
    submission = submit_answers()
    target = tmp_path / "out.json"
    call_command("export_fhir", "--reference", submission.reference, "--output", str(target))
    assert references_in(json.loads(target.read_text())) == [submission.reference]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--reference", "AAA-BBB-CCC"], "No submission has the reference"),
        (["--since", "yesterday"], "--since must be a date"),
    ],
)
def test_export_refuses_what_it_cannot_do(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_fhir", *args, stdout=StringIO())


def test_export_needs_a_reference_or_a_date():
    with pytest.raises(CommandError):
        call_command("export_fhir", stdout=StringIO())


def test_a_provider_exports_selected_submissions_as_fhir_from_the_queue(
    client, doctor, submit_answers
):
    submission = submit_answers(cold_sore_now="yes")
    Submission.objects.filter(pk=submission.pk).update(assigned_provider=doctor.provider)
    client.force_login(doctor)
    response = client.post(QUEUE, {"action": "export_fhir", "_selected_action": [submission.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    assert references_in(bundle) == [submission.reference]
    event = AuditEvent.objects.get(submission=submission, action="exported")
    assert (event.actor, event.detail) == (doctor, "FHIR (admin)")


@pytest.mark.parametrize("role", ["Front desk", "Clinic admin"])
def test_those_who_may_not_export_get_no_fhir_action(client, make_staff, submit_answers, role):
    submission = submit_answers()
    client.force_login(make_staff(role))
    queue = client.get(QUEUE).content.decode()
    assert "export_fhir" not in queue
    response = client.post(QUEUE, {"action": "export_fhir", "_selected_action": [submission.pk]})
    assert response.get("Content-Type") != "application/fhir+json"
    assert not AuditEvent.objects.filter(action="exported").exists()
