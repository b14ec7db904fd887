"""A patient's amendment after sending, through their own link: the date-of-birth check, the
changes in progress (kept in the server-side session until sent), sending them.

The link (an invitation's, or the "continue later" link of the draft it was sent from) opens
the "already sent" page; while the patient may still amend (visits.window: until the
appointment, or with none booked until a provider's decision) it offers to change answers. The
device then confirms the date of birth given in the answers, as a saved draft's link does; wrong
tries are counted on the submission and lock the amending at SCREENING_RESUME_MAX_FAILURES
(each try and the lock audited, never the date). Nothing reaches the submission until the
patient sends: then `visits.amendments.amend_answers` (source patient) keeps the original,
re-evaluates the flags and audits. The patient is never shown a flag.

The session holds the submission's id, the version the changes were made on (a change made
meanwhile by someone else starts them again), the changes by question id, and the time of last
activity (idle like a draft: SCREENING_DRAFT_IDLE_MINUTES).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.mail import link_tokens
from screening.models import Amendment, AuditEvent, Submission
from screening.questionnaire import UnknownVersion, definition_for
from screening.records import audit
from screening.records.birth_date_gate import count_wrong_birth_date
from screening.visits import window
from screening.visits.amendments import amend_answers

GATE_KEY = "screening_amend_gate"  # the submission's pk, waiting for the date of birth
STATE_KEY = "screening_amend"
SENT_KEY = "screening_amend_sent"  # the reference, for the confirmation page


@dataclass
class AmendState:
    submission: Submission
    version: int
    changes: dict = field(default_factory=dict)  # question id -> clean answer (None: removed)
    pending: dict = field(default_factory=dict)  # section key -> raw values (language switch)

    @property
    def proposed(self) -> dict:
        """The answers as they would be sent."""
        answers = dict(self.submission.answers)
        for question_id, value in self.changes.items():
            if value is None:
                answers.pop(question_id, None)
            else:
                answers[question_id] = value
        return answers

    @property
    def sections(self) -> tuple:
        try:
            definition = definition_for(self.submission.questionnaire_version)
        except UnknownVersion:
            return ()
        # A re-screen's own section (2027.02's "Since your last visit") is one to change on a
        # re-screen only: it asks a first visit nothing.
        return window.amendable_sections(definition, self.submission.visit())


def sent_submission(token: str) -> Submission | None:
    """The submission sent from the saved draft whose resume link this is (the draft is gone)."""
    if not token:
        return None
    return Submission.objects.filter(resume_link_hash=link_tokens.token_hash(token)).first()


def may_amend(submission: Submission) -> bool:
    return submission.amend_locked_at is None and window.submission_open_to_patient(
        submission, now=timezone.now()
    )


def offer(session, submission: Submission) -> bool:
    """A link of a sent submission was opened on this device: offer to amend when the patient
    still may (the date of birth first). Any amendment in progress here is forgotten."""
    for key in (GATE_KEY, STATE_KEY, SENT_KEY):
        session.pop(key, None)
    if not may_amend(submission):
        return False
    session[GATE_KEY] = submission.pk
    return True


def link_opened(submission: Submission, *, request) -> None:
    """Audit the opening of a sent draft's resume link (an invitation's is audited by its own)."""
    audit.record(
        action=AuditEvent.Action.LINK_OPENED,
        request=request,
        submission=submission,
        detail="resume link of a sent submission",
    )


def gated_submission(session) -> Submission | None:
    pk = session.get(GATE_KEY)
    return Submission.objects.filter(pk=pk).first() if pk else None


def confirm_birth_date(session, submission: Submission, birth_date, *, request) -> bool:
    """Start the amendment on this device if `birth_date` is the submission's; else count a
    failure (and lock at the limit). Audited without the date."""
    if submission.amend_locked_at is not None:
        return False
    if submission.date_of_birth is not None and birth_date == submission.date_of_birth:
        Submission.objects.filter(pk=submission.pk).update(amend_birth_date_failures=0)
        session.cycle_key()  # the session now reaches answers: a fresh id for it
        session.pop(GATE_KEY, None)
        session[STATE_KEY] = {
            "id": submission.pk,
            "version": submission.answers_version,
            "changes": {},
            "pending": {},
            "touched_at": timezone.now().isoformat(),
        }
        audit.record(
            action=AuditEvent.Action.VIEWED,
            request=request,
            submission=submission,
            detail="patient: amending through their link",
        )
        return True
    submission.amend_birth_date_failures, submission.amend_locked_at = count_wrong_birth_date(
        Submission.objects.filter(pk=submission.pk),
        subject="amending after sending",
        request=request,
        submission=submission,
        failures_field="amend_birth_date_failures",
        locked_field="amend_locked_at",
    )
    return False


def unlock(*, actor, submission: Submission, request=None, where: str = "") -> bool:
    """Lift the lock wrong dates of birth left on the patient's amending (staff who may unlock an
    invitation, after checking who the patient is); the tries count again from zero. Audited as
    UNLOCKED, never the date. Returns whether it was locked."""
    with transaction.atomic():
        unlocked = Submission.objects.filter(
            pk=submission.pk, amend_locked_at__isnull=False
        ).update(amend_locked_at=None, amend_birth_date_failures=0)
        if unlocked:
            audit.record(
                action=AuditEvent.Action.UNLOCKED,
                request=request,
                actor=actor,
                submission=submission,
                detail=f"amending after sending{f' ({where})' if where else ''}",
            )
    return bool(unlocked)


def _idle_limit() -> timedelta:
    return timedelta(minutes=settings.SCREENING_DRAFT_IDLE_MINUTES)


def load(session) -> AmendState | None:
    """This device's amendment in progress, or None (none, idled out, no longer allowed, or
    the answers changed meanwhile)."""
    stored = session.get(STATE_KEY)
    if not stored:
        return None
    now = timezone.now()
    submission = Submission.objects.filter(pk=stored["id"]).first()
    if (
        submission is None
        or now - datetime.fromisoformat(stored["touched_at"]) > _idle_limit()
        or submission.answers_version != stored["version"]
        or not may_amend(submission)
    ):
        session.pop(STATE_KEY, None)
        return None
    stored["touched_at"] = now.isoformat()
    session.modified = True
    return AmendState(
        submission=submission,
        version=stored["version"],
        changes=stored.get("changes", {}),
        pending=stored.get("pending", {}),
    )


def save(session, state: AmendState) -> None:
    session[STATE_KEY] = {
        "id": state.submission.pk,
        "version": state.version,
        "changes": state.changes,
        "pending": state.pending,
        "touched_at": timezone.now().isoformat(),
    }


def stage(state: AmendState, section, answers: dict) -> None:
    """Keep the section's validated answers as changes (those equal to the sent ones drop)."""
    state.pending.pop(section.key, None)
    sent = state.submission.answers
    for question_id in section.step_question_ids:
        value = answers.get(question_id)
        if value == sent.get(question_id):
            state.changes.pop(question_id, None)
        else:
            state.changes[question_id] = value


def send(session, state: AmendState, *, request) -> Amendment | None:
    """Send the changes (raises AmendmentInvalid / AmendmentRefused as amend_answers does)."""
    amendment = amend_answers(
        state.submission,
        state.changes,
        source=Amendment.Source.PATIENT,
        address=audit.client_address(request),
    )
    session.pop(STATE_KEY, None)
    session[SENT_KEY] = state.submission.reference
    return amendment


def page_viewed(state: AmendState, page: str, *, request) -> None:
    """The patient read their sent answers (a section, or the changes): audited as a view of
    the submission, naming the page, never an answer."""
    audit.record(
        action=AuditEvent.Action.VIEWED,
        request=request,
        submission=state.submission,
        detail=f"patient amending: {page}",
    )


def cancel(session) -> None:
    session.pop(STATE_KEY, None)
