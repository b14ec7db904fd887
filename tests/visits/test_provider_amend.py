"""A provider amends an answer told in person, with a reason; who else may not; what every
staff view then shows (the Amended mark, new and cleared flags, decisions on earlier answers)."""

import csv
import io

import pytest
from django.urls import reverse

from screening.models import Amendment, AuditEvent, Decision, Flag
from screening.records.export import submissions_csv
from screening.visits.amendments import amend_answers
from tests import factories

pytestmark = pytest.mark.django_db


def _amend_url(submission, section="health"):
    url = reverse("admin:screening_submission_amend", args=[submission.pk])
    return f"{url}?section={section}" if section else url


def _health_post(submission, **changes):
    """The health step's answers as its form posts them, with `changes`."""
    from screening.patient.forms import StepForm
    from screening.questionnaire import definition_for

    section = definition_for(submission.questionnaire_version).sections_by_key["health"]
    form = StepForm(section, initial={**submission.answers, **changes})
    return {
        name: form.initial[name]
        for name in form.fields
        if name in form.initial and form.initial[name] is not None
    }


def test_a_provider_amends_with_a_reason_and_the_flags_follow(client, doctor):
    sent = factories.submission()
    client.force_login(doctor)

    page = client.get(_amend_url(sent))
    assert page.status_code == 200
    assert b"Reason (required)" in page.content
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEWED, detail="amend page", submission=sent
    ).exists()

    data = _health_post(sent, pregnancy_status="pregnant")
    refused = client.post(_amend_url(sent), data)
    assert refused.status_code == 200 and b"Give the reason" in refused.content
    assert not Amendment.objects.exists()

    saved = client.post(_amend_url(sent), {**data, "reason": "Told me at the desk today"})
    assert saved.status_code == 302
    sent.refresh_from_db()
    amendment = Amendment.objects.get()
    assert amendment.source == Amendment.Source.PROVIDER and amendment.actor == doctor
    assert amendment.reason == "Told me at the desk today"
    assert amendment.answers_before["pregnancy_status"] != "pregnant"
    assert sent.answers["pregnancy_status"] == "pregnant"
    assert sent.flags.get(code="PREGNANT").raised_by_amendment == amendment

    review = client.get(reverse("admin:screening_submission_change", args=[sent.pk]))
    body = review.content.decode()
    assert "New after amendment on" in body
    assert 'class="amended-mark">Amended</span> by' in body
    assert "Told me at the desk today" in body
    assert "Amendments after sending (1)" in body


def test_a_cleared_flag_is_shown_struck_and_not_counted(client, doctor):
    sent = factories.submission(pregnancy_status="pregnant")
    amend_answers(
        sent,
        {"pregnancy_status": "none"},
        source=Amendment.Source.PROVIDER,
        actor=doctor,
        reason="Not pregnant: told in person",
    )
    client.force_login(doctor)
    review = client.get(reverse("admin:screening_submission_change", args=[sent.pk]))
    body = review.content.decode()
    assert "Cleared by amendment on" in body
    assert "Flags for discussion (0)" in body
    assert 'class="flag sev-priority cleared"' in body
    queue = client.get(reverse("admin:screening_submission_changelist") + "?all=1").content
    assert (
        b'<td class="field-flag_names"><span class="quiet">None</span> '
        b'<span class="amended-mark">Amended</span></td>'
    ) in queue


def test_a_decision_before_an_amendment_is_marked_made_on_earlier_answers(client, doctor):
    sent = factories.submission()
    decision = Decision.objects.create(
        submission=sent, provider=doctor.provider, outcome="proceed", modality="non_ablative"
    )
    client.force_login(doctor)
    page = reverse("admin:screening_submission_change", args=[sent.pk])
    assert b"Made on earlier answers" not in client.get(page).content
    amend_answers(sent, {"smoking_status": "current_cigarettes"}, source=Amendment.Source.PATIENT)
    decision.refresh_from_db()
    assert decision.made_on_earlier_answers
    assert b"Made on earlier answers" in client.get(page).content
    decide = reverse("admin:screening_submission_decide", args=[sent.pk])
    assert b"Made on earlier answers" in client.get(decide).content


def test_a_decision_records_the_answers_version_it_was_made_on(doctor):
    from screening.staff.decisions import decision_record

    sent = factories.submission()
    amend_answers(sent, {"smoking_status": "current_cigarettes"}, source=Amendment.Source.PATIENT)
    decision = decision_record(
        submission=sent, outcome="proceed", modality="non_ablative", notes="", actor=doctor
    )
    assert decision.answers_version == 2 and not decision.made_on_earlier_answers


@pytest.mark.parametrize("role", ["Front desk", "Clinic admin", "Privacy officer"])
def test_only_a_provider_amends(client, make_staff, role):
    sent = factories.submission()
    client.force_login(make_staff(role))
    assert client.get(_amend_url(sent)).status_code in (403, 404)
    data = {**_health_post(sent, pregnancy_status="pregnant"), "reason": "x"}
    assert client.post(_amend_url(sent), data).status_code in (403, 404)
    assert not Amendment.objects.exists()
    review = client.get(reverse("admin:screening_submission_change", args=[sent.pk]))
    assert b"Amend an answer" not in review.content


def test_the_csv_carries_the_trail_and_counts_no_cleared_flag(doctor):
    sent = factories.submission(pregnancy_status="pregnant")
    amend_answers(
        sent,
        {"pregnancy_status": "none"},
        source=Amendment.Source.PROVIDER,
        actor=doctor,
        reason="Told in person",
    )
    sent.refresh_from_db()
    [row] = list(csv.DictReader(io.StringIO(submissions_csv([sent]))))
    assert row["answers_version"] == "2"
    assert "v2" in row["amendments"] and "Told in person" in row["amendments"]
    assert "pregnancy_status: " in row["amendments"] and "[cleared PREGNANT]" in row["amendments"]
    assert "PREGNANT" not in row["flags"] and "PREGNANT" in row["flags_cleared_by_amendment"]
    assert row["pregnancy_status"] == "none"


def test_the_print_view_carries_the_trail(client, doctor):
    sent = factories.submission()
    amend_answers(sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PATIENT)
    client.force_login(doctor)
    body = client.get(reverse("admin:screening_submission_print", args=[sent.pk])).content
    assert b"Amendments after sending (1)" in body and b"The patient, through their link" in body
    assert Flag.objects.filter(submission=sent, code="PREGNANT").exists()


def test_todays_rules_compare_with_the_flags_as_amended(doctor):
    from screening import flags as flag_rules

    sent = factories.submission(pregnancy_status="pregnant")
    amend_answers(sent, {"pregnancy_status": "not_applicable"}, source=Amendment.Source.PATIENT)
    sent.refresh_from_db()
    diff = flag_rules.submission_flag_diff(sent)
    assert not [change for change in diff.changes if change.code == "PREGNANT"]


def test_the_decision_history_list_marks_a_decision_made_on_earlier_answers(client, doctor):
    sent = factories.submission()
    Decision.objects.create(
        submission=sent, provider=doctor.provider, outcome="proceed", modality="non_ablative"
    )
    client.force_login(doctor)
    listing = reverse("admin:screening_decision_changelist")
    assert b"Version 1 (current)" in client.get(listing).content
    amend_answers(sent, {"smoking_status": "current_cigarettes"}, source=Amendment.Source.PATIENT)
    assert b"Made on earlier answers (version 1; now 2)" in client.get(listing).content
