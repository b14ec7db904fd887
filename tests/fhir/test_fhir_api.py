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
from tests.factories import TODAY, api_token, full_answers

pytestmark = pytest.mark.django_db

BASE = "/fhir/R4"
TOKENS = "/staff/screening/apitoken/"


@pytest.fixture
def clinic_admin(make_staff):
    return make_staff("Clinic admin")


@pytest.fixture
def privacy_officer(make_staff):
    return make_staff("Privacy officer")


@pytest.fixture
def secret(clinic_admin, privacy_officer):
    return api_token(name="OpenEMR", owner=clinic_admin, approver=privacy_officer).secret


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


def test_a_clinic_admin_creates_a_token_in_the_admin_and_sees_it_once(
    client, clinic_admin, privacy_officer
):
    client.force_login(clinic_admin)
    page = client.post(f"{TOKENS}add/", {"name": "OpenEMR", "scopes": ["Questionnaire"]})
    assert page.status_code == 200
    [secret] = re.findall(r'value="(fhir_[^"]+)"', page.content.decode())
    token = ApiToken.objects.get()
    assert token.token_hash == token_hash(secret)
    assert secret not in str(ApiToken.objects.values().get())  # only the hash is stored
    assert secret not in client.get(f"{TOKENS}{token.pk}/change/").content.decode()
    assert secret not in client.get(TOKENS).content.decode()
    event = AuditEvent.objects.get(action="token_added")
    assert (event.actor, event.api_token, event.detail) == (
        clinic_admin,
        token,
        f"token #{token.pk} {token.prefix}: Questionnaire; awaits approval",
    )
    assert token.scopes == ["Questionnaire"]
    client.logout()
    assert get(client, "metadata", secret).status_code == 401  # the clinic admin alone: nothing
    client.force_login(privacy_officer)
    client.post(TOKENS, {"action": "approve", "_selected_action": [token.pk]})
    client.logout()
    token.refresh_from_db()
    assert token.approved_by == privacy_officer
    assert get(client, "metadata", secret).status_code == 200


def test_a_revoked_token_gets_401_at_once(client, clinic_admin, privacy_officer):
    created = api_token(name="OpenEMR", owner=clinic_admin, approver=privacy_officer)
    assert get(client, "metadata", created.secret).status_code == 200
    client.force_login(clinic_admin)
    client.post(TOKENS, {"action": "revoke", "_selected_action": [created.token.pk]})
    client.logout()
    assert ApiToken.objects.get().revoked_by == clinic_admin
    assert get(client, "metadata", created.secret).status_code == 401
    assert AuditEvent.objects.filter(action="token_revoked", actor=clinic_admin).count() == 1


@pytest.mark.parametrize("role", ["Provider", "Front desk", "Privacy officer"])
def test_only_a_clinic_admin_asks_for_tokens(client, make_staff, role):
    user = make_staff(role, level="physician" if role == "Provider" else None)
    client.force_login(user)
    assert client.get(TOKENS).status_code == (200 if role == "Privacy officer" else 403)
    assert client.post(f"{TOKENS}add/", {"name": "x"}).status_code == 403
    with pytest.raises(PermissionError):
        api_token_create(name="x", scopes=["Questionnaire"], actor=user)


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
    assert (current["version"], current["status"]) == ("2027.02", "active")
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


def test_a_revoked_token_reads_nothing(client, clinic_admin, privacy_officer):
    created = api_token(name="Old EHR", owner=clinic_admin, approver=privacy_officer)
    submissions_at(timezone.now())
    api_token_revoke(token=created.token, actor=clinic_admin)
    assert get(client, "QuestionnaireResponse", created.secret).status_code == 401


# --- a real FHIR client, as the EHR reads ------------------------------------------------------


# serialized_rollback, like the suite's other transactional tests: the flush after it then keeps
# the content types and groups the next one restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_ehr_reads_the_api_with_fhirpy(live_server, make_staff):
    secret = api_token(
        owner=make_staff("Clinic admin"), approver=make_staff("Privacy officer")
    ).secret
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


