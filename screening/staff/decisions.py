"""Staff actions on a submission: status, assignment, flag acknowledgement, candidacy decisions.

Keyword-only services that take the acting user (not the request), ask `access` whether the
user may, and record their own audit event; views and admin actions alike call them. The flag
rules never call them: only a provider records a decision.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from screening import flags as flag_rules
from screening.flags.provider_checks import skin_type_flags
from screening.models import AuditEvent, Decision, Flag, Provider, Submission
from screening.questionnaire.date_ranges import appointment_error
from screening.records import audit
from screening.staff import access, routing


class DecisionRefused(Exception):
    """The action is not allowed; the message says why (shown to the staff member)."""


# The same refusal, named for what was refused.
StatusRefused = AssignmentRefused = DecisionRefused


class SentForPhysicianReview(DecisionRefused):
    """The modality the provider recorded raises a priority flag their level may not review
    (fully ablative resurfacing on isotretinoin, or in skin type IV-VI): nothing was decided,
    the flag is stored and the submission has gone to a qualified provider."""


# "Series: next session in about N weeks": fractional series run 4-6 weeks apart; outside
# 2-26 weeks it is a typo or not a series (a later consultation is invited as a new one).
SERIES_WEEKS_MIN, SERIES_WEEKS_MAX = 2, 26
# A next session follows only a decision to treat.
SERIES_OUTCOMES = (Decision.Outcome.PROCEED, Decision.Outcome.PROCEED_WITH_CONDITIONS)


def series_weeks_error(weeks: int | None, *, outcome: str) -> str:
    """Why `weeks` may not go with this decision ("" when it may, or when there is none)."""
    if weeks is None:
        return ""
    if not SERIES_WEEKS_MIN <= weeks <= SERIES_WEEKS_MAX:
        return (
            f"Enter the weeks to the next session as a number from {SERIES_WEEKS_MIN} to "
            f"{SERIES_WEEKS_MAX}, or leave it empty if this is not a series."
        )
    if outcome not in SERIES_OUTCOMES:
        return (
            "A next session in a series goes with a decision to proceed: choose "
            '"Proceed to treatment planning" or "Proceed with conditions", or leave the '
            "weeks empty."
        )
    return ""


PHYSICIAN_REVIEW_MESSAGE = (
    "Fully ablative resurfacing for this patient needs review by a provider who may review "
    "priority flags. No decision was recorded: the submission now needs physician review and "
    "has gone to a qualified provider, who will record the decision."
)


def submission_set_status(
    *,
    submission: Submission,
    status: str,
    actor,
    address: str | None = None,
    appointment_at=None,
) -> None:
    """Move `submission` to `status` along access.STATUS_TRANSITIONS (never to "Decided").

    "Consultation booked" needs the consultation's date and time: `appointment_at`, or the one
    the submission already carries (from its invitation).
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == status:
            if appointment_at is not None:
                _set_appointment(locked, appointment_at, actor=actor, address=address)
                submission.appointment_at = locked.appointment_at
            return
        if (
            status == Submission.Status.CONSULTATION_BOOKED
            and appointment_at is None
            and locked.appointment_at is None
        ):
            raise StatusRefused("Enter the consultation's date and time to book it.")
        if not access.can_set_status(actor, locked, status):
            raise StatusRefused(
                f"You cannot move a submission from {locked.get_status_display()} "
                f"to {Submission.Status(status).label}."
                if status in Submission.Status.values
                else "Unknown status."
            )
        previous = locked.status
        locked.status = status
        # Scheduling only: a booking or any other move leaves the clinical review as it was
        # (a priority patient stays in the provider's attention panel until a provider acts).
        locked.save(update_fields=["status"])
        audit.record(
            action=AuditEvent.Action.CHANGED,
            actor=actor,
            address=address,
            submission=locked,
            detail=f"status {previous} -> {status}",
        )
        if appointment_at is not None:
            _set_appointment(locked, appointment_at, actor=actor, address=address)
    submission.status = locked.status
    submission.appointment_at = locked.appointment_at


