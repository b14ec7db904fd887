"""Questionnaire versions end to end: a draft keeps its version, demo data covers both versions.

A draft started on v1 (2026.11.1) and finished after v2 (2026.12) was released is asked,
validated and stored with v1, never a mix .
"""

import io
from urllib.parse import urlsplit

from django.core.management import call_command
from django.utils import timezone

from screening.demo import no_risk_answers_v1
from screening.models import Invitation, Submission
from screening.questionnaire import CURRENT_VERSION, definition_for
from tests.patient_steps import SIGNED

V1 = "2026.11.1"


def two_months_ago() -> str:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 2
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def a_v1_draft_in_progress(client, *, legacy: bool) -> dict:
    """A session holding a finished draft on v1; `legacy`: stored before drafts had a version."""
    client.post("/start/")
    session = client.session
    draft = session["screening_draft"]
    draft.update(
        answers=no_risk_answers_v1(
            prior_procedures=["nonablative_laser"], prior_nonablative_laser_last=two_months_ago()
        ),
        completed=[section.key for section in definition_for(V1).sections],
        touched_at=timezone.now().isoformat(),
    )
    if legacy:
        draft.pop("questionnaire_version")
    else:
        draft["questionnaire_version"] = V1
    session["screening_draft"] = draft
    session.save()
    return draft


def test_a_new_draft_is_on_the_current_version(client, db):
    client.post("/start/")
    assert client.session["screening_draft"]["questionnaire_version"] == CURRENT_VERSION


def test_a_draft_started_on_v1_is_submitted_as_v1_without_the_v2_questions(client, db):
    a_v1_draft_in_progress(client, legacy=False)
    review = client.get("/review/").content.decode()
    assert "Non-ablative or fractional laser such as Fraxel" in review  # v1's words
    response = client.post("/review/", SIGNED)
    assert response.status_code == 302 and response.url.endswith("/thank-you/")
    submission = Submission.objects.get()
    assert submission.questionnaire_version == V1
    assert "hair_removal_recent" not in submission.answers
    codes = set(submission.flags.values_list("code", flat=True))
    assert "RECENT_RESURFACING" in codes  # v1's choice read as possibly fractional
    assert "UNSURE_SAFETY_ANSWERS" not in codes  # v2's questions were not asked, not missing


def test_a_draft_stored_before_drafts_had_a_version_is_v1(client, db):
    a_v1_draft_in_progress(client, legacy=True)
    client.post("/review/", SIGNED)
    assert Submission.objects.get().questionnaire_version == V1


def test_a_v1_draft_steps_show_the_v1_questions(client, db):
    a_v1_draft_in_progress(client, legacy=False)
    page = client.get("/questions/past-treatments/").content.decode()
    assert "Non-ablative or fractional laser such as Fraxel" in page
    assert "tattoo_pmu" not in page
    health = client.get("/questions/health/").content.decode()
    assert "energy_device_safety" not in health


def test_a_draft_of_a_version_this_code_does_not_know_is_dropped(client, db):
    a_v1_draft_in_progress(client, legacy=False)
    session = client.session
    session["screening_draft"]["questionnaire_version"] = "2099.1"
    session.save()
    response = client.get("/review/")
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_seed_demo_creates_v2_submissions_and_a_readable_v1_one(
    db, settings, client, django_user_model
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    versions = list(Submission.objects.values_list("questionnaire_version", flat=True))
    assert versions.count(V1) == 1
    assert versions.count(CURRENT_VERSION) == 1  # the series patient's first form
    assert versions.count("2026.12") == len(versions) - 2
    old = Submission.objects.get(questionnaire_version=V1)
    client.force_login(django_user_model.objects.create_superuser("root", "r@x.example", "pw"))
    page = client.get(f"/staff/screening/submission/{old.pk}/change/").content.decode()
    assert "Non-ablative or fractional laser such as Fraxel" in page


def test_seed_demo_has_a_series_patient_invited_back_whose_link_opens_the_rescreen(
    db, settings, client
):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    link = out.getvalue().split("re-screen link (date of birth 1985-06-15): ")[1].split()[0]
    first = Submission.objects.get(questionnaire_version=CURRENT_VERSION)
    assert first.decisions.get().next_session_weeks == 6
    invitation = Invitation.objects.get(previous_submission=first)
    assert invitation.visit_type == Submission.VisitType.SERIES_SESSION
    assert invitation.treatment_date is not None
    response = client.get(urlsplit(link).path, follow=True)
    assert response.status_code == 200
    gate = response.content.decode()
    assert "Welcome back. To protect the answers you gave us before" in gate
    assert "started on another device" not in gate  # nothing was: the answers are last time's
    # Run twice (make run twice): nothing more, and no second link printed.
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "re-screen link" not in again.getvalue()
    assert Invitation.objects.filter(previous_submission=first).count() == 1
