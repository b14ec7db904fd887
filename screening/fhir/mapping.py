"""Our records as FHIR R4 resources: questionnaire versions, responses, flags, decisions.

Pure functions from a `Definition`, a `Submission` and its `Flag`s and `Decision`s to JSON-ready
dicts; every resource is validated by the R4B models of `fhir.resources` (R4B is R4 for every
resource used here) before it is returned, so nothing invalid leaves. docs/fhir.md
explains the mapping and why flags are `DetectedIssue`s and decisions `ClinicalImpression`s.

What a question kind becomes is one table, `ITEM_TYPES`, keyed by `Kind` like
`answer_types.ANSWER_TYPES`; how an answer of an item type is written is `_ANSWER_VALUES`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone, translation
from fhir.resources.R4B import get_fhir_model_class

from screening.flags import Severity
from screening.questionnaire import (
    CURRENT_VERSION,
    UNKNOWN,
    AnswerIs,
    Definition,
    Kind,
    Picked,
    PickedMoreThanOne,
    Question,
    definition_for,
)
from screening.questionnaire.answer_types import text_limit
from screening.questionnaire.visit import VISIT_KEY, OnVisit
from screening.questionnaire.visit_labels import fill_for_visit, label_for_visit

FHIR_VERSION = "4.0.1"
QUESTIONNAIRE_NAME = "laser-prescreen"
PATIENT_ID = "patient"  # the contained Patient of a QuestionnaireResponse

# Extensions defined by HL7 (core and SDC) that the mapping uses.
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
SIGNATURE = "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-signature"
SIGNATURE_TYPE_SYSTEM = "urn:iso-astm:E1762-95:2013"
CONSENT_SIGNATURE = "1.2.840.10065.1.12.1.7"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)

# A question kind -> the Questionnaire item type (a long text question is "text").
ITEM_TYPES: dict[Kind, str] = {
    Kind.TEXT: "string",
    Kind.EMAIL: "string",
    Kind.PHONE: "string",
    Kind.DATE: "date",
    Kind.MONTH_YEAR: "date",  # FHIR's date takes "YYYY-MM"
    Kind.NUMBER: "decimal",
    Kind.YES_NO: "choice",
    Kind.YES_NO_UNSURE: "choice",
    Kind.SINGLE: "choice",
    Kind.MULTI: "choice",
}

# Our severity -> DetectedIssue.severity (the three grades map one to one).
DETECTED_ISSUE_SEVERITY = {
    Severity.PRIORITY: "high",
    Severity.DISCUSS: "moderate",
    Severity.INFO: "low",
}


# --- addresses: canonical URLs and code systems (under the clinic's FHIR base) -----------------


def base_url() -> str:
    """The FHIR base of this server (`SCREENING_FHIR_BASE_URL`): canonical URLs and full URLs of
    bundle entries are built on it, so that they resolve on the API."""
    return settings.SCREENING_FHIR_BASE_URL.rstrip("/")


def questionnaire_url() -> str:
    """The canonical URL shared by every version of the questionnaire."""
    return f"{base_url()}/Questionnaire/{QUESTIONNAIRE_NAME}"


def questionnaire_id(version: str) -> str:
    """The resource id of one version, e.g. "laser-prescreen-2026.12"."""
    return f"{QUESTIONNAIRE_NAME}-{version}"


def choice_system(question_id: str) -> str:
    """The CodeSystem of one question's choice keys (a key keeps its meaning across versions)."""
    return f"{base_url()}/CodeSystem/{QUESTIONNAIRE_NAME}-{question_id}"


def system(name: str) -> str:
    """One of our own code systems, identifier systems or extensions, by name."""
    kind = "StructureDefinition" if name.startswith("ext-") else "CodeSystem"
    return f"{base_url()}/{kind}/{name.removeprefix('ext-')}"


REFERENCE_SYSTEM = "submission-reference"  # NamingSystem of our references (identifiers)
FLAG_CODES = "screening-flag"
LINK_IDS = "laser-prescreen-link-id"  # evidence: the linkId of a question that raised a flag
ACTIONS = "screening-flag-action"
DECISION_KIND = "candidacy-assessment"
DECISION_OUTCOMES = "candidacy-outcome"
MODALITIES = "laser-modality"


