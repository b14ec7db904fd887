"""Amending a sent submission's answers: the original stays, the flags are re-evaluated.

The one place that changes `Submission.answers` after sending. Whoever amends (the patient
through their link, the patient re-confirming before the visit, a provider told in person) the
same things happen, in one transaction: the answers are validated as a whole on the
submission's version (as of the submission date or the amendment's: `validate_amended`), an `Amendment` keeps what changed and the whole answer set it replaced,
the rules run again on the submission date, flags no longer raised are marked cleared (never
deleted), new ones name the amendment, the counts follow, and a new priority flag puts the
submission back before a qualified provider ("Needs attention"). Audited by counts, never
answers or flag codes. A patient's amendment (their link, or check-in) also queues an email to
the provider who reviews it (the reference and the link only).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.utils import timezone

from screening import flags as flag_rules
from screening.flags.return_visit import lifetime_answers
from screening.mail import notifications, tasks
from screening.models import Amendment, AuditEvent, Flag, Submission
from screening.questionnaire import UnknownVersion, definition_for
from screening.questionnaire.validation import ValidatedAnswers, validate_answers
from screening.records import audit
from screening.staff import routing

PROVENANCE_ANSWERED = "answered"


class AmendmentInvalid(Exception):
    """The amended answers failed validation; `errors` is keyed by question id."""

    def __init__(self, errors: dict):
        super().__init__(f"{len(errors)} invalid answers")
        self.errors = errors


class AmendmentRefused(Exception):
    """The amendment may not be made (erased, withdrawn, or a provider's without a reason)."""


def active_rule_flags(submission: Submission):
    """The flags the rules raised on the answers as they stand: at sending or by an amendment,
    not cleared since (a decision's modality flags are the decision's)."""
    return submission.flags.filter(decision__isnull=True, cleared_by_amendment__isnull=True)


def amend_answers(
    submission: Submission,
    changes: dict,
    *,
    source: str,
    actor=None,
    reason: str = "",
    address: str | None = None,
    today: date | None = None,
    clear_lifetime=(),
) -> Amendment | None:
    """Apply `changes` (question id -> new raw answer; None or "" to clear one) and return the
    Amendment, or None when nothing changed.

    A lifetime yes of the previous form (return-visit rule 3: `flags.return_visit`) that the
    rules keep reading though today's answers removed it is cleared only by a provider's
    amendment (with its reason): one that removes it now, or that names it in `clear_lifetime`
    ("isotretinoin_ever", "skin_history=keloid") when the patient had already removed it. The
    patient's and the check-in's changes never clear one.

    Raises AmendmentInvalid (nothing saved) when the amended answers fail validation, and
    AmendmentRefused for an erased or withdrawn submission or a provider's amendment without a
    reason. Who may amend is the caller's check (screening.staff.access, the patient's link).
    """
    reason = (reason or "").strip()
    if source == Amendment.Source.PROVIDER and (not reason or actor is None):
        raise AmendmentRefused("a provider's amendment needs the provider and a reason")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("previous_submission", "assigned_provider")
            .get(pk=submission.pk)
        )
        if locked.erased_at is not None or locked.status == Submission.Status.WITHDRAWN:
            raise AmendmentRefused("erased or withdrawn")
        visit = locked.visit()
        proposed = dict(locked.answers)
        for question_id, value in changes.items():
            if value is None:
                proposed.pop(question_id, None)
            else:
                proposed[question_id] = value
        validated = validate_amended(proposed, locked, today=today, visit=visit)
        if not validated.is_valid:
            raise AmendmentInvalid(validated.errors)
        before = locked.answers
        after = validated.answers
        changed = {
            question_id: {"before": before.get(question_id), "after": after.get(question_id)}
            for question_id in sorted(set(before) | set(after))
            if before.get(question_id) != after.get(question_id)
        }
        cleared_now = []
        if source == Amendment.Source.PROVIDER and visit is not None:
            cleared_now = lifetime_yeses_cleared(
                after, visit, locked.questionnaire_version, changed, clear_lifetime
            )
        if not changed and not cleared_now:
            return None
        if cleared_now:
            locked.lifetime_cleared = sorted({*(locked.lifetime_cleared or ()), *cleared_now})
            visit = replace(visit, lifetime_cleared=frozenset(locked.lifetime_cleared))
        locked.answers_version += 1
        amendment = Amendment.objects.create(
            submission=locked,
            source=source,
            actor=actor,
            reason=reason,
            changes=changed,
            answers_before=before,
            answers_version=locked.answers_version,
            lifetime_cleared=cleared_now,
        )
        raised, cleared = _reflag(locked, after, amendment, visit)
        for question_id in changed:
            if question_id in after:
                locked.provenance[question_id] = {
                    "provenance": PROVENANCE_ANSWERED,
                    "from_submission": locked.reference,
                    "answered_on": today.isoformat(),
                    "confirmed_on": None,
                    "amendment": amendment.answers_version,
                }
            else:
                locked.provenance.pop(question_id, None)
        locked.answers = after
        previous_provider = locked.assigned_provider
        if any(flag.severity is flag_rules.Severity.PRIORITY for flag in raised):
            # New priority work is a provider's to review again, whatever was done before.
            locked.reviewed = False
            if not routing.is_qualified(locked.assigned_provider, submission=locked):
                locked.assigned_provider = routing.choose_provider(needs_priority_review=True)
        locked.save()
        audit.record(
            action=AuditEvent.Action.AMENDED,
            actor=actor,
            address=address,
            submission=locked,
            detail=_audit_detail(source, changed, raised, cleared),
        )
        if locked.assigned_provider != previous_provider:
            audit.record(
                action=AuditEvent.Action.ASSIGNED,
                actor=actor,
                address=address,
                submission=locked,
                detail=(
                    f"priority flag after an amendment: {audit.provider_label(previous_provider)}"
                    f" -> {audit.provider_label(locked.assigned_provider)}"
                ),
            )
        if source != Amendment.Source.PROVIDER:
            # The provider who reviews it (after any re-routing above) learns of the patient's
            # change before the visit; a provider's own amendment was told to them in person.
            tasks.queue_email(kind=notifications.ANSWERS_CHANGED, object_id=amendment.pk)
    return amendment


