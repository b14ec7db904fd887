"""A patient's answers in progress, until they submit.

A walk-in's draft lives in the server-side session. An invitation's draft, and a walk-in's that
was saved to continue later, live in the database (`SavedDraft`), saved at every Continue; the
session then only points at it. A device that did not start a saved draft reaches it through the
patient's link and, once the draft holds a date of birth, only after confirming it; after
SCREENING_RESUME_MAX_FAILURES wrong tries the draft locks until the front desk unlocks it.

An invitation's link opened before its first step was saved shows nothing personal to whoever
holds the link: the device that opened it first sees the first step filled in with the
invitation's name and contact (the patient, most likely, from their own email), any other an
empty one. No device is bound to the draft by opening the link: the first to save the first
step (with its date of birth) is, and every other one then meets the date-of-birth check.

The draft holds clean answers per finished step, the raw posted values of a step left with Back
(so that nothing typed is lost), and the time of last activity so that an idle session ends.

A draft also records the questionnaire version it was started on (`questionnaire_version`): it
is asked, validated and submitted with that version to the end, even when a new version is
released meanwhile, so that no answer set mixes two versions. A session draft stored before
drafts recorded their version was started on `LEGACY_DRAFT_VERSION`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from screening.invitations import rescreen as rescreen_invitations
from screening.invitations import service as invitations
from screening.mail import link_tokens, notifications, tasks
from screening.models import AuditEvent, Invitation, SavedDraft, Submission
from screening.patient.rescreen import full
from screening.questionnaire import Definition, Section, UnknownVersion, definition_for
from screening.questionnaire.text_policy import without_nul
from screening.questionnaire.versions import CURRENT_VERSION, LEGACY_DRAFT_VERSION
from screening.records import audit
from screening.records.birth_date_gate import count_wrong_birth_date
from screening.visits import rescreen

SESSION_KEY = "screening_draft"
SAVED_KEY = "screening_saved_draft"  # {"id": SavedDraft pk, "touched_at": iso time}
GATE_KEY = "screening_gate"  # the SavedDraft pk waiting for a date of birth on this device
FIRST_OPENER_KEY = "screening_first_opener"  # the SavedDraft pk whose link this device opened first
SUBMITTED_KEY = "screening_submitted"
TOUCH_INTERVAL = timedelta(minutes=1)
FULL_KEY = "full"  # SavedDraft.rescreen: this re-screen is the full questionnaire
BIRTH_DATE_ID = "date_of_birth"
RESUME_PURPOSE = "resume"
# The invitation's contact details, shown filled in on the first step (the patient may correct)
# to the device that opened the link first, until that step is saved.
PREFILLED_FROM_INVITATION = ("first_name", "last_name", "email", "phone")


@dataclass
class Draft:
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    answers: dict = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)
    pending: dict[str, dict] = field(default_factory=dict)  # section key -> raw posted values
    touched_at: str = ""
    saved_id: int | None = None  # set: the draft lives in the database (SavedDraft)
    invitation_id: int | None = None
    appointment_at: datetime | None = None
    # The questionnaire version this draft is answered on (a plain string, stored as is).
    questionnaire_version: str = CURRENT_VERSION
    # An invitation's draft not started yet: this device may start it, and is bound to it once
    # it saves the first step (if no other device did first). Nothing is written before.
    provisional: bool = False
    # Shown as the first step's initial values, never stored as answers until the step is saved.
    prefill: dict = field(default_factory=dict)
    # A returning patient's re-screen: the submission it re-screens from (its invitation's);
    # the re-screen's own pages ask it (screening/patient/rescreen), never the steps.
    previous_submission_id: int | None = None
    # A returning patient whose every carried answer is stale: the full questionnaire (its
    # first visit's steps after "Since your last visit", screening/patient/rescreen/full.py).
    full_questionnaire: bool = False

    @property
    def definition(self) -> Definition:
        return definition_for(self.questionnaire_version)

    @property
    def steps(self) -> tuple[Section, ...]:
        return full.steps(self.definition, full=full.is_full(self))

    def is_completed(self, section: Section) -> bool:
        return section.key in self.completed

    def first_incomplete(self) -> Section | None:
        return next(
            (section for section in self.steps if not self.is_completed(section)),
            None,
        )

    def may_open(self, section: Section) -> bool:
        """A step opens once every step before it is finished: no skipping by URL."""
        for earlier in self.steps:
            if earlier.key == section.key:
                return True
            if not self.is_completed(earlier):
                return False
        return False

    def next_after(self, section: Section) -> Section | None:
        """The next unfinished step after `section`, else any unfinished one; None: all done."""
        sections = self.steps
        index = sections.index(section)
        for later in (*sections[index + 1 :], *sections[: index + 1]):
            if not self.is_completed(later):
                return later
        return None

    def complete(self, section: Section, answers: dict) -> None:
        self.answers = answers
        self.pending.pop(section.key, None)
        if section.key not in self.completed:
            self.completed.append(section.key)

    def keep_unfinished(self, section: Section, raw: dict) -> None:
        # Kept as typed, but for NUL, which no text column or JSON of PostgreSQL takes: the
        # refused statement, answers and all, would go to the database's own log.
        self.pending[section.key] = without_nul(raw)
        if section.key in self.completed:
            self.completed.remove(section.key)


def _idle_limit() -> timedelta:
    return timedelta(minutes=settings.SCREENING_DRAFT_IDLE_MINUTES)


class DraftExpired(Exception):
    """The draft was idle for longer than the clinic allows; it has been removed."""


def _idled_out(touched_at: str, now: datetime) -> bool:
    touched = datetime.fromisoformat(touched_at) if touched_at else None
    return touched is None or now - touched > _idle_limit()


def _known_version(draft: Draft) -> bool:
    """A draft on a version this code does not know cannot be continued."""
    try:
        draft.definition  # noqa: B018
    except UnknownVersion:
        return False
    return True


def load(session) -> Draft | None:
    """The session's draft, or None. Raises DraftExpired (and forgets it) when it idled out.

    A saved draft's session binding idles out the same way; its answers stay in the database,
    for the patient's link.
    """
    now = timezone.now()
    pointer = session.get(SAVED_KEY)
    if pointer:
        if _idled_out(pointer.get("touched_at", ""), now):
            del session[SAVED_KEY]
            raise DraftExpired
        saved = (
            SavedDraft.objects.select_related("invitation")
            .filter(pk=pointer["id"], locked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if saved is None:  # sent, purged, locked on another device, or past its date
            del session[SAVED_KEY]
            _remember_if_sent_elsewhere(session, pointer.get("key"))
            return None
        if pointer.get("provisional"):
            if _started(saved):  # another device saved the first step: the check first
                del session[SAVED_KEY]
                session[GATE_KEY] = saved.pk
                return None
            draft = _provisional_draft(saved, first_opener=pointer.get("first_opener", False))
        else:
            draft = _from_saved(saved)
        draft.touched_at = pointer["touched_at"]
    else:
        stored = session.get(SESSION_KEY)
        if not stored:
            return None
        draft = Draft(**{"questionnaire_version": LEGACY_DRAFT_VERSION, **stored})
        if _idled_out(draft.touched_at, now) or not _known_version(draft):
            del session[SESSION_KEY]
            raise DraftExpired
    if now - datetime.fromisoformat(draft.touched_at) > TOUCH_INTERVAL:
        _touch(session, draft)  # reading pages keeps the draft alive, with a write a minute at most
    return draft


def _remember_if_sent_elsewhere(session, key: str | None) -> None:
    """The draft was sent from another device: this one then says so too, with the reference."""
    if not key:
        return
    reference = Submission.objects.filter(draft_key=key).values_list("reference", flat=True)
    if reference:
        session[SUBMITTED_KEY] = {"reference": reference[0], "draft_key": key}


def _from_saved(saved: SavedDraft) -> Draft:
    return Draft(
        key=str(saved.key),
        answers=saved.answers,
        completed=list(saved.completed),
        pending=saved.pending,
        saved_id=saved.pk,
        invitation_id=saved.invitation_id,
        appointment_at=saved.invitation.appointment_at if saved.invitation_id else None,
        questionnaire_version=saved.questionnaire_version,
        previous_submission_id=saved.invitation.previous_submission_id
        if saved.invitation_id
        else None,
        full_questionnaire=bool((saved.rescreen or {}).get(FULL_KEY)),
    )


def _started(saved: SavedDraft) -> bool:
    return bool(saved.answers.get(BIRTH_DATE_ID))


def _provisional_draft(saved: SavedDraft, *, first_opener: bool) -> Draft:
    """An invitation's draft not started: nothing from the database (a draft made before this
    held the invitation's details as answers) but, for the first opener, the prefill."""
    invitation = saved.invitation
    return Draft(
        key=str(saved.key),
        saved_id=saved.pk,
        invitation_id=saved.invitation_id,
        appointment_at=invitation.appointment_at,
        questionnaire_version=saved.questionnaire_version,
        previous_submission_id=invitation.previous_submission_id,
        full_questionnaire=bool((saved.rescreen or {}).get(FULL_KEY)),
        provisional=True,
        prefill={
            qid: getattr(invitation, qid)
            for qid in PREFILLED_FROM_INVITATION
            if getattr(invitation, qid)
        }
        if first_opener
        else {},
    )