def _set_appointment(locked: Submission, appointment_at, *, actor, address) -> None:
    """Within the caller's transaction: the booked consultation's time, audited (the detail
    says that it changed, not when: the privacy officer's trail needs no schedule)."""
    if not access.can_set_appointment(actor, locked):
        raise StatusRefused("You cannot change the appointment of this submission.")
    if locked.appointment_at == appointment_at:
        return
    error = appointment_error(appointment_at)
    if error:
        raise StatusRefused(error)
    locked.appointment_at = appointment_at
    locked.save(update_fields=["appointment_at"])
    audit.record(
        action=AuditEvent.Action.CHANGED,
        actor=actor,
        address=address,
        submission=locked,
        detail="appointment set",
    )


def assignment_error(*, submission: Submission, provider: Provider | None) -> str:
    """Why `provider` may not hold `submission` ("" when they may)."""
    if provider is None:
        return ""
    if not provider.is_active:
        return "This provider is not active."
    if not routing.is_qualified(provider, submission=submission):
        return (
            "This submission has a priority flag: assign it to a provider whose level may "
            "review priority flags."
        )
    return ""


def submission_assign(
    *, submission: Submission, provider: Provider | None, actor, address: str | None = None
) -> None:
    """Give `submission` to `provider` (None: back to "Needs assignment"), qualified only."""
    if not access.can_assign(actor):
        raise AssignmentRefused("You cannot assign submissions.")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.assigned_provider_id == (provider.pk if provider else None):
            return
        error = assignment_error(submission=locked, provider=provider)
        if error:
            raise AssignmentRefused(error)
        previous = locked.assigned_provider
        locked.assigned_provider = provider
        locked.save(update_fields=["assigned_provider"])
        audit.record(
            action=AuditEvent.Action.ASSIGNED,
            actor=actor,
            address=address,
            submission=locked,
            detail=f"{audit.provider_label(previous)} -> {audit.provider_label(provider)}",
        )
    submission.assigned_provider = provider


def unacknowledged_priority_flags(submission: Submission):
    """Priority flags nobody acknowledged yet (those of a superseded decision no longer count)."""
    return submission.flags.filter(
        severity=Flag.Severity.PRIORITY,
        acknowledged_at__isnull=True,
        cleared_by_amendment__isnull=True,  # an amendment no longer raises it
    ).exclude(decision__superseded_by__isnull=False)


def _mark_reviewed(locked: Submission, *, actor, address, how: str) -> bool:
    """Within the caller's transaction, on a locked row: the review is done, by `actor`, now.
    The first review stands (later actions do not move it). True when marked now."""
    if locked.reviewed:
        return False
    locked.reviewed = True
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor
    locked.save(update_fields=["reviewed", "reviewed_at", "reviewed_by"])
    audit.record(
        action=AuditEvent.Action.REVIEWED,
        actor=actor,
        address=address,
        submission=locked,
        detail=how,
    )
    return True


def submission_mark_reviewed(
    *, submission: Submission, actor, address: str | None = None, how: str = "marked"
) -> bool:
    """A provider says they have reviewed `submission`: only a provider who may decide on it
    (qualified for its priority flags), and only once every priority flag is acknowledged.
    Returns True when it was marked now (False: it already was)."""
    if not access.can_decide_on(actor, submission):
        raise DecisionRefused(
            "Only a provider who may review this submission (and its priority flags) can "
            "complete its review."
        )
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if unacknowledged_priority_flags(locked).exists():
            raise DecisionRefused("Acknowledge every priority flag before marking the review done.")
        marked = _mark_reviewed(locked, actor=actor, address=address, how=how)
    submission.reviewed = locked.reviewed
    submission.reviewed_at, submission.reviewed_by = locked.reviewed_at, locked.reviewed_by
    return marked