def lifetime_yeses_cleared(answers, visit, version, changed, named=()) -> list[str]:
    """The earlier lifetime yeses a provider's amendment clears: of those the rules would keep
    reading on `answers` (removed since the previous form), each whose question this amendment
    changed, or that the provider named in `named`. As `Visit.lifetime_cleared` spells them."""
    try:
        definition = definition_for(version)
        previous = definition_for(visit.previous_version)
    except UnknownVersion:
        return []
    named = frozenset(named)
    _read, kept = lifetime_answers(answers, visit, definition, previous)
    cleared = []
    for question_id, held in kept.items():
        if held.follow_up:  # goes with its yes
            continue
        change = changed.get(question_id)
        if not isinstance(held.value, list):
            if change is not None or question_id in named:
                cleared.append(question_id)
            continue
        if question_id in named:  # every item kept
            cleared.extend(f"{question_id}={key}" for key in held.value)
            continue
        # Only the items this amendment removed (or named): another item removed earlier by
        # the patient stays kept.
        before = change.get("before") if change is not None else None
        removed_now = set(before) if isinstance(before, list) else set()
        cleared.extend(
            f"{question_id}={key}"
            for key in held.value
            if key in removed_now or f"{question_id}={key}" in named
        )
    return cleared


def kept_lifetime_yeses(submission: Submission, question_ids=None) -> list[tuple[str, str]]:
    """(token, words) for each earlier lifetime yes the rules still read on a re-screen's answers
    though the patient removed it (of `question_ids` only, when given): what a provider may
    clear by naming it in `amend_answers(clear_lifetime=...)`. Words like "Skin history: Keloid"."""
    visit = submission.visit()
    if visit is None:
        return []
    try:
        definition = definition_for(submission.questionnaire_version)
        previous = definition_for(visit.previous_version)
    except UnknownVersion:
        return []
    _read, kept = lifetime_answers(submission.answers, visit, definition, previous)
    offered = []
    for question_id, held in kept.items():
        if held.follow_up or (question_ids is not None and question_id not in question_ids):
            continue
        question = definition.questions[question_id]
        name = str(question.short_label or question_id)
        if isinstance(held.value, list):
            offered += [
                (f"{question_id}={key}", f"{name}: {question.choice_label(key)}")
                for key in held.value
            ]
        else:
            offered.append((question_id, f"{name}: {question.choice_label(held.value)}"))
    return offered


def validate_amended(
    proposed: dict, submission: Submission, *, today: date, only=None, visit=None
) -> ValidatedAnswers:
    """Amended answers validated as of the submission's date or the amendment's: an answer is
    wrong only when it is wrong on both. An answer left as it was stays valid though time has
    passed (an event then upcoming), and a changed one may be a date after sending (a new tan,
    a last dose since). `only` limits the errors to some questions (one step's)."""
    version = submission.questionnaire_version
    validated = validate_answers(
        proposed, today=submission.submitted_on, version=version, only=only, visit=visit
    )
    if validated.is_valid or today == submission.submitted_on:
        return validated
    as_of_today = validate_answers(proposed, today=today, version=version, only=only, visit=visit)
    validated.errors = {
        qid: error for qid, error in validated.errors.items() if qid in as_of_today.errors
    }
    # A value parses the same on any date (the date only decides errors): the union keeps the
    # answers valid on either date and what they open.
    validated.answers = {**validated.answers, **as_of_today.answers}
    return validated


def _reflag(locked: Submission, answers: dict, amendment: Amendment, visit):
    """Store the flags the amended answers newly raise and mark cleared those they no longer
    raise; recount. Returns (raised RaisedFlags, cleared codes)."""
    now_raised = flag_rules.flags_for(
        answers,
        locked.submitted_on,
        questionnaire_version=locked.questionnaire_version,
        visit=visit,
    )
    active = list(active_rule_flags(locked).filter(raised_by=Flag.RaisedBy.RULES))
    active_codes = {flag.code for flag in active}
    now_codes = {flag.code for flag in now_raised}
    new = [flag for flag in now_raised if flag.code not in active_codes]
    Flag.objects.bulk_create(
        Flag.from_raised(flag, submission=locked, raised_amendment=amendment) for flag in new
    )
    cleared = [flag for flag in active if flag.code not in now_codes]
    Flag.objects.filter(pk__in=[flag.pk for flag in cleared]).update(cleared_by_amendment=amendment)
    ranks = list(active_rule_flags(locked).values_list("severity_rank", flat=True))
    locked.priority_count = ranks.count(flag_rules.Severity.PRIORITY.rank)
    locked.discuss_count = ranks.count(flag_rules.Severity.DISCUSS.rank)
    locked.info_count = ranks.count(flag_rules.Severity.INFO.rank)
    locked.top_severity_rank = max(ranks, default=-1)
    return new, sorted(flag.code for flag in cleared)


def _audit_detail(source, changed, raised, cleared) -> str:
    """Counts only: the privacy officer reads the trail, and a flag's code (PREGNANT) says as
    much as the answer (records.audit: no flag code, no answer). The review page has the rest."""
    return (
        f"{source}: {len(changed)} answer(s) changed; "
        f"{len(raised)} flag(s) raised, {len(cleared)} cleared"
    )[:200]
