"""Re-confirmation before the visit, as the provider's pages show it.

- On the patient banner: "Changed at check-in" (what changed, before and after, and the flags
  raised and cleared), the since-questions answered Yes or Not sure, or plainly "Not
  re-confirmed" when it was due and the appointment came without it (contract rule 7: a
  banner, never a flag). Those who may not see health data read only whether it was done.
- In the attention panel: patients whose answers changed at check-in raised a flag that no
  provider has reviewed since, with a consultation soon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet

from screening.flags.labels import flag_label
from screening.models import Amendment, Reconfirmation, Submission
from screening.questionnaire import definition_for, reconfirm
from screening.questionnaire.answer_types import display_answer
from screening.staff import routing
from screening.visits import reconfirmation


@dataclass(frozen=True)
class ChangedAnswer:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class FlagChange:
    code: str
    label: str
    severity: str


@dataclass
class CheckInNote:
    """What the banner says of re-confirmation (None from `check_in_note`: nothing to say)."""

    status: str
    reconfirmed_at: datetime | None = None
    via_label: str = ""
    since_date: date | None = None
    medical: bool = False
    changed: list[ChangedAnswer] = field(default_factory=list)
    raised: list[FlagChange] = field(default_factory=list)
    cleared: list[FlagChange] = field(default_factory=list)
    since_yes: list[tuple[str, str]] = field(default_factory=list)
    reconfirm_days: int = 0

    @property
    def missed(self) -> bool:
        return self.status == reconfirmation.Status.MISSED

    @property
    def due(self) -> bool:
        return self.status == reconfirmation.Status.DUE

    @property
    def done(self) -> bool:
        return self.status == reconfirmation.Status.DONE

    @property
    def changed_anything(self) -> bool:
        return bool(self.changed or self.raised or self.cleared or self.since_yes)


def _shown(question, value) -> str:
    if value is None:
        return "(not answered)"
    return display_answer(question, value) if question is not None else str(value)


def check_in_note(submission: Submission, *, medical: bool) -> CheckInNote | None:
    """The banner's re-confirmation note for `submission`; what changed only with `medical`."""
    status = reconfirmation.status(submission)
    if status == reconfirmation.Status.NOT_DUE:
        return None
    note = CheckInNote(
        status=status,
        reconfirmed_at=submission.reconfirmed_at,
        medical=medical,
        reconfirm_days=settings.SCREENING_RECONFIRM_DAYS,
    )
    if status != reconfirmation.Status.DONE:
        return note
    record = (
        Reconfirmation.objects.select_related("amendment").filter(submission=submission).first()
    )
    if record is None:
        return note
    note.via_label = record.get_via_display()
    note.since_date = record.since_date
    if not medical:
        return note
    for question_id, value in record.since_answers.items():
        if value in reconfirm.OPENING_ANSWERS:
            question = reconfirm.since_question(question_id)
            label = str(question.short_label) if question is not None else question_id
            note.since_yes.append((label, _shown(question, value)))
    amendment = record.amendment
    if amendment is None:
        return note
    questions = definition_for(submission.questionnaire_version).questions
    for question_id, change in amendment.changes.items():
        question = questions.get(question_id)
        label = str(question.short_label or question.label) if question else question_id
        note.changed.append(
            ChangedAnswer(
                label, _shown(question, change["before"]), _shown(question, change["after"])
            )
        )
    note.raised = [
        FlagChange(flag.code, flag_label(flag.code), flag.severity)
        for flag in amendment.raised_flags.order_by("-severity_rank", "id")
    ]
    note.cleared = [
        FlagChange(flag.code, flag_label(flag.code), flag.severity)
        for flag in amendment.cleared_flags.order_by("-severity_rank", "id")
    ]
    return note


def changed_at_check_in(visible: QuerySet, now: datetime) -> QuerySet:
    """Open submissions with a consultation soon (SCREENING_ATTENTION_HOURS) whose answers,
    changed at check-in, raised a flag that no provider has reviewed since."""
    hours = settings.SCREENING_ATTENTION_HOURS
    check_in_flags = Q(
        amendments__source=Amendment.Source.CHECK_IN,
        amendments__raised_flags__isnull=False,
        amendments__raised_flags__cleared_by_amendment__isnull=True,
    )
    not_seen_since = Q(reviewed=False) | Q(reviewed_at__lt=F("amendments__at"))
    return (
        visible.filter(
            status__in=routing.OPEN_STATUSES,
            appointment_at__isnull=False,
            appointment_at__lte=now + timedelta(hours=hours),
            appointment_at__gte=now - timedelta(hours=1),
        )
        .filter(check_in_flags & not_seen_since)
        .distinct()
    )


def attention_rows(visible: QuerySet, now: datetime, *, medical: bool, limit: int = 10) -> list:
    """The attention panel's "Changed at check-in" rows, each with `check_in_flags` (the flags
    the check-in raised, still standing); none for those who may not see flags."""
    if not medical:
        return []
    rows = list(changed_at_check_in(visible, now).order_by("appointment_at", "id")[:limit])
    amendments = Amendment.objects.filter(
        submission__in=rows, source=Amendment.Source.CHECK_IN
    ).prefetch_related("raised_flags")
    by_submission: dict[int, list] = {}
    for amendment in amendments:
        by_submission.setdefault(amendment.submission_id, []).extend(
            flag for flag in amendment.raised_flags.all() if flag.cleared_by_amendment_id is None
        )
    for row in rows:
        row.check_in_flags = sorted(
            by_submission.get(row.pk, []), key=lambda flag: (-flag.severity_rank, flag.pk)
        )
    return rows