def _touch(session, draft: Draft) -> None:
    draft.touched_at = timezone.now().isoformat()
    if draft.saved_id:
        session[SAVED_KEY] = {
            "id": draft.saved_id,
            "key": draft.key,
            "touched_at": draft.touched_at,
        }
        if draft.provisional:
            session[SAVED_KEY].update(provisional=True, first_opener=bool(draft.prefill))
    else:
        stored = {k: v for k, v in draft.__dict__.items() if k in _SESSION_FIELDS}
        session[SESSION_KEY] = stored


_SESSION_FIELDS = ("key", "answers", "completed", "pending", "touched_at", "questionnaire_version")


class DraftTaken(Exception):
    """Another device saved the first step of this invitation's draft first: this one must
    confirm the date of birth (the session now waits at the check)."""


def save(session, draft: Draft) -> None:
    """Keep the draft: in the database when it is saved there (every Continue), else the session.

    A provisional draft writes nothing until its first step is done; then it takes the draft
    (if no other device did first: else DraftTaken) and this device is bound to it."""
    if draft.provisional:
        if draft.completed:
            _take(session, draft)
        _touch(session, draft)
        return
    if draft.saved_id:
        SavedDraft.objects.filter(pk=draft.saved_id).update(
            answers=draft.answers,
            completed=draft.completed,
            pending=draft.pending,
            updated_at=timezone.now(),
        )
    _touch(session, draft)