# --- who brings a token to life, what it reads, how long -----------------------------------------


def test_nobody_approves_a_token_they_asked_for(make_staff):
    from django.contrib.auth import get_user_model

    from screening.fhir.tokens import TokenRefused, api_token_approve

    superuser = get_user_model().objects.create_superuser("root", "root@clinic.example", "x")
    created = api_token(owner=superuser)
    with pytest.raises(TokenRefused):
        api_token_approve(token=created.token, actor=superuser)
    with pytest.raises(TokenRefused):  # a clinic admin has no approval permission at all
        api_token_approve(token=created.token, actor=make_staff("Clinic admin"))
    assert ApiToken.objects.get().approved_at is None


def test_an_unapproved_token_reads_nothing(client, clinic_admin):
    [submission] = submissions_at(timezone.now())
    created = api_token(owner=clinic_admin)
    for path in (
        "metadata",
        "QuestionnaireResponse",
        f"QuestionnaireResponse/{submission.reference}",
    ):
        assert get(client, path, created.secret).status_code == 401
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_a_token_expires_after_the_configured_days(client, clinic_admin, privacy_officer, settings):
    settings.SCREENING_FHIR_TOKEN_DAYS = 30
    created = api_token(owner=clinic_admin, approver=privacy_officer)
    token = created.token
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(minutes=1)
    assert get(client, "metadata", created.secret).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert get(client, "metadata", created.secret).status_code == 401


def test_the_default_expiry_is_a_year(clinic_admin):
    token = api_token(owner=clinic_admin).token
    assert abs(token.expires_at - token.created_at - timedelta(days=365)) < timedelta(minutes=1)


@pytest.mark.parametrize("who", ["owner", "approver"])
def test_deactivating_the_owner_or_the_approver_revokes_the_token(
    client, make_staff, clinic_admin, privacy_officer, who
):
    from screening.staff.accounts import account_update

    created = api_token(owner=clinic_admin, approver=privacy_officer)
    assert get(client, "metadata", created.secret).status_code == 200
    person = clinic_admin if who == "owner" else privacy_officer
    other_admin = make_staff("Clinic admin")
    account_update(account=person, fields={"is_active": False}, roles=None, actor=other_admin)
    assert get(client, "metadata", created.secret).status_code == 401
    token = ApiToken.objects.get()
    assert (token.revoked_by, token.revoked_at is not None) == (other_admin, True)
    event = AuditEvent.objects.get(action="token_revoked")
    assert event.api_token == token and f"{who} {person.username} deactivated" in event.detail


def test_a_deactivated_person_stops_the_token_even_outside_the_service(
    client, clinic_admin, privacy_officer
):
    created = api_token(owner=clinic_admin, approver=privacy_officer)
    type(clinic_admin).objects.filter(pk=privacy_officer.pk).update(is_active=False)
    assert get(client, "metadata", created.secret).status_code == 401


def test_a_token_reads_only_its_scope(client, clinic_admin, privacy_officer):
    [submission] = submissions_at(timezone.now())
    questions_only = api_token(
        owner=clinic_admin, approver=privacy_officer, scopes=["Questionnaire"]
    ).secret
    assert get(client, "Questionnaire/laser-prescreen", questions_only).status_code == 200
    for path in ("QuestionnaireResponse", f"QuestionnaireResponse/{submission.reference}"):
        response = get(client, path, questions_only)
        assert response.status_code == 403
        assert response.json()["issue"][0]["code"] == "forbidden"
    assert not AuditEvent.objects.filter(action="exported").exists()
    assert AuditEvent.objects.filter(action="refused", api_token__isnull=False).count() == 2

    answers_only = api_token(
        owner=clinic_admin, approver=privacy_officer, scopes=["QuestionnaireResponse"]
    ).secret
    assert get(client, "Questionnaire/laser-prescreen", answers_only).status_code == 403
    named = get(
        client, "QuestionnaireResponse", answers_only, _revinclude="DetectedIssue:implicated"
    )
    assert named.status_code == 403
    every = get(client, "QuestionnaireResponse", answers_only, _revinclude="*").json()
    assert {e["resource"]["resourceType"] for e in every["entry"]} == {"QuestionnaireResponse"}


