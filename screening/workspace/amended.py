"""What the staff pages show of amendments after sending: the trail (who, when, why, was and
now), the "Amended" mark beside each answer changed, and the flags to select so that each says
"New after amendment on ..." or "Cleared by amendment on ...". The review page, the print view
and the decision page read it; the CSV reads the same trail (records.amendment_trail).
"""

from __future__ import annotations

from screening.models import Amendment
from screening.records.amendment_trail import amended_marks, amendment_entries

# Select these with the page's flags: each flag names its amendment's date without a query.
FLAG_RELATED = ("raised_by_amendment", "cleared_by_amendment")


def amendment_context(submission, flags, answer_sections=None) -> dict:
    """The trail for the page, and each row of `answer_sections` (answers_by_section's) that
    an amendment changed marked with `amended` (an AmendedMark)."""
    if submission.answers_version <= 1:
        return {"amendments": []}
    amendments = Amendment.objects.filter(submission=submission).select_related("actor")
    entries = amendment_entries(submission, amendments, flags)
    marks = amended_marks(entries)
    for section in answer_sections or ():
        for row in section["rows"]:
            row["amended"] = marks.get(row["question_id"])
        section["amended_count"] = sum(1 for row in section["rows"] if row.get("amended"))
    return {"amendments": entries}
