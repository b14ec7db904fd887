"""What the review page (and its print view) shows of one submission: each flag with the
question as the patient saw it, the rule, its note and sources; the patient's earlier
submissions and what changed since the previous one. Read-only; the admin view renders it."""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.flags import RULES_BY_CODE
from screening.flags.labels import flag_label
from screening.flags.provider_checks import SELF_REPORT_QUESTION
from screening.questionnaire import UnknownVersion, definition_for
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.visit_labels import label_for_visit
from screening.records.names import staff_name
from screening.workspace import patients
from screening.workspace.sources import Source, sources_for


@dataclass
class FlagView:
    """A stored flag as the provider reads it."""

    flag: object
    label: str
    questions: list[tuple[str, str]]  # (question as the patient saw it, their answer)
    rule_text: str
    note: str
    sources: list[Source]
    superseded: bool
    acknowledged_by_name: str = ""

    @property
    def cleared(self) -> bool:
        """An amendment no longer raises it: shown struck through, not counted."""
        return getattr(self.flag, "cleared_by_amendment_id", None) is not None

    @property
    def counts(self) -> bool:
        return not (self.superseded or self.cleared)


def _question_text(definition, question_id: str, visit=None) -> str:
    question = definition.questions.get(question_id) if definition else None
    if question is None:
        return question_id
    # A re-screen's questions hold its dates ("Since your treatment here on March 3, …").
    return label_for_visit(question, visit) if visit else str(question.label)


def _definition(version: str):
    try:
        return definition_for(version)
    except UnknownVersion:
        return None


def _flag_view(flag, definition, rule, *, superseded: bool, visit=None) -> FlagView:
    return FlagView(
        flag=flag,
        label=flag_label(flag.code),
        questions=[
            (_question_text(definition, qid, visit), answer)
            for qid, answer in flag.questions.items()
        ],
        rule_text=rule.describe() if rule else "",
        note=rule.note if rule else "",
        sources=sources_for(flag.sources),
        superseded=superseded,
        acknowledged_by_name=staff_name(flag.acknowledged_by)
        if getattr(flag, "acknowledged_at", None)
        else "",
    )


def flag_views(flags, *, questionnaire_version: str, visit=None) -> list[FlagView]:
    """`flags` (with decision__superseded_by selected) for the page, current ones first (those
    a replaced decision raised or an amendment cleared after); `visit` a re-screen's
    (Submission.visit()), to word its questions with its dates."""
    definition = _definition(questionnaire_version)
    views = [
        _flag_view(flag, definition, flag.rule, superseded=flag.is_superseded, visit=visit)
        for flag in flags
    ]
    return sorted(views, key=lambda view: not view.counts)


def raised_flag_views(raised, *, questionnaire_version: str, visit=None) -> list[FlagView]:
    """Flags the engine raised but nobody stored yet (the flags a modality would raise, shown on
    the decision page before it is saved), as the provider reads a stored one: plain label
    (the code beside it), severity, reason, the questions and answers, the rule and its note."""
    definition = _definition(questionnaire_version)
    return [
        _flag_view(flag, definition, RULES_BY_CODE.get(flag.code), superseded=False, visit=visit)
        for flag in raised
    ]


def self_reported_skin_type(submission) -> str:
    """The patient's answer to the skin-type question, as they saw it ("" if not asked)."""
    definition = _definition(submission.questionnaire_version)
    value = submission.answers.get(SELF_REPORT_QUESTION)
    if value is None or definition is None or SELF_REPORT_QUESTION not in definition.questions:
        return ""
    question = definition.questions[SELF_REPORT_QUESTION]
    shown = display_answer(question, value)
    return f"{value}: {shown}" if value != "unsure" else shown


# The answers a provider wants beside the decision form, besides those the flags quote.
KEY_QUESTIONS = (
    "treatment_areas",
    "skin_concerns",
    "expected_result",
    "recovery_time_available",
    "upcoming_event",
    "prior_procedures",
    "pregnancy_status",
)


def key_answers(submission) -> list[tuple[str, str]]:
    """(question as the patient saw it, their answer) for KEY_QUESTIONS that were answered."""
    definition = _definition(submission.questionnaire_version)
    if definition is None:
        return []
    return [
        (
            label_for_visit(definition.questions[qid], submission.visit()),
            display_answer(definition.questions[qid], value),
        )
        for qid in KEY_QUESTIONS
        if qid in definition.questions and (value := submission.answers.get(qid)) is not None
    ]


@dataclass
class EarlierSubmission:
    submission: object
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # question, was, now


def answer_changes(
    earlier: dict, later: dict, *, version: str, visit=None
) -> list[tuple[str, str, str]]:
    """The questions whose answer differs between two answer sets, shown in `version`'s words:
    (question, earlier answer, later answer). `visit`: the later one's, when it is a re-screen
    (its questions' words hold its dates)."""
    definition = _definition(version)
    changes = []
    for question_id in dict.fromkeys([*later, *earlier]):
        if earlier.get(question_id) == later.get(question_id):
            continue
        question = definition.questions.get(question_id) if definition else None
        if question is None:
            continue

        def shown(answers, question=question):
            value = answers.get(question.id)
            return "(not asked)" if value is None else display_answer(question, value)

        label = label_for_visit(question, visit) if visit else str(question.label)
        changes.append((label, shown(earlier), shown(later)))
    return changes


def earlier_submissions(submission, visible) -> list[EarlierSubmission]:
    """The patient's earlier submissions the user may open, newest first, each with the answers
    that changed from it to the next one (the newest to this submission)."""
    rows = patients.earlier_of_same_person(submission, visible)
    result = []
    later = submission
    for earlier in rows:
        result.append(
            EarlierSubmission(
                submission=earlier,
                changed=answer_changes(
                    earlier.answers,
                    later.answers,
                    version=later.questionnaire_version,
                    visit=later.visit(),
                ),
            )
        )
        later = earlier
    return result
