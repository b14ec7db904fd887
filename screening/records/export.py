"""CSV exports of submissions: the clinic's own (answers by question id, flags with their labels,
acknowledgements, decisions) and a de-identified one for quality review.

Times are in the clinic's time zone with their offset (ISO 8601), so a spreadsheet opened
anywhere reads the clinic's hours. Cells that a spreadsheet would read as a formula are prefixed
with an apostrophe (OWASP's CSV injection advice), so a patient's free text can never run in a
provider's spreadsheet.

The de-identified export drops name, contact, date of birth (an age band instead), the
reference, free text, and every date but its year (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)).
"""

from __future__ import annotations

import csv
import io

from django.utils import translation

from screening.flags.labels import flag_label
from screening.questionnaire import DEFINITIONS, Kind
from screening.questionnaire.date_display import clinic_time
from screening.records.ages import age_band, age_on
from screening.records.amendment_trail import amendment_entries, trail_text
from screening.records.names import staff_name

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FIXED_COLUMNS = [
    "reference",
    "patient_name",
    "date_of_birth",
    "submitted_at",
    "appointment_at",
    "status",
    "status_label",
    "questionnaire_version",
    "rules_version",
    "flags",
    "acknowledgements",
    "decision_outcome",
    "decision_outcome_label",
    "decision_modality",
    "decision_modality_label",
    "provider_skin_type",
    "decision_provider",
    "decided_at",
    "decision_notes",
    # The signed declaration (screening/patient/declaration.py).
    "signature_name",
    "signed_at",
    "declaration_version",
    "declaration_sha256",
    # The language the patient answered and signed in; the answers below are the same keys in
    # every language, free text as typed.
    "answered_in",
    "declaration_text_sha256",
    # Amendments after sending (records/amendment_trail.py): the answers below are the current
    # ones; the trail says which were amended, by whom, when, why, and what each was.
    "answers_version",
    "amendments",
    "flags_cleared_by_amendment",
    # A return visit's context (empty on a first visit): the form it re-screens (its reference
    # and date), the clinic's last treatment, and the decision whose modality it carried.
    "visit_type",
    "previous_submission",
    "previous_form_date",
    "treatment_date",
    "carried_modality",
    "carried_decision_date",
]
DEIDENTIFIED_COLUMNS = [
    "row",
    "age_band",
    "submitted_year",
    "status",
    "questionnaire_version",
    "rules_version",
    "flags",
    "flags_acknowledged",
    "hours_to_decision",
    "decision_outcome",
    "decision_modality",
    "provider_skin_type",
    "skin_type_self",
    "answered_in",
]
# Answers that identify or may (free text, contact, exact dates) never leave in the quality file.
_IDENTIFYING_KINDS = frozenset({Kind.TEXT, Kind.EMAIL, Kind.PHONE, Kind.DATE})


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def local_time(moment) -> str:
    """ISO 8601 in the clinic's time zone with its offset ("" for none)."""
    return clinic_time(moment).isoformat(timespec="seconds") if moment else ""


def _stored(value) -> str:
    return ";".join(value) if isinstance(value, list) else ("" if value is None else str(value))


def answer_columns() -> list[str]:
    """Every question id of every version, in the order they were introduced, but those the
    fixed columns already hold (the date of birth).

    Stored keys are exported, and an id keeps its meaning in every version, so one column serves
    all versions; a row's `questionnaire_version` says which words were asked.
    """
    return [
        qid
        for qid in dict.fromkeys(
            qid for definition in DEFINITIONS.values() for qid in definition.questions
        )
        if qid not in FIXED_COLUMNS
    ]


def _choice_questions() -> dict:
    """Question id -> its latest question, for those answered by choosing (keys stored)."""
    found = {}
    for definition in DEFINITIONS.values():
        for qid, question in definition.questions.items():
            if question.choices:
                found[qid] = question
    return found


def _labels(question, value) -> str:
    keys = value if isinstance(value, list) else ([] if value in (None, "") else [value])
    with translation.override("en"):  # the staff's language, whatever the patient's
        return ";".join(str(question.choice_label(key)) for key in keys)


def columns_with_labels(columns) -> list[str]:
    """Each answer column, and beside each chosen answer its label column (`<id>_label`)."""
    choice = _choice_questions()
    out = []
    for qid in columns:
        out.append(qid)
        if qid in choice:
            out.append(f"{qid}_label")
    return out


def deidentified_answer_columns() -> list[str]:
    """The answer columns safe for the quality file: no free text, contact or exact date."""
    kinds = {
        qid: question.kind
        for definition in DEFINITIONS.values()
        for qid, question in definition.questions.items()
    }
    return [qid for qid in answer_columns() if kinds[qid] not in _IDENTIFYING_KINDS]