def _identifier(reference: str) -> dict:
    return {"system": f"{base_url()}/NamingSystem/{REFERENCE_SYSTEM}", "value": reference}


def _instant(moment: datetime) -> str:
    """UTC, to the microsecond: `_lastUpdated=gt<this>` then never skips a resource."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _fhir_language() -> str:
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def validated(resource: dict) -> dict:
    """`resource`, once the R4(B) model of its type accepts it (pydantic ValidationError if not)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


# --- Questionnaire ------------------------------------------------------------------------------


def item_type(question: Question) -> str:
    if question.kind is Kind.TEXT and question.long:
        return "text"
    return ITEM_TYPES[question.kind]


def choice_coding(question: Question, key: str) -> dict:
    return {
        "system": choice_system(question.id),
        "code": key,
        "display": str(question.choice_label(key)),
    }


def _enable_when(question: Question, definition: Definition) -> dict:
    """enableWhen/enableBehavior from `show_if`; "more than one picked" has no enableWhen
    operator, so it is SDC's enableWhenExpression (FHIRPath)."""
    condition = question.show_if
    if condition is None or isinstance(condition, OnVisit):
        # A re-screen question is asked by the visit's context, which is no answer of the
        # response: FHIR has nothing to test, and only a re-screen's response holds it.
        return {}
    parent = definition.questions[condition.question_id]
    if isinstance(condition, PickedMoreThanOne):
        expression = f"%resource.repeat(item).where(linkId='{parent.id}').answer.count() > 1"
        return {
            "extension": [
                {
                    "url": ENABLE_WHEN_EXPRESSION,
                    "valueExpression": {"language": "text/fhirpath", "expression": expression},
                }
            ]
        }
    if not isinstance(condition, AnswerIs | Picked) or item_type(parent) != "choice":
        raise ValueError(f"{question.id}: no FHIR mapping for show_if {condition!r}")
    # "=" on a repeating item holds when any of its answers is equal: Picked and AnswerIs alike.
    conditions = [
        {"question": parent.id, "operator": "=", "answerCoding": choice_coding(parent, key)}
        for key in condition.values
    ]
    enable = {"enableWhen": conditions}
    if len(conditions) > 1:
        enable["enableBehavior"] = "any"
    return enable


def _question_item(question: Question, definition: Definition) -> dict:
    kind = item_type(question)
    # A re-screen's question names its dates; the form's definition has none ("…").
    item = {"linkId": question.id, "text": fill_for_visit(question.label, None), "type": kind}
    enable = _enable_when(question, definition)
    item.update(enable)
    item["required"] = question.required
    if question.kind is Kind.MULTI:
        item["repeats"] = True
    if kind in ("string", "text"):
        item["maxLength"] = text_limit(question)
    if question.choices:
        item["answerOption"] = [
            {"valueCoding": choice_coding(question, choice.key)} for choice in question.choices
        ]
    if question.help_text:
        item["item"] = [
            {
                "extension": [
                    {
                        "url": ITEM_CONTROL,
                        "valueCodeableConcept": {
                            "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help"}]
                        },
                    }
                ],
                "linkId": f"{question.id}.help",
                "text": str(question.help_text),
                "type": "display",
            }
        ]
    return item


def questionnaire(version: str) -> dict:
    """The Questionnaire of one version: a group per section, an item per question."""
    definition = definition_for(version)
    with translation.override(settings.LANGUAGE_CODE):
        groups = [
            {
                "linkId": section.key,
                "text": str(section.title),
                "type": "group",
                "item": [_question_item(question, definition) for question in section.questions],
            }
            for section in definition.sections
        ]
    return validated(
        {
            "resourceType": "Questionnaire",
            "id": questionnaire_id(version),
            "language": _fhir_language(),
            "url": questionnaire_url(),
            "version": version,
            "name": "LaserResurfacingPrescreening",
            "title": "Laser skin resurfacing pre-screening",
            # Older versions are still read (their responses), but no longer answered.
            "status": "active" if version == CURRENT_VERSION else "retired",
            "subjectType": ["Patient"],
            "publisher": settings.CLINIC_NAME,
            "item": groups,
        }
    )