def start(session) -> Draft:
    session.cycle_key()  # a fresh session id for a fresh draft
    for key in (SUBMITTED_KEY, SAVED_KEY, GATE_KEY):
        session.pop(key, None)
    draft = Draft()
    save(session, draft)
    return draft


def _take(session, draft: Draft) -> None:
    # One statement, so two devices saving the first step at once cannot both take it.
    taken = (
        SavedDraft.objects.filter(pk=draft.saved_id, locked_at__isnull=True)
        .exclude(answers__has_key=BIRTH_DATE_ID)
        .update(
            answers=draft.answers,
            completed=draft.completed,
            pending=draft.pending,
            updated_at=timezone.now(),
        )
    )
    if not taken:
        session.pop(SAVED_KEY, None)
        session[GATE_KEY] = draft.saved_id
        raise DraftTaken
    _bind(session, SavedDraft(pk=draft.saved_id, key=draft.key))
    session.pop(FIRST_OPENER_KEY, None)
    draft.provisional, draft.prefill = False, {}


def finish(session, draft: Draft, submission) -> None:
    """Forget the answers; remember only which submission this session made.

    A saved draft's row goes (its answers are the submission's now), and its invitation is
    marked sent.
    """
    session.pop(SESSION_KEY, None)
    session.pop(SAVED_KEY, None)
    session[SUBMITTED_KEY] = {"reference": submission.reference, "draft_key": draft.key}
    if draft.saved_id:
        with transaction.atomic():
            link_hash = (
                SavedDraft.objects.filter(pk=draft.saved_id)
                .values_list("token_hash", flat=True)
                .first()
            )
            if link_hash:
                Submission.objects.filter(pk=submission.pk).update(resume_link_hash=link_hash)
            if draft.invitation_id:
                Invitation.objects.filter(pk=draft.invitation_id, submission__isnull=True).update(
                    submission=submission
                )
            SavedDraft.objects.filter(pk=draft.saved_id).delete()