def _flags_cell(flags) -> str:
    return ";".join(f"{flag.code}:{flag.severity} ({flag_label(flag.code)})" for flag in flags)


def _acknowledgements_cell(flags) -> str:
    parts = []
    for flag in flags:
        if flag.acknowledged_at is None:
            continue
        who = staff_name(flag.acknowledged_by)
        part = f"{flag.code} by {who} at {local_time(flag.acknowledged_at)}"
        if flag.acknowledgement_comment:
            part += f": {flag.acknowledgement_comment}"
        parts.append(part)
    return " | ".join(parts)


def _latest(submission):
    decisions = sorted(submission.decisions.all(), key=lambda d: (d.decided_at, d.id))
    return decisions[-1] if decisions else None


def _current_flags(submission):
    """The flags that count: not those of a superseded decision, nor those an amendment
    cleared."""
    return [
        flag
        for flag in submission.flags.all()
        if not flag.is_superseded and flag.cleared_by_amendment_id is None
    ]


def _amendment_cells(submission) -> list:
    flags = submission.flags.all()
    entries = amendment_entries(submission, submission.amendments.all(), flags)
    cleared = [flag for flag in flags if flag.cleared_by_amendment_id is not None]
    return [submission.answers_version, trail_text(entries), _flags_cell(cleared)]


def _visit_cells(submission) -> list:
    previous = submission.previous_submission
    return [
        submission.visit_type,
        previous.reference if previous else "",
        previous.submitted_on.isoformat() if previous else "",
        submission.treatment_date.isoformat() if submission.treatment_date else "",
        submission.carried_modality,
        submission.carried_decision_date.isoformat() if submission.carried_decision_date else "",
    ]


def submissions_csv(submissions) -> str:
    """The clinic's CSV; `submissions` should prefetch flags (with acknowledged_by and
    decision__superseded_by), decisions (with provider) and amendments (with actor)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = answer_columns()
    choice = _choice_questions()
    writer.writerow(FIXED_COLUMNS + columns_with_labels(columns))
    for submission in submissions:
        latest = _latest(submission)
        flags = _current_flags(submission)
        row = [
            submission.reference,
            f"{submission.first_name} {submission.last_name}".strip(),
            submission.date_of_birth.isoformat() if submission.date_of_birth else "",
            local_time(submission.submitted_at),
            local_time(submission.appointment_at),
            submission.status,
            submission.get_status_display(),
            submission.questionnaire_version,
            submission.rules_version,
            _flags_cell(flags),
            _acknowledgements_cell(flags),
            latest.outcome if latest else "",
            latest.get_outcome_display() if latest else "",
            latest.modality if latest else "",
            latest.get_modality_display() if latest else "",
            latest.provider_skin_type if latest else "",
            latest.provider.display_name if latest else "",
            local_time(latest.decided_at) if latest else "",
            latest.notes if latest else "",
            submission.signature_name,
            local_time(submission.signed_at),
            submission.declaration_version,
            submission.declaration_sha256,
            submission.language,
            submission.declaration_text_sha256,
            *_amendment_cells(submission),
            *_visit_cells(submission),
        ]
        for qid in columns:
            value = submission.answers.get(qid)
            row.append(_stored(value))
            if qid in choice:
                row.append(_labels(choice[qid], value))
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def _year_only(value) -> str:
    text = _stored(value)
    return text[:4] if len(text) >= 7 and text[4] == "-" else text


def deidentified_csv(submissions) -> str:
    """The quality-review CSV: one row per submission in a shuffled-free but reference-free
    order, an age band instead of the date of birth, years instead of dates."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = deidentified_answer_columns()
    month_year = {
        qid
        for definition in DEFINITIONS.values()
        for qid, question in definition.questions.items()
        if question.kind == Kind.MONTH_YEAR
    }
    writer.writerow(DEIDENTIFIED_COLUMNS + columns)
    for number, submission in enumerate(submissions, start=1):
        latest = _latest(submission)
        flags = _current_flags(submission)
        hours = (
            round((latest.decided_at - submission.submitted_at).total_seconds() / 3600, 1)
            if latest
            else ""
        )
        row = [
            number,
            age_band(age_on(submission.date_of_birth, submission.submitted_on)),
            clinic_time(submission.submitted_at).year,
            submission.status,
            submission.questionnaire_version,
            submission.rules_version,
            ";".join(f"{flag.code}:{flag.severity}" for flag in flags),
            sum(1 for flag in flags if flag.acknowledged_at),
            hours,
            latest.outcome if latest else "",
            latest.modality if latest else "",
            latest.provider_skin_type if latest else "",
            _stored(submission.answers.get("skin_type_self")),
            submission.language,
        ]
        row += [
            _year_only(submission.answers.get(qid))
            if qid in month_year
            else _stored(submission.answers.get(qid))
            for qid in columns
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
