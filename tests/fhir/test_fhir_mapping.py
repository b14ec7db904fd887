"""FHIR R4 out: each questionnaire version, response, flag and decision as a valid resource.

Every resource is also built here by the R4B models of `fhir.resources` (R4B = R4 for these
resources), and the response is read back into our stored format by a reader written here from
the FHIR side, independent of the mapping's tables.
"""

import uuid

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.clinicalimpression import ClinicalImpression
from fhir.resources.R4B.detectedissue import DetectedIssue
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from screening.fhir import mapping
from screening.models import Submission
from screening.patient.submission import submission_create
from screening.questionnaire import CURRENT_VERSION, DEFINITIONS, definition_for
from screening.questionnaire.visit import OnVisit
from screening.staff.decisions import decision_record, flags_acknowledge
from tests.factories import TODAY, full_answers, many_followups_answers
from tests.workspace.test_v1_display import V1_ANSWERS

V1 = "2026.11.1"
V2 = "2026.12"
V3 = "2027.01"


def walk(items):
    for item in items or ():
        yield item
        yield from walk(item.get("item"))


def link_ids(resource) -> list[str]:
    return [item["linkId"] for item in walk(resource.get("item"))]


def answers_read_back(response: dict, version: str) -> dict:
    """The stored answers, as an EHR reading the response with its questionnaire would get them."""
    definition = definition_for(version)
    answers = {}
    for item in walk(response.get("item")):
        if "answer" not in item:
            continue
        question = definition.questions[item["linkId"]]
        values = []
        for answer in item["answer"]:
            if "valueCoding" in answer:
                values.append(answer["valueCoding"]["code"])
            elif "valueDate" in answer or "valueString" in answer or "valueDecimal" in answer:
                values.append(
                    answer.get("valueDate", answer.get("valueString", answer.get("valueDecimal")))
                )
            else:
                [extension] = answer["extension"]
                assert extension["valueCode"] == "asked-unknown"
                values.append("unknown")
        answers[question.id] = values if question.kind == "multi" else values[0]
    return answers


@pytest.mark.parametrize("version", list(DEFINITIONS))
def test_each_version_is_a_valid_questionnaire_with_an_item_per_question(version):
    resource = mapping.questionnaire(version)
    Questionnaire.model_validate(resource)
    definition = definition_for(version)
    assert resource["url"].endswith("/Questionnaire/laser-prescreen")
    assert resource["version"] == version
    assert [group["linkId"] for group in resource["item"]] == [s.key for s in definition.sections]
    items = {
        item["linkId"]: item for item in walk(resource["item"]) if item["type"] not in "display"
    }
    question_items = {key: item for key, item in items.items() if item["type"] != "group"}
    assert list(question_items) == list(definition.questions)
    assert len(link_ids(resource)) == len(set(link_ids(resource))), "linkIds are unique"
    for question in definition.questions.values():
        item = question_items[question.id]
        assert item["required"] is question.required
        assert item.get("repeats", False) is (question.kind == "multi")
        codes = [option["valueCoding"]["code"] for option in item.get("answerOption", [])]
        assert codes == list(question.choice_keys)


@pytest.mark.parametrize("version", list(DEFINITIONS))
def test_enable_when_names_a_real_item_and_one_of_its_options(version):
    resource = mapping.questionnaire(version)
    items = {item["linkId"]: item for item in walk(resource["item"])}
    conditions = 0
    for question in definition_for(version).questions.values():
        item = items[question.id]
        # A re-screen question is asked by the visit, no answer of the response (no enableWhen).
        if question.show_if is None or isinstance(question.show_if, OnVisit):
            assert "enableWhen" not in item
            continue
        conditions += 1
        if question.show_if.__class__.__name__ == "PickedMoreThanOne":
            [extension] = item["extension"]
            assert extension["url"] == mapping.ENABLE_WHEN_EXPRESSION
            assert (
                f"linkId='{question.show_if.question_id}'"
                in (extension["valueExpression"]["expression"])
            )
            continue
        for condition in item["enableWhen"]:
            parent = items[condition["question"]]
            options = [option["valueCoding"] for option in parent["answerOption"]]
            assert condition["answerCoding"] in options
        assert [c["answerCoding"]["code"] for c in item["enableWhen"]] == list(
            question.show_if.values
        )
        assert item.get("enableBehavior") == ("any" if len(item["enableWhen"]) > 1 else None)
    assert conditions > 20


