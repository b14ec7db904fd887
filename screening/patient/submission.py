"""The one place that turns a finished draft into saved records."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from screening import flags as flag_rules
from screening.mail import notifications, tasks
from screening.models import AuditEvent, Flag, Submission
from screening.patient.declaration import SIGNATURE_MAX_LENGTH, clean_signature, declaration_for
from screening.questionnaire import CONTACT_QUESTION_IDS, CURRENT_VERSION
from screening.questionnaire.text_policy import has_refused_characters
from screening.questionnaire.validation import validate_answers
from screening.records import audit
from screening.staff import routing
from screening.visits import rescreen

# The key of a missing signature in AnswersInvalid.errors (never a question id).
SIGNATURE_FIELD = "signature_name"


class AnswersInvalid(Exception):
    """The answers failed validation; `errors` is keyed by question id."""

    def __init__(self, errors: dict):
        super().__init__(f"{len(errors)} invalid answers")
        self.errors = errors


def submission_create(
    *,
    draft_key: str,
    answers: dict,
    today: date,
    questionnaire_version: str = CURRENT_VERSION,
    appointment_at: datetime | None = None,
    signature_name: str,
    language: str = "en",
    previous_submission: Submission | None = None,
    visit_type: str = Submission.VisitType.FIRST_VISIT,
    treatment_date: date | None = None,
    provenance: dict | None = None,
) -> Submission:
    """Validate, flag, route and save one submission atomically; one draft gives one row.

    `questionnaire_version` is the version the answers were given on (the draft's): they are
    validated, flagged and stored with it, never with another.

    The flags, the assignment and the audit event are saved in the same transaction as the
    submission, and so is the email to the provider (or the fallback address): a task the worker
    sends once the transaction has committed, retried while the mail server is down.
    `appointment_at` is the booked consultation of the patient's invitation, if any.
    `signature_name` is the full name the patient typed under the declaration of their
    questionnaire version; it is stored with the time and that declaration's version and hash.
    `language` is the one the patient answered and signed in (the answers themselves are keys,
    numbers, dates and free text: the same whatever the language).

    A re-screen (a returning patient's short form) names its `previous_submission`, its
    `visit_type` (series_session or new_consultation) and the clinic's `treatment_date`: the
    answers are validated and flagged with that visit (the re-screen's own questions, the
    modality of the current decision on the previous submission), and `provenance` (question id
    -> answered / confirmed / carried, from which submission, when) is stored with the answers
    that remain after validation; an answer given today names this submission.

    Raises AnswersInvalid when the answers fail validation or the signature is missing; nothing
    is saved then.
    """
    visit = None
    if previous_submission is not None:
        visit = rescreen.visit_for(
            previous_submission, visit_type=visit_type, treatment_date=treatment_date
        )
        visit_type = visit.visit_type
    else:
        visit_type, treatment_date = Submission.VisitType.FIRST_VISIT, None
    validated = validate_answers(answers, today=today, version=questionnaire_version, visit=visit)
    signature = clean_signature(signature_name or "")
    if not signature or len(signature) > SIGNATURE_MAX_LENGTH or has_refused_characters(signature):
        validated.errors[SIGNATURE_FIELD] = "signature missing, too long or with refused characters"
    if not validated.is_valid:
        raise AnswersInvalid(validated.errors)
    declaration = declaration_for(questionnaire_version)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    clean = validated.answers
    existing = Submission.objects.filter(draft_key=draft_key).first()
    if existing is not None:  # a second click, a replay, a second tab: the first send stands
        return existing
    policy = flag_rules.current_policy()
    raised = flag_rules.flags_for(
        clean, today, policy, questionnaire_version=questionnaire_version, visit=visit
    )
    ranks = [flag.severity.rank for flag in raised]
    with transaction.atomic():
        provider = routing.choose_provider(
            needs_priority_review=flag_rules.Severity.PRIORITY.rank in ranks
        )
        candidate = Submission(
            draft_key=draft_key,
            assigned_provider=provider,
            priority_count=ranks.count(flag_rules.Severity.PRIORITY.rank),
            discuss_count=ranks.count(flag_rules.Severity.DISCUSS.rank),
            info_count=ranks.count(flag_rules.Severity.INFO.rank),
            top_severity_rank=max(ranks, default=-1),
            submitted_on=today,
            appointment_at=appointment_at,
            questionnaire_version=questionnaire_version,
            rules_version=flag_rules.rules_version(policy),
            answers=clean,
            signature_name=signature,
            signed_at=timezone.now(),
            declaration_version=declaration.version,
            declaration_sha256=declaration.sha256,
            language=language,
            declaration_text_sha256=declaration.sha256_in(language),
            **{qid: clean.get(qid, "") for qid in CONTACT_QUESTION_IDS},
            visit_type=visit_type,
            previous_submission=previous_submission,
            treatment_date=treatment_date,
            carried_modality=visit.carried_modality if visit else "",
            carried_provider_skin_type=visit.carried_provider_skin_type if visit else "",
            carried_decision_date=visit.carried_decision_date if visit else None,
        )
        candidate.provenance = _provenance_kept(provenance or {}, clean, candidate.reference)
        candidate.privacy_notice_version = rescreen.acknowledged_notice_version(
            clean, candidate.provenance, previous_submission
        )
        # INSERT ... ON CONFLICT DO NOTHING: two sends of one draft at the same instant. A plain
        # INSERT would fail on the unique draft key, and PostgreSQL writes a failed statement
        # whole (the patient's name, contact and answers) into its own log.
        Submission.objects.bulk_create([candidate], ignore_conflicts=True)
        submission = Submission.objects.filter(draft_key=draft_key).first()
        if submission is None:  # the conflict was another row's reference (1 in 2**44)
            raise IntegrityError("submission not saved: reference taken")
        if submission.reference != candidate.reference:
            return submission  # the other send saved it first; it queued its own emails
        Flag.objects.bulk_create(Flag.from_raised(flag, submission=submission) for flag in raised)
        audit.record(
            action=AuditEvent.Action.SUBMITTED,
            submission=submission,
            detail=f"assigned to {audit.provider_label(provider)}"
            if provider
            else "unassigned: no eligible provider",
        )
        tasks.queue_email(kind=notifications.NEW_SUBMISSION, object_id=submission.pk)
        if notifications.wants_receipt(clean):
            tasks.queue_email(kind=notifications.RECEIPT, object_id=submission.pk)
    return submission


def _provenance_kept(provenance: dict, clean: dict, reference: str) -> dict:
    """The provenance of the answers kept after validation; an answer given today names the new
    submission (its reference is known only now)."""
    return {
        qid: {**entry, "from_submission": entry.get("from_submission") or reference}
        for qid, entry in provenance.items()
        if qid in clean
    }