def language_chosen(session, language: str) -> None:
    """The patient used the language switch: the emails about their saved draft follow it (an
    invitation's reminders, a walk-in's resume link). A preference, not an answer: no audit."""
    pointer = session.get(SAVED_KEY)
    if not pointer:
        return
    if pointer.get("provisional") and not pointer.get("first_opener"):
        return  # a device that only holds the link changes nothing of the patient's

    saved = SavedDraft.objects.filter(pk=pointer["id"]).values("invitation_id").first()
    if saved is None:
        return
    SavedDraft.objects.filter(pk=pointer["id"]).update(language=language)
    if saved["invitation_id"]:
        Invitation.objects.filter(pk=saved["invitation_id"], submission__isnull=True).update(
            language=language
        )


def submitted_reference(session) -> str | None:
    submitted = session.get(SUBMITTED_KEY)
    return submitted["reference"] if submitted else None


# --- Saved drafts: binding a device, the date-of-birth gate --------------------------------------


def _bind(session, saved: SavedDraft) -> None:
    session.cycle_key()  # the session now reaches a saved draft: a fresh id for it
    for key in (SESSION_KEY, SUBMITTED_KEY, GATE_KEY):
        session.pop(key, None)
    session[SAVED_KEY] = {
        "id": saved.pk,
        "key": str(saved.key),
        "touched_at": timezone.now().isoformat(),
    }


def is_bound_to(session, saved: SavedDraft) -> bool:
    pointer = session.get(SAVED_KEY)
    return bool(pointer) and pointer["id"] == saved.pk


class Opened:
    """What opening a link leads to."""

    READY = "ready"  # this session may continue the draft
    NEEDS_BIRTH_DATE = "needs_birth_date"
    LOCKED = "locked"


def _gate(session, saved: SavedDraft) -> str | None:
    """LOCKED or NEEDS_BIRTH_DATE when this device must stop at the check; None when it may go on."""
    if saved.locked_at:
        session[GATE_KEY] = saved.pk  # the locked page then says who can help
        return Opened.LOCKED
    if is_bound_to(session, saved):
        return Opened.READY
    if _started(saved):
        session.pop(SESSION_KEY, None)
        session.pop(SAVED_KEY, None)
        session[GATE_KEY] = saved.pk
        return Opened.NEEDS_BIRTH_DATE
    return None


def _gate_or_bind(session, saved: SavedDraft) -> str:
    gated = _gate(session, saved)
    if gated is not None:
        return gated
    _bind(session, saved)
    return Opened.READY


def open_invitation(session, invitation: Invitation) -> str:
    """Open the invitation's draft on this device; returns an `Opened` value.

    Not started yet: this device may start it, provisionally (no binding, nothing personal
    shown but to the device that opened the link first)."""
    saved = SavedDraft.objects.filter(invitation=invitation).first()
    created = False
    if saved is None:
        whole = rescreen_invitations.full_questionnaire(invitation)
        candidate = SavedDraft(
            invitation=invitation,
            key=uuid.uuid4(),
            expires_at=invitations.expires_at(invitation),
            # A re-screen's draft holds the date of birth from the start: every device, the
            # first too, confirms it before a carried answer is shown.
            answers=_seed(invitation, whole),
            rescreen={FULL_KEY: True} if whole else {},
        )
        # Two devices opening the link at the same instant: the second insert does nothing
        # (ON CONFLICT DO NOTHING) rather than fail, and PostgreSQL logs no failed statement.
        SavedDraft.objects.bulk_create([candidate], ignore_conflicts=True)
        saved = SavedDraft.objects.get(invitation=invitation)
        created = saved.key == candidate.key
    gated = _gate(session, saved)
    if gated is not None:
        return gated
    session.cycle_key()
    for key in (SESSION_KEY, SUBMITTED_KEY, GATE_KEY):
        session.pop(key, None)
    if created:
        session[FIRST_OPENER_KEY] = saved.pk
    draft = _provisional_draft(saved, first_opener=session.get(FIRST_OPENER_KEY) == saved.pk)
    _touch(session, draft)
    return Opened.READY