def flags_acknowledge(
    *, submission: Submission, flags, actor, address: str | None = None, comment: str = ""
) -> int:
    """Record that the acting provider has read these flags (any severity): who, when and an
    optional comment. Flags already acknowledged keep their first acknowledgement. Returns how
    many were acknowledged now.

    Acknowledging is a provider's review action: once no priority flag is left unacknowledged,
    the submission's review is done (submission_mark_reviewed)."""
    if not access.can_decide_on(actor, submission):
        raise DecisionRefused(
            "Only a provider who may review this submission (and its priority flags) can "
            "acknowledge its flags."
        )
    now = timezone.now()
    comment = comment.strip()
    done = 0
    with transaction.atomic():
        for flag in flags:
            if flag.submission_id != submission.pk or flag.acknowledged_at is not None:
                continue
            flag.acknowledged_by = actor
            flag.acknowledged_at = now
            flag.acknowledgement_comment = comment
            flag.save(
                update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_comment"]
            )
            done += 1
            # The flag's id, not its code: the privacy officer reads this trail.
            audit.record(
                action=AuditEvent.Action.ACKNOWLEDGED,
                actor=actor,
                address=address,
                submission=submission,
                detail=f"flag #{flag.pk}" + (" with comment" if comment else ""),
            )
        if done:
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if not unacknowledged_priority_flags(locked).exists():
                _mark_reviewed(locked, actor=actor, address=address, how="flags acknowledged")
                submission.reviewed = locked.reviewed
                submission.reviewed_at = locked.reviewed_at
                submission.reviewed_by = locked.reviewed_by
    return done


def modality_flag_preview(*, submission: Submission, modality: str, provider_skin_type: str = ""):
    """The flags a modality would raise (the catalogue's rules with `modalities`), to show
    before the decision is saved; `provider_skin_type` is the provider's Fitzpatrick assessment
    (it overrides the self-report for the phototype rule).

    A code already active on the submission is not raised again: a series session's modality
    flags were raised at submission from the carried decision, and a decision with the same
    modality would otherwise show and store each twice. A re-screen is evaluated with its visit
    (a lifetime yes removed today is still read)."""
    active = set(
        submission.flags.filter(
            decision__isnull=True, cleared_by_amendment__isnull=True
        ).values_list("code", flat=True)
    )
    return [
        flag
        for flag in flag_rules.modality_flags_for(
            submission.answers,
            modality,
            submission.submitted_on,
            questionnaire_version=submission.questionnaire_version,
            provider_skin_type=provider_skin_type,
            visit=submission.visit(),
        )
        if flag.code not in active
    ]


def _routed_flags(submission: Submission):
    """Priority flags a provider's modality raised without a decision: stored when a provider
    not qualified for them recorded it (they stand until a qualified provider acknowledges them)."""
    return submission.flags.filter(raised_by=Flag.RaisedBy.PROVIDER_INPUT, decision__isnull=True)


def needs_physician_review(submission: Submission) -> bool:
    """A provider's modality raised a priority flag their level may not review."""
    return _routed_flags(submission).exists()


def _send_for_physician_review(locked: Submission, raised, *, actor, address) -> None:
    """Within the caller's transaction: store the priority flags the modality raised, count
    them, and give the submission to a provider qualified for priority flags (none: back to
    "Needs assignment", where it tops the queue). Audited."""
    already = set(_routed_flags(locked).values_list("code", flat=True))
    new = [flag for flag in raised if flag.code not in already]
    Flag.objects.bulk_create(
        Flag.from_raised(flag, submission=locked, raised_by=Flag.RaisedBy.PROVIDER_INPUT)
        for flag in new
    )
    locked.priority_count += len(new)
    locked.top_severity_rank = Flag.Severity.PRIORITY.rank
    locked.reviewed = False
    previous = locked.assigned_provider
    chosen = routing.choose_provider(needs_priority_review=True)
    locked.assigned_provider = chosen
    locked.save(
        update_fields=["priority_count", "top_severity_rank", "reviewed", "assigned_provider"]
    )
    # Codes, not answers: the privacy officer reads this trail.
    audit.record(
        action=AuditEvent.Action.ASSIGNED,
        actor=actor,
        address=address,
        submission=locked,
        detail=(
            f"needs physician review ({', '.join(flag.code for flag in raised)}): "
            f"{audit.provider_label(previous)} -> {audit.provider_label(chosen)}"
        ),
    )


