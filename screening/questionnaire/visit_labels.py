"""A re-screen question's words for one patient's visit: its dates filled in, in their language.

Some 2027.02 labels hold `%(treatment_date)s` (the clinic's last treatment) or `%(form_date)s`
(the previous form's date); `label_for_visit` fills them with the dates of the `Visit`, written
like "March 3" ("3 de marzo"). A label without placeholders comes back as it is, so a page can
pass every question through it.
"""

from __future__ import annotations

from django.utils.functional import Promise

from screening.questionnaire.date_display import month_day_in_words
from screening.questionnaire.model import Question
from screening.questionnaire.visit import Visit

# Where no visit is at hand (a page that lists a re-screen's answers without its context), the
# dates are left out as "…" rather than shown as placeholders.
NO_DATES = {"form_date": "…", "treatment_date": "…"}


def visit_dates(visit: Visit | None) -> dict[str, str]:
    """The placeholders a re-screen's wording may hold, in the active language."""
    if visit is None:
        return NO_DATES
    return {
        "form_date": month_day_in_words(visit.form_date),
        # Only a question shown "since your treatment here" says it, and it is shown only when
        # there is one; an empty value never reaches a page.
        "treatment_date": month_day_in_words(visit.treatment_date) if visit.treatment_date else "",
    }


def fill_for_visit(text: Promise | str, visit: Visit | None) -> str:
    """`text` (a label, a heading) with the visit's dates in it."""
    words = str(text)
    if "%(" not in words:
        return words
    return words % visit_dates(visit)


def label_for_visit(question: Question, visit: Visit | None) -> str:
    """The question's label as this patient reads it on their re-screen (without a visit, the
    dates are "…")."""
    label = question.label
    if question.label_not_treated_here and visit is not None and visit.treatment_date is None:
        label = question.label_not_treated_here
    return fill_for_visit(label, visit)
