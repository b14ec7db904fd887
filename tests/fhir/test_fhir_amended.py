"""An amended submission through FHIR: `status: amended`, `meta.versionId` the answers'
version, the current answers; earlier versions through `_history`, rebuilt from the answers each
amendment replaced, validated, in the token's scope, audited."""

from datetime import timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from screening.fhir import mapping
from screening.models import Amendment, AuditEvent
from screening.visits.amendments import amend_answers
from tests.factories import api_token, submission

pytestmark = pytest.mark.django_db
BASE = "/fhir/R4"


@pytest.fixture
def secret(make_staff):
    return api_token(
        owner=make_staff("Clinic admin"), approver=make_staff("Privacy officer")
    ).secret


def get(client, path, secret, **params):
    return client.get(f"{BASE}/{path}", params, headers={"Authorization": f"Bearer {secret}"})


def _answer(resource, link_id):
    for group in resource.get("item", []):
        for item in group["item"]:
            if item["linkId"] == link_id:
                return item["answer"][0]["valueCoding"]["code"]
    return None


@pytest.fixture
def amended():
    sent = submission()
    amend_answers(sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PATIENT)
    amend_answers(sent, {"smoking_status": "current_cigarettes"}, source=Amendment.Source.PATIENT)
    sent.refresh_from_db()
    return sent


def test_an_unamended_response_is_completed_version_1(client, secret):
    sent = submission()
    resource = get(client, f"QuestionnaireResponse/{sent.reference}", secret).json()
    assert resource["status"] == "completed" and resource["meta"]["versionId"] == "1"


def test_the_amended_response_is_the_current_version(client, secret, amended):
    resource = get(client, f"QuestionnaireResponse/{amended.reference}", secret).json()
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] == "amended" and resource["meta"]["versionId"] == "3"
    assert _answer(resource, "pregnancy_status") == "pregnant"
    assert _answer(resource, "smoking_status") == "current_cigarettes"
    last = amended.amendments.order_by("-answers_version").first()
    assert resource["meta"]["lastUpdated"] == mapping._instant(last.at)


def test_history_holds_every_version_newest_first(client, secret, amended):
    response = get(client, f"QuestionnaireResponse/{amended.reference}/_history", secret)
    assert response.status_code == 200
    bundle = response.json()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "history" and bundle["total"] == 3
    versions = [entry["resource"]["meta"]["versionId"] for entry in bundle["entry"]]
    assert versions == ["3", "2", "1"]
    first = bundle["entry"][-1]["resource"]
    assert first["status"] == "completed"
    assert _answer(first, "pregnancy_status") != "pregnant"
    second = bundle["entry"][1]["resource"]
    assert _answer(second, "pregnancy_status") == "pregnant"
    assert _answer(second, "smoking_status") != "current_cigarettes"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, submission=amended, detail__endswith="history"
    ).exists()


def test_one_version_by_its_id(client, secret, amended):
    first = get(client, f"QuestionnaireResponse/{amended.reference}/_history/1", secret)
    assert first.status_code == 200 and first["ETag"] == 'W/"1"'
    assert first.json()["meta"]["versionId"] == "1"
    assert _answer(first.json(), "pregnancy_status") != "pregnant"
    for missing in ("4", "0", "x", "1" * 12):
        assert (
            get(
                client, f"QuestionnaireResponse/{amended.reference}/_history/{missing}", secret
            ).status_code
            == 404
        )


def test_history_needs_the_response_scope(client, make_staff, amended):
    narrow = api_token(
        owner=make_staff("Clinic admin"),
        approver=make_staff("Privacy officer"),
        scopes=["Questionnaire"],
    ).secret
    for path in ("_history", "_history/1"):
        url = f"QuestionnaireResponse/{amended.reference}/{path}"
        assert get(client, url, narrow).status_code == 403
    assert (
        client.get(f"{BASE}/QuestionnaireResponse/{amended.reference}/_history").status_code == 401
    )


def test_an_amendment_moves_the_response_into_a_search_since(client, secret):
    from screening.models import Submission

    sent = submission()
    since = (timezone.now() + timedelta(seconds=1)).isoformat()
    Submission.objects.filter(pk=sent.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    assert (
        get(client, "QuestionnaireResponse", secret, _lastUpdated=f"gt{since}").json()["total"] == 0
    )
    amendment = amend_answers(
        sent, {"pregnancy_status": "pregnant"}, source=Amendment.Source.PATIENT
    )
    Amendment.objects.filter(pk=amendment.pk).update(at=timezone.now() + timedelta(seconds=5))
    found = get(client, "QuestionnaireResponse", secret, _lastUpdated=f"gt{since}").json()
    assert found["total"] == 1 and found["entry"][0]["resource"]["meta"]["versionId"] == "2"


def test_an_erased_submissions_history_holds_no_answers(client, secret, amended):
    from screening.models import Submission
    from screening.records.retention import submissions_erase

    submissions_erase(submissions=Submission.objects.filter(pk=amended.pk))
    bundle = get(client, f"QuestionnaireResponse/{amended.reference}/_history", secret).json()
    assert all("item" not in entry["resource"] for entry in bundle["entry"])


def test_a_flag_an_amendment_cleared_leaves_as_a_cancelled_detected_issue():
    sent = submission(pregnancy_status="pregnant")
    amend_answers(sent, {"pregnancy_status": "not_applicable"}, source=Amendment.Source.PATIENT)
    sent.refresh_from_db()
    issues = [
        resource
        for resource in mapping.submission_resources(sent)
        if resource["resourceType"] == "DetectedIssue"
    ]
    cleared = next(issue for issue in issues if issue["code"]["coding"][0]["code"] == "PREGNANT")
    assert cleared["status"] == "cancelled"
    assert all(issue["status"] == "final" for issue in issues if issue is not cleared)