def decision_record(
    *,
    submission: Submission,
    outcome: str,
    modality: str,
    notes: str,
    actor,
    address: str | None = None,
    provider_skin_type: str = "",
    next_session_weeks: int | None = None,
) -> Decision:
    """Save a new decision (superseding the current one), with its modality-dependent flags.

    Refused unless the actor is an active provider who may open the submission and is
    qualified for its priority flags, and every priority flag is acknowledged.
    `next_session_weeks` ("series: next session in about N weeks") puts the patient on the
    front desk's list of series patients to book (screening.invitations.series).
    """
    provider = access.provider_of(actor)
    if provider is None or not access.can_decide(actor):
        raise DecisionRefused("Only a provider can record a decision.")
    error = series_weeks_error(next_session_weeks, outcome=outcome)
    if error:
        raise DecisionRefused(error)
    if _sent_for_physician_review(
        submission=submission,
        provider=provider,
        modality=modality,
        provider_skin_type=provider_skin_type,
        actor=actor,
        address=address,
    ):
        raise SentForPhysicianReview(PHYSICIAN_REVIEW_MESSAGE)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not access.can_decide_on(actor, locked):
            raise DecisionRefused(
                "This submission has a priority flag: only a provider whose level may review "
                "priority flags can decide on it."
            )
        if unacknowledged_priority_flags(locked).exists():
            raise DecisionRefused("Acknowledge every priority flag before recording a decision.")
        current = locked.decisions.order_by("-decided_at", "-id").first()
        decision = Decision.objects.create(
            submission=locked,
            provider=provider,
            outcome=outcome,
            modality=modality,
            notes=notes,
            provider_skin_type=provider_skin_type,
            supersedes=current,
            next_session_weeks=next_session_weeks,
            # The answers as the provider read them: an amendment after this marks the
            # decision "made on earlier answers".
            answers_version=locked.answers_version,
        )
        routed = set(_routed_flags(locked).values_list("code", flat=True))
        raised = [
            *(
                flag
                for flag in modality_flag_preview(
                    submission=locked, modality=modality, provider_skin_type=provider_skin_type
                )
                if flag.code not in routed  # already stored when it was sent for review
            ),
            *skin_type_flags(answers=locked.answers, provider_skin_type=provider_skin_type),
        ]
        Flag.objects.bulk_create(
            Flag.from_raised(
                flag,
                submission=locked,
                decision=decision,
                raised_by=Flag.RaisedBy.PROVIDER_INPUT,
            )
            for flag in raised
        )
        locked.status = Submission.Status.DECIDED
        locked.save(update_fields=["status"])
        _mark_reviewed(locked, actor=actor, address=address, how="decision")
        # The decision's id, not its outcome: the privacy officer reads this trail.
        audit.record(
            action=AuditEvent.Action.DECIDED,
            actor=actor,
            address=address,
            submission=locked,
            detail=f"decision #{decision.pk}",
        )
    return decision


def _sent_for_physician_review(
    *, submission, provider, modality, provider_skin_type, actor, address
) -> bool:
    """When the modality raises a priority flag and the provider's level may not review
    priority flags: send the submission for physician review (committed: the refusal that
    follows must not undo it) and say so."""
    if routing.level_reviews_priority(provider.level):
        return False
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not access.can_decide_on(actor, locked):
            return False  # refused below, as any provider who may not decide on it
        priority = [
            flag
            for flag in modality_flag_preview(
                submission=locked, modality=modality, provider_skin_type=provider_skin_type
            )
            if flag.severity is Flag.Severity.PRIORITY
        ]
        if not priority:
            return False
        _send_for_physician_review(locked, priority, actor=actor, address=address)
    submission.assigned_provider = locked.assigned_provider
    submission.priority_count = locked.priority_count
    return True
