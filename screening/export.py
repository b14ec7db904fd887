"""CSV export of submissions for providers: answers by question id, flags, decision.

Cells that a spreadsheet would read as a formula are prefixed with an apostrophe (OWASP's CSV
injection advice), so a patient's free text can never run in a provider's spreadsheet.
"""

from __future__ import annotations

import csv
import io

from .questionnaire import DEFINITIONS

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FIXED_COLUMNS = [
    "reference",
    "submitted_at",
    "status",
    "questionnaire_version",
    "rules_version",
    "flags",
    "decision_outcome",
    "decision_modality",
    "decided_at",
    # The signed declaration (screening/declaration.py).
    "signature_name",
    "signed_at",
    "declaration_version",
    "declaration_sha256",
]


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _stored(value) -> str:
    return ";".join(value) if isinstance(value, list) else ("" if value is None else str(value))


def answer_columns() -> list[str]:
    """Every question id of every version, in the order they were introduced.

    Stored keys are exported (not labels), and an id keeps its meaning in every version, so one
    column serves all versions; a row's `questionnaire_version` says which words were asked.
    """
    return list(
        dict.fromkeys(qid for definition in DEFINITIONS.values() for qid in definition.questions)
    )


def submissions_csv(submissions) -> str:
    """The CSV text; `submissions` should prefetch flags and decisions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = answer_columns()
    writer.writerow(FIXED_COLUMNS + columns)
    for submission in submissions:
        decisions = sorted(submission.decisions.all(), key=lambda d: (d.decided_at, d.id))
        latest = decisions[-1] if decisions else None
        row = [
            submission.reference,
            submission.submitted_at.isoformat(),
            submission.status,
            submission.questionnaire_version,
            submission.rules_version,
            ";".join(f"{flag.code}:{flag.severity}" for flag in submission.flags.all()),
            latest.outcome if latest else "",
            latest.modality if latest else "",
            latest.decided_at.isoformat() if latest else "",
            submission.signature_name,
            submission.signed_at.isoformat() if submission.signed_at else "",
            submission.declaration_version,
            submission.declaration_sha256,
        ]
        row += [_stored(submission.answers.get(qid)) for qid in columns]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
