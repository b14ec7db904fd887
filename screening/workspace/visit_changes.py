"""What a provider reads first on a returning patient's re-screen (a submission with
`previous_submission`): exactly what changed since the previous form, then where each answer
came from, the earlier sessions' course problems, and the modality the series runs on.

"Changed" is narrow on purpose (return-visit contract, "Changed answers"): an answer the patient
gave today that differs from the previous form, the course problems of the last session, the
flags that are new or no longer raised, and the flags' own "New since …" notes. A carried answer
the patient confirmed is not a change, however it is worded: it is shown with its answers, marked.
Read-only; the review page (admin/submissions.py) renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from screening.flags.catalogue import COURSE_FLAG_CODES
from screening.flags.labels import flag_label
from screening.models import Decision, Submission
from screening.questionnaire import UnknownVersion, definition_for
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.visit_labels import label_for_visit

# The re-screen's own questions (contract section 2): about this visit, never carried, listed
# under "Since the last session" instead of as answer changes.
COURSE_QUESTIONS = (
    "last_session_problems",
    "last_session_problems_unsure",
    "last_session_still_now",
    "last_session_seen_for_it",
    "last_session_result_view",
)
SINCE_QUESTIONS = ("since_last_treatments", "since_last_medicines")
# Typed fresh on each form (about this visit): shown when filled in, never as "was …, now …".
THIS_VISIT_TEXTS = ("anything_else_text", "questions_for_provider_text")
# Re-stated on every form: a new signature is not a change.
EVERY_FORM = ("attest_accurate",)
NOT_ANSWER_CHANGES = frozenset(COURSE_QUESTIONS + SINCE_QUESTIONS + THIS_VISIT_TEXTS + EVERY_FORM)
NO_PROBLEM_KEYS = frozenset({"none", "not_sure"})
# How far back "Earlier sessions" walks the chain of re-screens (a series is 3-5 sessions).
CHAIN_LIMIT = 20

VISIT_LABELS = {
    Submission.VisitType.SERIES_SESSION: "Re-screen (series)",
    Submission.VisitType.NEW_CONSULTATION: "Re-screen",
}


def visit_label(submission) -> str:
    """The queue's and banner's marker of a re-screen ("" for a first visit)."""
    if submission.previous_submission_id is None:
        return ""
    return VISIT_LABELS.get(submission.visit_type, "")


@dataclass(frozen=True)
class ChangedAnswer:
    question_id: str
    question: str
    was: str
    now: str


@dataclass(frozen=True)
class FlagChange:
    code: str
    label: str
    severity: str
    severity_label: str
    note: str = ""  # the flag's change_note ("New since … (was: …)")


@dataclass(frozen=True)
class EarlierSession:
    reference: str
    submitted_on: date
    treatment_date: date | None
    course_flags: tuple[FlagChange, ...]


@dataclass
class VisitChanges:
    submission: object
    previous: object
    form_date: date
    visit_label: str
    treatment_date: date | None
    answers: list[ChangedAnswer] = field(default_factory=list)
    course_problems: list[str] = field(default_factory=list)  # as the patient saw them
    course_unsure: list[str] = field(default_factory=list)
    course_details: list[tuple[str, str]] = field(default_factory=list)  # question, answer
    since: list[tuple[str, str]] = field(default_factory=list)  # "since" questions not "No"
    texts: list[tuple[str, str]] = field(default_factory=list)  # this visit's typed texts
    new_flags: list[FlagChange] = field(default_factory=list)
    cleared_flags: list[FlagChange] = field(default_factory=list)
    noted_flags: list[FlagChange] = field(default_factory=list)  # still raised, answer changed
    carried_modality: str = ""
    carried_skin_type: str = ""
    modality_decided_on: date | None = None
    earlier_sessions: list[EarlierSession] = field(default_factory=list)
    earlier_hidden: int = 0  # earlier forms of the chain this user may not open

    @property
    def count(self) -> int:
        """How many changes the panel lists (the banner's link says it)."""
        return (
            len(self.answers)
            + len(self.course_problems)
            + len(self.course_unsure)
            + len(self.since)
            + len(self.new_flags)
            + len(self.cleared_flags)
            + len(self.noted_flags)
        )

    @property
    def nothing_changed(self) -> bool:
        return self.count == 0 and not self.texts


def _definition(version: str):
    try:
        return definition_for(version)
    except UnknownVersion:
        return None


def _question(definitions, question_id: str):
    for definition in definitions:
        if definition is not None and question_id in definition.questions:
            return definition.questions[question_id]
    return None


def _label(question, question_id: str, visit) -> str:
    """The question as the patient read it: a re-screen's words hold its dates."""
    if question is None:
        return question_id
    return label_for_visit(question, visit) if visit is not None else str(question.label)


def _shown(question, value) -> str:
    if value is None:
        return "(not asked)"
    return display_answer(question, value) if question is not None else str(value)


def answered_today(submission, question_id: str) -> bool:
    """Given on this form (not carried and confirmed). A re-screen with no provenance recorded
    (made before provenance existed) counts every answer as given on it."""
    entry = (submission.provenance or {}).get(question_id)
    return entry is None or entry.get("provenance") == "answered"


def changed_answers(submission, previous) -> list[ChangedAnswer]:
    """The answers given on this form that differ from the previous form's, in this form's
    question order and words (the previous answer in its own version's words)."""
    now_def = _definition(submission.questionnaire_version)
    then_def = _definition(previous.questionnaire_version)
    order = list(now_def.questions) if now_def else list(submission.answers)
    changes = []
    for question_id in order:
        if question_id in NOT_ANSWER_CHANGES or question_id not in submission.answers:
            continue
        if not answered_today(submission, question_id):
            continue
        value, was = submission.answers[question_id], previous.answers.get(question_id)
        if value == was:
            continue
        question = _question([now_def], question_id)
        changes.append(
            ChangedAnswer(
                question_id=question_id,
                question=_label(question, question_id, submission.visit()),
                was=_shown(_question([then_def, now_def], question_id), was),
                now=_shown(question, value),
            )
        )
    return changes


def _choice_labels(question, keys) -> list[str]:
    labels = {choice.key: str(choice.label) for choice in question.choices} if question else {}
    return [labels.get(key, key) for key in keys if key not in NO_PROBLEM_KEYS]


def _flag_change(flag, *, note: str = "") -> FlagChange:
    return FlagChange(
        code=flag.code,
        label=flag_label(flag.code),
        severity=flag.severity,
        severity_label=flag.get_severity_display(),
        note=note,
    )


def current_flags(submission) -> list:
    """The flags that stand: not of a superseded decision, not cleared by an amendment."""
    flags = submission.flags.select_related("decision__superseded_by").filter(
        cleared_by_amendment__isnull=True
    )
    return [flag for flag in flags.order_by("-severity_rank", "id") if not flag.is_superseded]


def _course_of(submission, definition) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    answers, visit = submission.answers, submission.visit()
    problems = _choice_labels(
        _question([definition], "last_session_problems"),
        answers.get("last_session_problems") or (),
    )
    unsure = _choice_labels(
        _question([definition], "last_session_problems_unsure"),
        answers.get("last_session_problems_unsure") or (),
    )
    details = []
    for question_id in COURSE_QUESTIONS[2:]:
        if question_id in answers:
            question = _question([definition], question_id)
            details.append(
                (_label(question, question_id, visit), _shown(question, answers[question_id]))
            )
    return problems, unsure, details


def _modality_decision(submission, previous) -> Decision | None:
    """The decision on the previous form the carried modality came from: the newest one made
    before this form was sent."""
    return (
        previous.decisions.filter(decided_at__lte=submission.submitted_at)
        .order_by("-decided_at", "-id")
        .first()
    )


def earlier_sessions(submission, visible) -> tuple[list[EarlierSession], int]:
    """The forms before this one in its chain of re-screens, newest first, each with its course
    flags (those it raised about the session before it); and how many the user may not open."""
    visible_ids = set(visible.values_list("pk", flat=True)) if visible is not None else None
    sessions, hidden = [], 0
    earlier = submission.previous_submission
    seen = {submission.pk}
    while earlier is not None and earlier.pk not in seen and len(seen) <= CHAIN_LIMIT:
        seen.add(earlier.pk)
        if visible_ids is not None and earlier.pk not in visible_ids:
            hidden += 1
        else:
            course = [
                _flag_change(flag)
                for flag in current_flags(earlier)
                if flag.code in COURSE_FLAG_CODES
            ]
            if earlier.previous_submission_id is not None or course:
                sessions.append(
                    EarlierSession(
                        reference=earlier.reference,
                        submitted_on=earlier.submitted_on,
                        treatment_date=earlier.treatment_date,
                        course_flags=tuple(course),
                    )
                )
        earlier = earlier.previous_submission
    return sessions, hidden


def visit_changes(submission, *, visible=None, flags=None) -> VisitChanges | None:
    """The panel of a re-screen (None for a first visit). `visible` is what the user may open
    (earlier sessions they may not are counted, not shown); `flags` the page's stored flags."""
    previous = submission.previous_submission
    if previous is None:
        return None
    definition = _definition(submission.questionnaire_version)
    changes = VisitChanges(
        submission=submission,
        previous=previous,
        form_date=previous.submitted_on,
        visit_label=visit_label(submission),
        treatment_date=submission.treatment_date,
        answers=changed_answers(submission, previous),
    )
    if submission.erased_at is not None:
        return changes
    changes.course_problems, changes.course_unsure, changes.course_details = _course_of(
        submission, definition
    )
    visit = submission.visit()
    for question_id in SINCE_QUESTIONS:
        value = submission.answers.get(question_id)
        if value is not None and value != "no":
            question = _question([definition], question_id)
            changes.since.append((_label(question, question_id, visit), _shown(question, value)))
    for question_id in THIS_VISIT_TEXTS:
        if submission.answers.get(question_id):
            question = _question([definition], question_id)
            changes.texts.append(
                (_label(question, question_id, visit), submission.answers[question_id])
            )
    now = (
        [f for f in flags if not f.is_superseded and f.cleared_by_amendment_id is None]
        if flags is not None
        else current_flags(submission)
    )
    before = {flag.code: flag for flag in current_flags(previous)}
    now_codes = {flag.code for flag in now}
    for flag in now:
        if flag.code not in before:
            changes.new_flags.append(_flag_change(flag, note=flag.change_note))
        elif flag.change_note:
            changes.noted_flags.append(_flag_change(flag, note=flag.change_note))
    # A flag of the previous decision's modality is the decision's, not the answers': it is
    # not "no longer raised" because the answers raise nothing about a modality.
    changes.cleared_flags = [
        _flag_change(flag)
        for code, flag in before.items()
        if code not in now_codes and flag.decision_id is None
    ]
    if submission.carried_modality:
        changes.carried_modality = dict(Decision.Modality.choices).get(
            submission.carried_modality, submission.carried_modality
        )
        changes.carried_skin_type = submission.carried_provider_skin_type
        decision = _modality_decision(submission, previous)
        changes.modality_decided_on = decision.decided_at if decision else None
    changes.earlier_sessions, changes.earlier_hidden = earlier_sessions(submission, visible)
    return changes


# --- the answers by section, marked with where each came from ----------------------------------

PROVENANCE_ANSWERED = "answered"
PROVENANCE_CONFIRMED = "confirmed"
PROVENANCE_CARRIED = "carried"


def provenance_note(entry: dict | None, *, changed: bool) -> tuple[str, str]:
    """(kind, words) for one answer of a re-screen: given on this form (changed or not),
    carried and confirmed by the patient, or carried without being shown to them."""
    if entry is None or entry.get("provenance") == PROVENANCE_ANSWERED:
        return PROVENANCE_ANSWERED, "Changed on this form" if changed else "Answered on this form"
    first = entry.get("answered_on") or "?"
    source = entry.get("from_submission") or "an earlier form"
    if entry.get("provenance") == PROVENANCE_CONFIRMED:
        return PROVENANCE_CONFIRMED, f"Confirmed on this form; first answered on {first} ({source})"
    return (
        PROVENANCE_CARRIED,
        f"Carried over, not shown to the patient; answered on {first} ({source})",
    )


def mark_provenance(sections: list[dict], submission, changes: VisitChanges | None) -> None:
    """Add `provenance` and `provenance_note` to each row of `answers_by_section(...)` of a
    re-screen, so carried answers read distinctly from today's. A first visit is left as is."""
    if changes is None:
        return
    changed = {change.question_id for change in changes.answers}
    entries = submission.provenance or {}
    for section in sections:
        counts = {PROVENANCE_ANSWERED: 0, PROVENANCE_CONFIRMED: 0, PROVENANCE_CARRIED: 0}
        for row in section["rows"]:
            kind, note = provenance_note(
                entries.get(row["question_id"]), changed=row["question_id"] in changed
            )
            row["provenance"], row["provenance_note"] = kind, note
            row["changed"] = row["question_id"] in changed
            row["css"] = f"{'flagged ' if row['flagged'] else ''}prov-{kind}"
            counts[kind] += 1
        section["answered_count"] = counts[PROVENANCE_ANSWERED]
        section["carried_count"] = counts[PROVENANCE_CONFIRMED] + counts[PROVENANCE_CARRIED]