def test_enable_when_of_a_picked_procedure_follow_up():
    items = {item["linkId"]: item for item in walk(mapping.questionnaire(V2)["item"])}
    [condition] = items["prior_filler_last"]["enableWhen"]
    assert condition["question"] == "prior_procedures"
    assert condition["operator"] == "="
    assert condition["answerCoding"]["code"] == "filler"


@pytest.mark.django_db
def test_a_response_holds_exactly_the_stored_answers_under_linkids_of_its_version():
    stored = many_followups_answers()
    submission = submission_create(
        signature_name="Alex Doe", draft_key=str(uuid.uuid4()), answers=stored, today=TODAY
    )
    response = mapping.questionnaire_response(submission)
    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == f"{mapping.questionnaire_url()}|{CURRENT_VERSION}"
    assert set(link_ids(response)) <= set(link_ids(mapping.questionnaire(CURRENT_VERSION)))
    assert answers_read_back(response, CURRENT_VERSION) == submission.answers
    # Sections stay groups, in the questionnaire's order.
    groups = [group["linkId"] for group in response["item"]]
    assert groups == [s.key for s in definition_for(V2).sections if s.key in groups]


@pytest.mark.django_db
def test_an_answer_of_i_dont_remember_is_asked_unknown_not_a_date():
    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=many_followups_answers(),
        today=TODAY,
    )
    items = {
        item["linkId"]: item for item in walk(mapping.questionnaire_response(submission)["item"])
    }
    assert submission.answers["prior_filler_last"] == "unknown"
    assert items["prior_filler_last"]["answer"] == [
        {"extension": [{"url": mapping.DATA_ABSENT_REASON, "valueCode": "asked-unknown"}]}
    ]
    assert items["prior_ablative_laser_last"]["answer"] == [{"valueDate": "2025-01"}]
    assert [a["valueCoding"]["code"] for a in items["skin_concerns"]["answer"]] == [
        "acne_scars",
        "texture",
        "other",
    ]


@pytest.mark.django_db
def test_a_v1_submission_exports_against_v1():
    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=V1_ANSWERS,
        today=TODAY,
        questionnaire_version=V1,
    )
    response = mapping.questionnaire_response(submission)
    assert response["questionnaire"].endswith(f"|{V1}")
    assert set(link_ids(response)) <= set(link_ids(mapping.questionnaire(V1)))
    assert answers_read_back(response, V1) == submission.answers
    # v1's words, not v2's: the display of a choice is the label the patient was shown.
    items = {item["linkId"]: item for item in walk(response["item"])}
    v1_question = definition_for(V1).questions["prior_procedures"]
    for answer in items["prior_procedures"]["answer"]:
        coding = answer["valueCoding"]
        assert coding["display"] == str(v1_question.choice_label(coding["code"]))


@pytest.mark.django_db
def test_a_hidden_question_is_never_in_the_response():
    submission = submission_create(
        signature_name="Alex Doe", draft_key=str(uuid.uuid4()), answers=full_answers(), today=TODAY
    )
    # An answer stored for a follow-up its parent's answer hides (old data, a changed form).
    assert not definition_for(V2).questions["skin_concerns_other"].is_shown(submission.answers)
    Submission.objects.filter(pk=submission.pk).update(
        answers={**submission.answers, "skin_concerns_other": "should not leave"}
    )
    submission.refresh_from_db()
    response = mapping.questionnaire_response(submission)
    assert "skin_concerns_other" not in link_ids(response)
    assert "should not leave" not in str(response)


