"""A submission's amendments as staff read them: who, when, from where, why, each answer was and
is now, the flags each raised and cleared. One reading for the review page, the print view and
the CSV (`trail_text`), so that none says less than another.

Read-only and query-free: the caller passes the amendments (oldest first, with `actor`
selected) and the submission's flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from screening.flags.labels import flag_label
from screening.questionnaire import UnknownVersion, definition_for
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.date_display import clinic_time
from screening.questionnaire.visit_labels import label_for_visit
from screening.records.names import staff_name

NOT_ANSWERED = "(not answered)"
# Who amended, by the amendment's source (a provider is named).
SOURCE_WHO = {
    "patient": "The patient, through their link",
    "check_in": "The patient, at check-in",
    "provider": "told in person",
}


@dataclass(frozen=True)
class Change:
    question_id: str
    question: str  # the question's words (its id if the version no longer has it)
    before: str
    after: str


@dataclass
class AmendmentEntry:
    amendment: object
    version: int
    source: str
    who: str
    at: datetime
    reason: str
    changes: list[Change] = field(default_factory=list)
    raised: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    cleared: list[tuple[str, str]] = field(default_factory=list)

    @property
    def erased(self) -> bool:
        """Retention erased what changed (the record of the amendment stays)."""
        return not self.changes


def who_amended(amendment) -> str:
    if amendment.source == "provider":
        return f"{staff_name(amendment.actor)}, {SOURCE_WHO['provider']}"
    return SOURCE_WHO.get(amendment.source, amendment.source)


def _shown(question, value) -> str:
    if value is None:
        return NOT_ANSWERED
    if question is None:
        return ";".join(value) if isinstance(value, list) else str(value)
    return str(display_answer(question, value))


def amendment_entries(submission, amendments, flags=()) -> list[AmendmentEntry]:
    """Each amendment of `submission` (oldest first) with its changes in words and its flags."""
    try:
        questions = definition_for(submission.questionnaire_version).questions
    except UnknownVersion:
        questions = {}
    raised, cleared = {}, {}
    for flag in flags:
        if flag.raised_by_amendment_id:
            raised.setdefault(flag.raised_by_amendment_id, []).append(flag.code)
        if flag.cleared_by_amendment_id:
            cleared.setdefault(flag.cleared_by_amendment_id, []).append(flag.code)
    visits = []  # the submission's Visit, read once and only for a label with a date in it

    def label(question) -> str:
        if "%(" not in str(question.label):
            return str(question.label)
        if not visits:
            visits.append(submission.visit())
        return label_for_visit(question, visits[0])

    entries = []
    for amendment in amendments:
        changes = []
        for qid, change in (amendment.changes or {}).items():
            question = questions.get(qid)
            changes.append(
                Change(
                    question_id=qid,
                    question=label(question) if question else qid,
                    before=_shown(question, change.get("before")),
                    after=_shown(question, change.get("after")),
                )
            )
        entries.append(
            AmendmentEntry(
                amendment=amendment,
                version=amendment.answers_version,
                source=amendment.source,
                who=who_amended(amendment),
                at=amendment.at,
                reason=amendment.reason,
                changes=changes,
                raised=[(code, flag_label(code)) for code in raised.get(amendment.pk, [])],
                cleared=[(code, flag_label(code)) for code in cleared.get(amendment.pk, [])],
            )
        )
    return entries


@dataclass(frozen=True)
class AmendedMark:
    """Beside an answer amended after sending: by whom, when, and what it was before."""

    who: str
    at: datetime
    was: str
    times: int  # how many amendments changed this answer


def amended_marks(entries: list[AmendmentEntry]) -> dict[str, AmendedMark]:
    """Question id -> the mark of its latest amendment."""
    marks: dict[str, AmendedMark] = {}
    for entry in entries:
        for change in entry.changes:
            earlier = marks.get(change.question_id)
            marks[change.question_id] = AmendedMark(
                who=entry.who,
                at=entry.at,
                was=change.before,
                times=(earlier.times if earlier else 0) + 1,
            )
    return marks


def trail_text(entries: list[AmendmentEntry]) -> str:
    """The trail in one cell: "v2 <time> <who> [reason: ...]: question id: was -> now; ...
    [raised CODE] [cleared CODE]" per amendment, separated by " | "."""
    parts = []
    for entry in entries:
        head = f"v{entry.version} {clinic_time(entry.at).isoformat(timespec='seconds')} {entry.who}"
        if entry.reason:
            head += f" (reason: {entry.reason})"
        body = "; ".join(
            f"{change.question_id}: {change.before} -> {change.after}" for change in entry.changes
        )
        text = f"{head}: {body or 'erased'}"
        if entry.raised:
            text += " [raised " + ", ".join(code for code, _ in entry.raised) + "]"
        if entry.cleared:
            text += " [cleared " + ", ".join(code for code, _ in entry.cleared) + "]"
        parts.append(text)
    return " | ".join(parts)