def test_every_use_is_audited_as_the_tokens_reads(client, secret):
    [submission] = submissions_at(timezone.now())
    get(client, f"QuestionnaireResponse/{submission.reference}", secret)
    token = ApiToken.objects.get()
    for action in ("api_read", "exported"):
        event = AuditEvent.objects.get(action=action)
        assert event.api_token == token


def test_the_privacy_officer_sees_the_tokens_reads_in_the_trail(client, secret, privacy_officer):
    get(client, "metadata", secret)
    token = ApiToken.objects.get()
    client.force_login(privacy_officer)
    page = client.get("/staff/screening/auditevent/").content.decode()
    assert str(token) in page


# --- refused requests are counted, not each written --------------------------------------------


def test_refused_requests_are_one_event_per_address_and_window_then_a_count(client):
    from screening.fhir.refusals import REFUSAL_WINDOW, refusals_close

    for _ in range(60):  # the anonymous bucket's burst: a 61st would be 429, not audited
        assert get(client, "QuestionnaireResponse", "fhir_0000_not-a-token").status_code == 401
    refused = AuditEvent.objects.filter(action="refused")
    assert refused.count() == 1
    assert refusals_close(now=timezone.now() + REFUSAL_WINDOW + timedelta(seconds=1)) == 1
    assert refused.count() == 2
    assert "60 requests without a valid token" in refused.first().detail


def test_another_address_opens_its_own_window(client):
    get(client, "metadata", "fhir_x_y")
    client.get(f"{BASE}/metadata", REMOTE_ADDR="192.0.2.9")
    assert AuditEvent.objects.filter(action="refused").count() == 2


# --- bad input answers 400 or 404, never 500 -----------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"_lastUpdated": "gt2026-13-45"},
        {"_lastUpdated": "gt2026-02-30T10:00:00Z"},
        {"_lastUpdated": "gt99999-01-01"},
        {"_lastUpdated": "gt2026-01-01T25:61:00Z"},
        {"_lastUpdated": "gt\x00"},
        {"_offset": "99999999999999999999999"},
        {"_offset": "1e3"},
    ],
)
def test_garbage_search_parameters_are_400(client, secret, params):
    response = get(client, "QuestionnaireResponse", secret, **params)
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("reference", ["%00", "A%00B", "x" * 300])
def test_a_garbage_reference_is_404(client, secret, reference):
    response = client.get(
        f"{BASE}/QuestionnaireResponse/{reference}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 404


def test_the_privacy_officers_are_emailed_a_request_without_the_token(
    clinic_admin, privacy_officer, make_staff
):
    from django.core import mail

    from tests.task_queue import run_queued_tasks

    make_staff("Provider", level="physician")  # not told
    created = api_token(name="OpenEMR", owner=clinic_admin, scopes=["QuestionnaireResponse"])
    mail.outbox.clear()
    run_queued_tasks()
    [message] = mail.outbox
    assert message.to == [privacy_officer.email]
    assert "OpenEMR" in message.body and created.token.prefix in message.body
    assert "QuestionnaireResponse" in message.body and clinic_admin.username in message.body
    assert created.secret not in message.body and created.secret not in message.subject


@pytest.mark.parametrize("who", ["owner", "approver"])
def test_taking_the_owners_or_the_approvers_role_away_stops_the_token(
    client, clinic_admin, privacy_officer, who
):
    created = api_token(owner=clinic_admin, approver=privacy_officer)
    assert get(client, "metadata", created.secret).status_code == 200
    (clinic_admin if who == "owner" else privacy_officer).groups.clear()
    assert get(client, "metadata", created.secret).status_code == 401
