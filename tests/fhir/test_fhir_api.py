"""The read-only FHIR API: tokens (created in the admin, shown once, hashed, revocable, limited),
401 without one, every request audited, search by _lastUpdated with paging, read by a real FHIR
client (fhirpy) as the clinic's EHR would."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhirpy import SyncFHIRClient

from screening.fhir import mapping
from screening.fhir.tokens import api_token_create, api_token_revoke, token_hash
from screening.models import ApiToken, AuditEvent, Submission
from screening.patient.submission import submission_create
from tests.factories import TODAY, full_answers

pytestmark = pytest.mark.django_db

BASE = "/fhir/R4"
TOKENS = "/staff/screening/apitoken/"


@pytest.fixture
def clinic_admin(make_staff):
    return make_staff("Clinic admin")


@pytest.fixture
def secret(clinic_admin):
    return api_token_create(name="OpenEMR", actor=clinic_admin).secret


def get(client, path, secret=None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.get(f"{BASE}/{path}", params, headers=headers)


def submissions_at(*moments):
    """Submissions whose submission time is each of `moments` (oldest first)."""
    made = []
    for moment in moments:
        submission = submission_create(
            signature_name="Alex Doe",
            draft_key=str(uuid.uuid4()),
            answers=full_answers(),
            today=TODAY,
        )
        Submission.objects.filter(pk=submission.pk).update(submitted_at=moment)
        made.append(Submission.objects.get(pk=submission.pk))
    return made


# --- tokens ------------------------------------------------------------------------------------


def test_a_clinic_admin_creates_a_token_in_the_admin_and_sees_it_once(client, clinic_admin):
    client.force_login(clinic_admin)
    page = client.post(f"{TOKENS}add/", {"name": "OpenEMR"})
    assert page.status_code == 200
    [secret] = re.findall(r'value="(fhir_[^"]+)"', page.content.decode())
    token = ApiToken.objects.get()
    assert token.token_hash == token_hash(secret)
    assert secret not in str(ApiToken.objects.values().get())  # only the hash is stored
    assert secret not in client.get(f"{TOKENS}{token.pk}/change/").content.decode()
    assert secret not in client.get(TOKENS).content.decode()
    event = AuditEvent.objects.get(action="token_added")
    assert (event.actor, event.detail) == (clinic_admin, f"token #{token.pk} {token.prefix}")
    assert get(client, "metadata", secret).status_code == 200


def test_a_revoked_token_gets_401_at_once(client, clinic_admin):
    created = api_token_create(name="OpenEMR", actor=clinic_admin)
    assert get(client, "metadata", created.secret).status_code == 200
    client.force_login(clinic_admin)
    client.post(TOKENS, {"action": "revoke", "_selected_action": [created.token.pk]})
    client.logout()
    assert ApiToken.objects.get().revoked_by == clinic_admin
    assert get(client, "metadata", created.secret).status_code == 401
    assert AuditEvent.objects.filter(action="token_revoked", actor=clinic_admin).count() == 1


@pytest.mark.parametrize("role", ["Provider", "Front desk", "Privacy officer"])
def test_only_a_clinic_admin_manages_tokens(client, make_staff, role):
    user = make_staff(role, level="physician" if role == "Provider" else None)
    client.force_login(user)
    assert client.get(TOKENS).status_code == 403
    assert client.post(f"{TOKENS}add/", {"name": "x"}).status_code == 403
    with pytest.raises(PermissionError):
        api_token_create(name="x", actor=user)


# --- authentication, limits, audit --------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer ", "Bearer fhir_0000_not-a-token", "Basic dXNlcjpwYXNz", "fhir_x"],
)
def test_no_valid_token_is_401_with_an_operation_outcome(client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get(f"{BASE}/QuestionnaireResponse", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/fhir+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="fhir"'
    assert response.json()["resourceType"] == "OperationOutcome"
    assert AuditEvent.objects.filter(action="refused", detail__startswith="FHIR API").exists()


def test_a_staff_session_is_not_a_token(client, doctor):
    client.force_login(doctor)
    assert get(client, "metadata").status_code == 401


def test_the_api_is_read_only(client, secret):
    response = client.post(
        f"{BASE}/QuestionnaireResponse", {}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 405


def test_every_request_is_audited_and_every_response_that_leaves_too(client, secret):
    [submission] = submissions_at(timezone.now())
    get(client, "metadata", secret)
    get(client, f"QuestionnaireResponse/{submission.reference}", secret)
    token = ApiToken.objects.get()
    reads = AuditEvent.objects.filter(action="api_read").order_by("id")
    assert [event.detail for event in reads] == [
        f"FHIR API GET /fhir/R4/metadata (token #{token.pk})",
        f"FHIR API GET /fhir/R4/QuestionnaireResponse/{submission.reference} (token #{token.pk})",
    ]
    exported = AuditEvent.objects.get(action="exported", submission=submission)
    assert exported.detail == f"FHIR (api, token #{token.pk})"
    assert token.last_used_at is not None


def test_a_token_past_its_rate_gets_429(client, secret, settings):
    settings.SCREENING_FHIR_RATE_LIMIT_BURST = 3
    settings.SCREENING_FHIR_RATE_LIMIT_PER_MINUTE = 1
    statuses = [get(client, "metadata", secret).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- resources ---------------------------------------------------------------------------------


def test_metadata_is_a_capability_statement(client, secret):
    response = get(client, "metadata", secret)
    assert response["Content-Type"] == "application/fhir+json"
    statement = response.json()
    CapabilityStatement.model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    types = {resource["type"] for resource in statement["rest"][0]["resource"]}
    assert types == {"Questionnaire", "QuestionnaireResponse"}


def test_questionnaire_by_version_and_at_its_canonical_id(client, secret):
    v1 = get(client, "Questionnaire/laser-prescreen-2026.11.1", secret).json()
    Questionnaire.model_validate(v1)
    assert (v1["version"], v1["status"]) == ("2026.11.1", "retired")
    current = get(client, "Questionnaire/laser-prescreen", secret).json()
    assert (current["version"], current["status"]) == ("2027.01", "active")
    v2 = get(client, "Questionnaire/laser-prescreen-2026.12", secret).json()
    assert (v2["version"], v2["status"]) == ("2026.12", "retired")
    assert get(client, "Questionnaire/nope", secret).status_code == 404


def test_a_response_by_reference(client, secret):
    [submission] = submissions_at(timezone.now())
    response = get(client, f"QuestionnaireResponse/{submission.reference}", secret).json()
    QuestionnaireResponse.model_validate(response)
    assert response == mapping.questionnaire_response(submission)
    assert get(client, "QuestionnaireResponse/AAA-BBB-CCC", secret).status_code == 404


def test_search_by_last_updated_pages_oldest_first(client, secret):
    start = timezone.now() - timedelta(hours=5)
    old, *recent = submissions_at(*(start + timedelta(hours=hours) for hours in range(5)))
    since = (old.submitted_at + timedelta(minutes=1)).isoformat()
    first = get(client, "QuestionnaireResponse", secret, _lastUpdated=f"gt{since}", _count=3)
    assert first["Content-Type"] == "application/fhir+json"
    page = first.json()
    Bundle.model_validate(page)
    assert (page["type"], page["total"]) == ("searchset", 4)
    assert [e["resource"]["id"] for e in page["entry"]] == [s.reference for s in recent[:3]]
    links = {link["relation"]: link["url"] for link in page["link"]}
    assert "previous" not in links
    second = client.get(links["next"], headers={"Authorization": f"Bearer {secret}"}).json()
    assert [e["resource"]["id"] for e in second["entry"]] == [recent[3].reference]
    assert "next" not in {link["relation"] for link in second["link"]}


def test_search_with_revinclude_adds_flags_and_decisions(client, secret, doctor):
    [submission] = submissions_at(timezone.now())
    Submission.objects.filter(pk=submission.pk).update(assigned_provider=doctor.provider)
    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(current_skin_problems_area=["cold_sore"]),
        today=TODAY,
    )
    plain = get(client, "QuestionnaireResponse", secret).json()
    assert {e["resource"]["resourceType"] for e in plain["entry"]} == {"QuestionnaireResponse"}
    both = get(client, "QuestionnaireResponse", secret, _revinclude="DetectedIssue:implicated")
    modes = {(e["resource"]["resourceType"], e["search"]["mode"]) for e in both.json()["entry"]}
    assert modes == {("QuestionnaireResponse", "match"), ("DetectedIssue", "include")}
    assert both.json()["total"] == 2


def test_an_unencoded_plus_in_the_time_zone_is_read_as_a_plus(client, secret):
    [submission] = submissions_at(timezone.now() - timedelta(minutes=30))
    since = (timezone.now() - timedelta(hours=1)).replace(microsecond=0).isoformat()
    assert since.endswith("+00:00")
    response = client.get(
        f"{BASE}/QuestionnaireResponse?_lastUpdated=gt{since}",  # "+" not encoded
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert [e["resource"]["id"] for e in response.json()["entry"]] == [submission.reference]


@pytest.mark.parametrize(
    "params",
    [
        {"_lastUpdated": "2026-11-01"},  # no prefix
        {"_lastUpdated": "gtyesterday"},
        {"_count": "many"},
        {"_count": "-1"},
        {"_revinclude": "Observation:subject"},
        {"name": "Ana"},  # no search by name: PHI never in a URL
    ],
)
def test_a_search_we_cannot_honour_is_400(client, secret, params):
    response = get(client, "QuestionnaireResponse", secret, **params)
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_revoked_token_reads_nothing(client, clinic_admin):
    created = api_token_create(name="Old EHR", actor=clinic_admin)
    submissions_at(timezone.now())
    api_token_revoke(token=created.token, actor=clinic_admin)
    assert get(client, "QuestionnaireResponse", created.secret).status_code == 401


# --- a real FHIR client, as the EHR reads ------------------------------------------------------


# serialized_rollback, like the suite's other transactional tests: the flush after it then keeps
# the content types and groups the next one restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_ehr_reads_the_api_with_fhirpy(live_server, make_staff):
    secret = api_token_create(name="EHR", actor=make_staff("Clinic admin")).secret
    start = timezone.now() - timedelta(hours=6)
    old, *recent = submissions_at(*(start + timedelta(hours=hours) for hours in range(6)))
    ehr = SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {secret}")

    since = (old.submitted_at + timedelta(seconds=1)).isoformat()
    search = ehr.resources("QuestionnaireResponse").search(_lastUpdated=f"gt{since}").limit(2)
    assert search.count() == 5
    fetched = search.fetch_all()  # follows the "next" links, two per page
    assert [resource["id"] for resource in fetched] == [s.reference for s in recent]
    pages = AuditEvent.objects.filter(action="api_read", detail__contains="QuestionnaireResponse")
    assert pages.count() >= 3  # the count, then three pages of two, one and nothing else

    response = fetched[0]
    version = response["questionnaire"].split("|")[1]
    questionnaire = ehr.reference("Questionnaire", f"laser-prescreen-{version}").to_resource()
    Questionnaire.model_validate(questionnaire.serialize())
    asked = {item["linkId"] for item in _walk(questionnaire["item"])}
    assert {item["linkId"] for item in _walk(response["item"])} <= asked
    assert response.serialize() == mapping.questionnaire_response(recent[0])


def _walk(items):
    for item in items or ():
        yield item
        yield from _walk(item.get("item"))


def test_a_search_page_costs_the_same_queries_at_any_size_but_its_audit_rows(client, secret):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    submissions_at(*(now - timedelta(days=2, minutes=m) for m in range(2)))
    submissions_at(*(now - timedelta(minutes=m) for m in range(6)))

    def queries(**window):
        with CaptureQueriesContext(connection) as captured:
            response = get(client, "QuestionnaireResponse", secret, _revinclude="*", **window)
        return len(captured), response.json()["total"]

    get(client, "metadata", secret)  # the token's bucket exists from here on
    day_ago = (now - timedelta(days=1)).isoformat()
    few, two = queries(_lastUpdated=f"lt{day_ago}")
    many, six = queries(_lastUpdated=f"gt{day_ago}")
    assert (two, six) == (2, 6)
    assert many - few == 4  # one "exported" audit row more per submission, nothing else
