"""The returning patient's short re-screen: what it reads of the previous submission.

The rules are pure (screening/questionnaire/carry_over.py); this module gathers their inputs from
the records: the previous submission's answers, version and provenance (an amendment records
its answers as answered on its date, screening/visits/amendments.py), the course problems
reported along the chain of re-screens before it, the clinic's current decision on it (its
modality and the provider's skin type, for the series' modality flags), and the staleness limit
`SCREENING_CARRY_OVER_MONTHS`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from screening.models import Decision, Invitation, Submission
from screening.questionnaire import carry_over
from screening.questionnaire.visit import NEW_CONSULTATION, SERIES_SESSION, VISIT_TYPES, Visit

# A chain longer than this is not followed further (a series is 3 to 5 sessions).
CHAIN_LIMIT = 50


def carry_over_months() -> int:
    return settings.SCREENING_CARRY_OVER_MONTHS


def privacy_notice_version() -> str:
    """The clinic's privacy notice as it stands (SCREENING_PRIVACY_NOTICE_VERSION)."""
    return settings.SCREENING_PRIVACY_NOTICE_VERSION or ""


def acknowledged_notice_version(
    answers: dict, provenance: dict, previous: Submission | None
) -> str:
    """The notice version a new submission's `privacy_notice_ack` acknowledges: the previous
    submission's when the acknowledgement was carried from it, else today's; none without one."""
    if answers.get("privacy_notice_ack") != "yes":  # left unticked: nothing acknowledged
        return ""
    carried = (provenance.get("privacy_notice_ack") or {}).get("provenance") == carry_over.CARRIED
    if carried and previous is not None:
        return previous.privacy_notice_version
    return privacy_notice_version()


def course_reports(submission: Submission) -> tuple[carry_over.CourseReport, ...]:
    """The course problems reported by `submission` and the re-screens before it."""
    reports, current, seen = [], submission, 0
    while current is not None and seen < CHAIN_LIMIT:
        problems = carry_over.course_problems(current.answers or {})
        if problems:
            reports.append(carry_over.CourseReport(current.submitted_on, problems))
        current, seen = current.previous_submission, seen + 1
    return tuple(reports)


def previous_for(submission: Submission) -> carry_over.Previous:
    """The previous submission as the carry-over rules read it."""
    return carry_over.Previous(
        reference=submission.reference,
        version=submission.questionnaire_version,
        submitted_on=submission.submitted_on,
        answers=submission.answers or {},
        provenance=submission.provenance or {},
        course_reports=course_reports(submission),
        privacy_notice_version=submission.privacy_notice_version,
    )


def current_decision(submission: Submission) -> Decision | None:
    """The provider's decision on `submission` that no later one superseded."""
    return (
        Decision.objects.filter(submission=submission, superseded_by__isnull=True)
        .order_by("-decided_at", "-id")
        .first()
    )


def visit_type_of(invitation_or_type) -> str:
    """The re-screen's visit type; an invitation with a previous submission but no type of its
    own is a new consultation (a series is set by the provider's decision)."""
    value = getattr(invitation_or_type, "visit_type", invitation_or_type)
    return value if value in VISIT_TYPES else NEW_CONSULTATION


def visit_for(
    previous: Submission, *, visit_type: str, treatment_date: date | None = None
) -> Visit:
    """The context of a re-screen of `previous`, for the questions and the rules."""
    decision = current_decision(previous)
    return Visit(
        visit_type=visit_type_of(visit_type),
        previous_reference=previous.reference,
        previous_version=previous.questionnaire_version,
        form_date=previous.submitted_on,
        previous_answers=previous.answers or {},
        treatment_date=treatment_date,
        carried_modality=decision.modality if decision else "",
        carried_provider_skin_type=decision.provider_skin_type if decision else "",
        carried_decision_date=timezone.localdate(decision.decided_at) if decision else None,
    )


def visit_for_invitation(invitation: Invitation) -> Visit | None:
    """The re-screen an invitation opens; None for a first visit's."""
    if invitation.previous_submission_id is None:
        return None
    return visit_for(
        invitation.previous_submission,
        visit_type=visit_type_of(invitation),
        treatment_date=invitation.treatment_date,
    )


def seed_answers(invitation: Invitation) -> dict:
    """What a re-screen's draft holds before the patient answers: the date of birth, carried
    unshown, so that every device meets the date-of-birth check before anything is shown."""
    previous = invitation.previous_submission
    if previous is None or previous.date_of_birth is None:
        return {}
    return {"date_of_birth": previous.date_of_birth.isoformat()}


__all__ = [
    "NEW_CONSULTATION",
    "SERIES_SESSION",
    "acknowledged_notice_version",
    "carry_over_months",
    "course_reports",
    "current_decision",
    "previous_for",
    "privacy_notice_version",
    "seed_answers",
    "visit_for",
    "visit_for_invitation",
]