@pytest.mark.django_db
def test_the_contained_patient_is_the_subject_and_the_source():
    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(preferred_name="Annie"),
        today=TODAY,
    )
    response = mapping.questionnaire_response(submission)
    [patient] = response["contained"]
    assert response["subject"] == response["source"] == {"reference": "#patient"}
    assert patient["name"] == [
        {"use": "official", "family": submission.last_name, "given": [submission.first_name]},
        {"use": "usual", "given": ["Annie"]},
    ]
    assert patient["birthDate"] == submission.answers["date_of_birth"]
    assert {(t["system"], t["value"]) for t in patient["telecom"]} == {
        ("email", submission.email),
        ("phone", submission.phone),
    }


@pytest.mark.django_db
def test_the_signed_declaration_goes_in_the_standard_signature_extension():
    submission = submission_create(
        signature_name="Ana Patient",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(),
        today=TODAY,
    )
    response = mapping.questionnaire_response(submission)
    QuestionnaireResponse.model_validate(response)
    [signature] = [e for e in response["extension"] if e["url"] == mapping.SIGNATURE]
    assert signature["valueSignature"]["who"] == {"reference": "#patient", "display": "Ana Patient"}
    assert signature["valueSignature"]["type"][0]["code"] == mapping.CONSENT_SIGNATURE
    assert submission.declaration_sha256 in str(response["extension"])
    # A submission made before signatures existed carries none.
    Submission.objects.filter(pk=submission.pk).update(
        signature_name="", signed_at=None, declaration_version="", declaration_sha256=""
    )
    submission.refresh_from_db()
    assert "extension" not in mapping.questionnaire_response(submission)


@pytest.mark.django_db
def test_flags_are_detected_issues_with_evidence_pointing_into_the_response(make_staff):
    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(pregnancy_status="pregnant"),
        today=TODAY,
    )
    response = mapping.questionnaire_response(submission)
    answered = set(link_ids(response))
    flags = list(submission.flags.all())
    assert flags
    for flag in flags:
        issue = mapping.detected_issue(flag)
        DetectedIssue.model_validate(issue)
        assert issue["code"]["coding"][0]["code"] == flag.code
        assert issue["severity"] == mapping.DETECTED_ISSUE_SEVERITY[flag.severity]
        assert issue["detail"] == flag.reason
        assert issue["implicated"] == [
            {"reference": f"QuestionnaireResponse/{submission.reference}"}
        ]
        evidence_ids = [e["code"][0]["coding"][0]["code"] for e in issue.get("evidence", [])]
        assert evidence_ids == list(flag.questions)
        assert set(evidence_ids) <= answered | {
            qid for qid in flag.questions if qid not in submission.answers
        }
        extensions = {e["url"].rsplit("/", 1)[-1]: e for e in issue["extension"]}
        assert extensions["rules-version"]["valueString"] == flag.rules_version
        sources = [e["valueString"] for e in issue["extension"] if e["url"].endswith("flag-source")]
        assert sources == flag.sources
        assert "mitigation" not in issue


@pytest.mark.django_db
def test_an_acknowledged_flag_and_a_recorded_decision(doctor):
    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(pregnancy_status="pregnant"),
        today=TODAY,
    )
    Submission.objects.filter(pk=submission.pk).update(assigned_provider=doctor.provider)
    submission.refresh_from_db()
    bundle = mapping.submission_bundle(submission)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert "ClinicalImpression" not in kinds, "no decision before one is recorded"

    flags_acknowledge(submission=submission, flags=list(submission.flags.all()), actor=doctor)
    first = decision_record(
        submission=submission, outcome="needs_in_person", modality="none", notes="", actor=doctor
    )
    second = decision_record(
        submission=submission,
        outcome="proceed_with_conditions",
        modality="non_ablative",
        notes="After delivery.",
        actor=doctor,
    )
    submission.refresh_from_db()
    bundle = mapping.submission_bundle(submission)
    Bundle.model_validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    issues = [r for r in resources if r["resourceType"] == "DetectedIssue"]
    assert all(
        issue["mitigation"][0]["action"]["coding"][0]["code"] == "acknowledged" for issue in issues
    )
    assert issues[0]["mitigation"][0]["author"]["display"] == str(doctor.provider)
    impressions = [r for r in resources if r["resourceType"] == "ClinicalImpression"]
    assert [i["id"] for i in impressions] == [
        mapping.clinical_impression_id(first),
        mapping.clinical_impression_id(second),
    ]
    for impression in impressions:
        ClinicalImpression.model_validate(impression)
    latest = impressions[-1]
    assert latest["previous"] == {"reference": f"ClinicalImpression/{impressions[0]['id']}"}
    assert latest["finding"][0]["itemCodeableConcept"]["coding"][0]["code"] == (
        "proceed_with_conditions"
    )
    assert latest["note"] == [{"text": "After delivery."}]
    assert {"reference": f"QuestionnaireResponse/{submission.reference}"} in latest[
        "supportingInfo"
    ]
    assert all(
        entry["fullUrl"].endswith(f"/{entry['resource']['resourceType']}/{entry['resource']['id']}")
        for entry in bundle["entry"]
    )


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "QuestionnaireResponse"},  # status is required
        {"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "yesterday"},
        {"resourceType": "QuestionnaireResponse", "status": "completed", "answers": []},
    ],
)
def test_an_invalid_resource_is_refused_before_it_leaves(resource):
    with pytest.raises(ValueError):
        mapping.validated(resource)