# --- QuestionnaireResponse ----------------------------------------------------------------------


def _choice_answers(question: Question, value) -> list[dict]:
    keys = value if isinstance(value, list) else [value]
    return [{"valueCoding": choice_coding(question, key)} for key in keys]


def _date_answers(question: Question, value) -> list[dict]:
    if value == UNKNOWN:  # "I don't remember": asked, and the patient does not know
        return [{"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "asked-unknown"}]}]
    return [{"valueDate": value}]


_ANSWER_VALUES = {
    "choice": _choice_answers,
    "date": _date_answers,
    "decimal": lambda question, value: [{"valueDecimal": value}],
    "string": lambda question, value: [{"valueString": value}],
    "text": lambda question, value: [{"valueString": value}],
}


def answer_item(question: Question, value, visit=None) -> dict:
    """The response item of one stored answer (stored formats: `answer_types`); a re-screen's
    question as its patient read it, with the dates of their `visit`."""
    return {
        "linkId": question.id,
        "text": label_for_visit(question, visit),
        "answer": _ANSWER_VALUES[item_type(question)](question, value),
    }


def patient_identifier(submission) -> dict:
    """How resources outside the response name its contained Patient: by the reference."""
    return _identifier(submission.reference)


def patient_reference(submission) -> dict:
    return {"type": "Patient", "identifier": patient_identifier(submission)}


def contained_patient(submission) -> dict:
    """The patient as the answers give them: name, preferred name, birth date, email, phone
    (none of it once retention erased it)."""
    patient = {"resourceType": "Patient", "id": PATIENT_ID}
    patient["identifier"] = [patient_identifier(submission)]
    names = []
    if submission.last_name or submission.first_name:
        official = {"use": "official"}
        if submission.last_name:
            official["family"] = submission.last_name
        if submission.first_name:
            official["given"] = [submission.first_name]
        names.append(official)
    if submission.preferred_name:
        names.append({"use": "usual", "given": [submission.preferred_name]})
    if names:
        patient["name"] = names
    telecom = [
        {"system": kind, "value": value}
        for kind, value in (("email", submission.email), ("phone", submission.phone))
        if value
    ]
    if telecom:
        patient["telecom"] = telecom
    if submission.date_of_birth:
        patient["birthDate"] = str(submission.date_of_birth)  # a date, or its ISO text
    return patient


def signature_extensions(submission) -> list[dict]:
    """The patient's signature of the declaration, in the standard signature extension.

    Hook for the patient form's signature: it reads `signed_at`, `signature_name`,
    `declaration_version` and `declaration_sha256` on the submission when they exist, and adds
    nothing while they do not.
    """
    signed_at = getattr(submission, "signed_at", None)
    if not signed_at:
        return []
    signature = {
        "type": [
            {
                "system": SIGNATURE_TYPE_SYSTEM,
                "code": CONSENT_SIGNATURE,
                "display": "Consent Signature",
            }
        ],
        "when": _instant(signed_at),
        "who": {"reference": f"#{PATIENT_ID}"},
    }
    name = getattr(submission, "signature_name", "")
    if name:
        signature["who"]["display"] = name
    extensions = [{"url": SIGNATURE, "valueSignature": signature}]
    declaration = getattr(submission, "declaration_version", "")
    digest = getattr(submission, "declaration_sha256", "")
    if declaration:
        value = f"{declaration} sha256:{digest}" if digest else declaration
        extensions.append({"url": system("ext-signed-declaration"), "valueString": value})
    return extensions


def visible_answers(definition: Definition, answers: dict, visit=None) -> list[tuple]:
    """(section, [(question, value)]) for every answered question the patient was shown (a
    re-screen's own questions are shown only with its `visit`)."""
    shown_on = {**answers, VISIT_KEY: visit} if visit is not None else answers
    return [
        (
            section,
            [
                (question, answers[question.id])
                for question in section.questions
                if question.id in answers and question.is_shown(shown_on)
            ],
        )
        for section in definition.sections
    ]


def _amendments(submission) -> list:
    """The submission's amendments, oldest first (prefetched by fhir.export.exportable)."""
    return sorted(submission.amendments.all(), key=lambda amendment: amendment.answers_version)


def last_updated(submission):
    """When the response last changed: its erasure, else its latest amendment, else sending."""
    if submission.erased_at:
        return submission.erased_at
    amendments = _amendments(submission)
    return amendments[-1].at if amendments else submission.submitted_at


def questionnaire_response(submission) -> dict:
    """One submission as a QuestionnaireResponse of the version it was answered on: its
    current answers, `status: amended` and `meta.versionId` the answers' version once amended
    after sending (earlier versions: `response_versions`)."""
    return _response(
        submission,
        answers=submission.answers or {},
        version=submission.answers_version,
        updated=last_updated(submission),
    )


def response_versions(submission) -> dict[int, dict]:
    """Every version of the response, by versionId (1 as sent): each earlier one from the
    answers the next amendment replaced (`Amendment.answers_before`)."""
    amendments = {amendment.answers_version: amendment for amendment in _amendments(submission)}
    versions = {}
    for version in range(1, submission.answers_version + 1):
        if version == submission.answers_version:
            versions[version] = questionnaire_response(submission)
            continue
        replaced_by = amendments.get(version + 1)
        if replaced_by is None:  # an amendment row missing: that version cannot be rebuilt
            continue
        made_by = amendments.get(version)
        versions[version] = _response(
            submission,
            answers=replaced_by.answers_before or {},
            version=version,
            updated=made_by.at if made_by else submission.submitted_at,
        )
    return versions


def _response(submission, *, answers: dict, version: int, updated) -> dict:
    definition = definition_for(submission.questionnaire_version)
    visit = submission.visit()
    with translation.override(settings.LANGUAGE_CODE):
        groups = [
            {
                "linkId": section.key,
                "text": str(section.title),
                "item": [answer_item(question, value, visit) for question, value in answered],
            }
            for section, answered in visible_answers(definition, answers, visit)
            if answered
        ]
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": submission.reference,
        # Its answers change after submission when amended (a new version) or erased.
        "meta": {"versionId": str(version), "lastUpdated": _instant(updated)},
        "language": _fhir_language(),
        "contained": [contained_patient(submission)],
    }
    extensions = signature_extensions(submission)
    if extensions:
        response["extension"] = extensions
    response.update(
        {
            "identifier": _identifier(submission.reference),
            "questionnaire": f"{questionnaire_url()}|{definition.version}",
            "status": "amended" if version > 1 else "completed",
            "subject": {"reference": f"#{PATIENT_ID}"},
            "authored": _instant(submission.submitted_at),
            "source": {"reference": f"#{PATIENT_ID}"},
        }
    )
    if groups:
        response["item"] = groups
    return validated(response)


# --- Flags: DetectedIssue -------------------------------------------------------------------------


def detected_issue_id(flag) -> str:
    return f"{flag.submission.reference}-flag-{flag.pk}"


def _acknowledgement(flag) -> list[dict]:
    if flag.acknowledged_at is None:
        return []
    mitigation = {
        "action": {
            "coding": [
                {
                    "system": system(ACTIONS),
                    "code": "acknowledged",
                    "display": "Acknowledged by a provider",
                }
            ]
        },
        "date": _instant(flag.acknowledged_at),
    }
    user = flag.acknowledged_by
    if user is not None:
        provider = getattr(user, "provider", None)
        mitigation["author"] = {"display": str(provider) if provider else user.get_username()}
    return [mitigation]


def detected_issue(flag) -> dict:
    """One stored flag: code, severity, reason, the answers that raised it (as evidence pointing
    to their linkIds in the response), sources, rules version, acknowledgement."""
    submission = flag.submission
    response_reference = {"reference": f"QuestionnaireResponse/{submission.reference}"}
    extensions = [
        {"url": system("ext-flag-severity"), "valueCode": flag.severity},
        {"url": system("ext-rules-version"), "valueString": flag.rules_version},
        {"url": system("ext-flag-raised-by"), "valueCode": flag.raised_by},
        *({"url": system("ext-flag-source"), "valueString": source} for source in flag.sources),
    ]
    issue = {
        "resourceType": "DetectedIssue",
        "id": detected_issue_id(flag),
        "extension": extensions,
        # A flag the amended answers no longer raise is kept, no longer counted: cancelled.
        "status": "cancelled" if getattr(flag, "cleared_by_amendment_id", None) else "final",
        "code": {
            "coding": [{"system": system(FLAG_CODES), "code": flag.code}],
            "text": flag.rule_description or flag.code,
        },
        "severity": DETECTED_ISSUE_SEVERITY[Severity(flag.severity)],
        "patient": patient_reference(submission),
        "identifiedDateTime": _instant(flag.raised_at),
        "implicated": [response_reference],
        "evidence": [
            {
                "code": [
                    {
                        "coding": [{"system": system(LINK_IDS), "code": question_id}],
                        "text": str(shown),
                    }
                ],
                "detail": [response_reference],
            }
            for question_id, shown in (flag.questions or {}).items()
        ],
    }
    if flag.reason:
        issue["detail"] = flag.reason
    mitigation = _acknowledgement(flag)
    if mitigation:
        issue["mitigation"] = mitigation
    if not issue["evidence"]:
        del issue["evidence"]
    return validated(issue)


# --- Decisions: ClinicalImpression --------------------------------------------------------------


def clinical_impression_id(decision) -> str:
    return f"{decision.submission.reference}-decision-{decision.pk}"


def clinical_impression(decision, *, flags=()) -> dict:
    """A provider's recorded candidacy decision; a superseding one names the one before."""
    submission = decision.submission
    outcome = decision.get_outcome_display()
    modality = decision.get_modality_display()
    impression = {
        "resourceType": "ClinicalImpression",
        "id": clinical_impression_id(decision),
        "extension": [
            {
                "url": system("ext-modality-under-consideration"),
                "valueCoding": {
                    "system": system(MODALITIES),
                    "code": decision.modality,
                    "display": modality,
                },
            }
        ],
        "status": "completed",
        "code": {
            "coding": [
                {
                    "system": system(DECISION_KIND),
                    "code": "laser-resurfacing-candidacy",
                    "display": "Laser resurfacing candidacy",
                }
            ]
        },
        "subject": patient_reference(submission),
        "effectiveDateTime": _instant(decision.decided_at),
        "date": _instant(decision.decided_at),
        "assessor": {"display": str(decision.provider)},
    }
    if decision.supersedes_id:
        impression["previous"] = {
            "reference": f"ClinicalImpression/{submission.reference}-decision-"
            f"{decision.supersedes_id}"
        }
    impression["supportingInfo"] = [
        {"reference": f"QuestionnaireResponse/{submission.reference}"},
        *({"reference": f"DetectedIssue/{detected_issue_id(flag)}"} for flag in flags),
    ]
    impression["summary"] = f"{outcome}. Modality under consideration: {modality}."
    impression["finding"] = [
        {
            "itemCodeableConcept": {
                "coding": [
                    {
                        "system": system(DECISION_OUTCOMES),
                        "code": decision.outcome,
                        "display": outcome,
                    }
                ]
            }
        }
    ]
    if decision.notes:
        impression["note"] = [{"text": decision.notes}]
    return validated(impression)


# --- Bundles ------------------------------------------------------------------------------------


def full_url(resource: dict) -> str:
    return f"{base_url()}/{resource['resourceType']}/{resource['id']}"


def submission_resources(submission) -> list[dict]:
    """The response, its flags and its decisions (oldest first), as resources."""
    flags = sorted(submission.flags.all(), key=lambda flag: flag.pk)
    decisions = sorted(submission.decisions.all(), key=lambda decision: decision.pk)
    return [
        questionnaire_response(submission),
        *(detected_issue(flag) for flag in flags),
        *(clinical_impression(decision, flags=flags) for decision in decisions),
    ]


def submission_bundle(submission) -> dict:
    """A collection Bundle of one submission: response, flags, decisions."""
    return collection_bundle([submission])


def collection_bundle(submissions) -> dict:
    """A collection Bundle of the resources of several submissions (the export command's)."""
    entries = [
        {"fullUrl": full_url(resource), "resource": resource}
        for submission in submissions
        for resource in submission_resources(submission)
    ]
    return validated(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": _instant(timezone.now()),
            "entry": entries,
        }
    )