def _seed(invitation: Invitation, whole: bool) -> dict:
    """A returning patient's draft before they answer: the date of birth (every device meets
    the date-of-birth check before anything carried is shown); for the full questionnaire,
    About you too, filled in on its step."""
    if not invitation.previous_submission_id:
        return {}
    if whole:
        return full.seed(invitation.previous_submission)
    return rescreen.seed_answers(invitation)


def find_saved(token: str) -> SavedDraft | None:
    """The walk-in saved draft a resume link opens (None: wrong token or past its date)."""
    if not token:
        return None
    return SavedDraft.objects.filter(
        token_hash=link_tokens.token_hash(token), expires_at__gt=timezone.now()
    ).first()


def link_opened(*, saved: SavedDraft, request) -> None:
    """Audit an opening of a walk-in's resume link."""
    audit.record(
        action=AuditEvent.Action.LINK_OPENED, request=request, detail=f"saved draft #{saved.pk}"
    )


def open_saved(session, saved: SavedDraft) -> str:
    return _gate_or_bind(session, saved)


def gated_draft(session) -> SavedDraft | None:
    """The saved draft this session asked for and must confirm a date of birth to open."""
    pk = session.get(GATE_KEY)
    if pk is None:
        return None
    return (
        SavedDraft.objects.select_related("invitation")
        .filter(pk=pk, expires_at__gt=timezone.now())
        .first()
    )


def confirm_birth_date(session, saved: SavedDraft, birth_date, *, request) -> bool:
    """Bind this session to `saved` if `birth_date` is the one answered; else count a failure,
    and lock the draft at the limit. Every failure and the lock are audited (without the date)."""
    if saved.locked_at:
        return False
    if birth_date.isoformat() == saved.answers.get(BIRTH_DATE_ID):
        SavedDraft.objects.filter(pk=saved.pk).update(birth_date_failures=0)
        _bind(session, saved)
        return True
    saved.birth_date_failures, saved.locked_at = count_wrong_birth_date(
        SavedDraft.objects.filter(pk=saved.pk), subject=_audit_subject(saved), request=request
    )
    return False


def _audit_subject(saved: SavedDraft) -> str:
    if saved.invitation_id:
        return f"invitation #{saved.invitation_id}"
    return f"saved draft #{saved.pk}"


def save_for_later(session, draft: Draft, *, email: str, request, language: str = "") -> SavedDraft:
    """Move a walk-in's session draft into the database and email its resume link (in
    `language`, the patient's at the time).

    Called again on a draft already saved, it updates the address and sends the link again.
    """
    salt = link_tokens.new_salt()
    token = link_tokens.token_for(purpose=RESUME_PURPOSE, salt=salt)
    values = {
        "answers": draft.answers,
        "completed": draft.completed,
        "pending": draft.pending,
        "questionnaire_version": draft.questionnaire_version,
        "email": email,
        "language": language,
        "token_salt": salt,
        "token_hash": link_tokens.token_hash(token),
        "expires_at": timezone.now() + timedelta(days=settings.SCREENING_SAVED_DRAFT_DAYS),
    }
    with transaction.atomic():
        # Insert unless a save of this draft (a double click) got there first, then update:
        # never a failing INSERT, which PostgreSQL would log with the answers.
        SavedDraft.objects.bulk_create([SavedDraft(key=draft.key, **values)], ignore_conflicts=True)
        saved = SavedDraft.objects.select_for_update().get(key=draft.key)
        for name, value in values.items():
            setattr(saved, name, value)
        saved.save()
        audit.record(
            action=AuditEvent.Action.DRAFT_SAVED, request=request, detail=f"saved draft #{saved.pk}"
        )
        tasks.queue_email(kind=notifications.RESUME_LINK, object_id=saved.pk)
    _bind(session, saved)
    return saved