# fhir.resources checks structure, cardinality and primitive formats, not the codes of required
# bindings: those we emit are checked here against R4's value sets.
R4_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time"}
R4_ITEM_TYPES |= {"string", "text", "url", "choice", "open-choice", "attachment", "reference"}
R4_ITEM_TYPES |= {"quantity"}
R4_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}


@pytest.mark.parametrize("version", list(DEFINITIONS))
def test_codes_of_required_bindings_are_r4s(version):
    resource = mapping.questionnaire(version)
    assert resource["status"] in {"draft", "active", "retired", "unknown"}
    for item in walk(resource["item"]):
        assert item["type"] in R4_ITEM_TYPES
        assert {c["operator"] for c in item.get("enableWhen", [])} <= R4_OPERATORS
        assert item.get("enableBehavior", "any") in {"all", "any"}
    assert set(mapping.DETECTED_ISSUE_SEVERITY.values()) == {"high", "moderate", "low"}


@pytest.mark.django_db
def test_an_erased_submission_exports_without_answers_or_contact():
    from screening.records.retention import submissions_erase

    submission = submission_create(
        signature_name="Alex Doe",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(cold_sore_now="yes", preferred_name="Annie"),
        today=TODAY,
    )
    submissions_erase(submissions=Submission.objects.filter(pk=submission.pk))
    submission.refresh_from_db()
    bundle = mapping.submission_bundle(submission)
    Bundle.model_validate(bundle)
    response = bundle["entry"][0]["resource"]
    assert "item" not in response
    assert response["meta"]["lastUpdated"].startswith(submission.erased_at.isoformat()[:19])
    [patient] = response["contained"]
    assert set(patient) == {"resourceType", "id", "identifier"}
    for entry in bundle["entry"][1:]:
        assert "evidence" not in entry["resource"]
    assert "Annie" not in str(bundle) and "ana@example.com" not in str(bundle)


def test_each_gateway_of_2027_01_is_one_item_with_its_answer_options():
    from screening.questionnaire.v2027_01 import GATEWAYS

    items = {item["linkId"]: item for item in walk(mapping.questionnaire(V3)["item"])}
    Questionnaire.model_validate(mapping.questionnaire(V3))
    for gateway, gateway_items in GATEWAYS.items():
        item = items[gateway]
        codes = [option["valueCoding"]["code"] for option in item["answerOption"]]
        assert codes == [*(key for key, _label in gateway_items), "not_sure", "none"], gateway
        assert item["repeats"] is True
        unsure = items[f"{gateway}_unsure"]
        assert [o["valueCoding"]["code"] for o in unsure["answerOption"]] == [
            key for key, _label in gateway_items
        ]
        [condition] = unsure["enableWhen"]
        assert (condition["question"], condition["answerCoding"]["code"]) == (gateway, "not_sure")
    # The retired ids are not items of 2027.01.
    assert "keloid_history" not in items and "bleeding_disorder" not in items
