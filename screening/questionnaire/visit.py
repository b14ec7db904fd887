"""What the questions and rules know about a return visit besides its answers (not answers themselves).

A first visit has no `Visit`. A re-screen (a series session, or a new consultation after a
treatment here) carries the previous submission's date and answers, the clinic's own record of
its last treatment and the provider's current decision on the previous submission: rules read
them to date a course problem ("Since your treatment here on …"), to say what is new since the
last form, and to evaluate the modality flags of a series before the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

SERIES_SESSION = "series_session"
NEW_CONSULTATION = "new_consultation"
VISIT_TYPES = (SERIES_SESSION, NEW_CONSULTATION)


@dataclass(frozen=True)
class Visit:
    """The context of a re-screen, stored with the submission (never part of its answers)."""

    visit_type: str  # SERIES_SESSION or NEW_CONSULTATION
    previous_reference: str
    previous_version: str
    form_date: date  # the previous submission's date ("You last filled in our form on …")
    previous_answers: Mapping = field(default_factory=dict)
    treatment_date: date | None = None  # the clinic's last treatment since the previous form
    carried_modality: str = ""  # the current decision on the previous submission
    carried_provider_skin_type: str = ""
    # The date of that decision ("Modality from the decision of …"); None: not known.
    carried_decision_date: date | None = None
    # Earlier yeses a provider amendment (with a reason) cleared, which the rules stop keeping
    # (flags/return_visit.py): a question id ("isotretinoin_ever") or one item ("skin_history=keloid").
    lifetime_cleared: frozenset[str] = frozenset()

    def __post_init__(self):
        if self.visit_type not in VISIT_TYPES:
            raise ValueError(f"unknown visit type {self.visit_type!r}")


# The key under which `validate_answers` shows a re-screen's Visit to `show_if` conditions
# (never a question id, never stored with the answers).
VISIT_KEY = "@visit"


@dataclass(frozen=True)
class OnVisit:
    """A `show_if` that reads the visit, not an answer: a question asked only on a re-screen.

    `test` is one of TESTS: "rescreen" (any return visit), "treated_here" (the clinic treated
    the patient since the previous form), "new_consultation_after_treatment", and
    "previous_answered" (the previous submission answered every id in `values`).
    """

    test: str
    values: tuple[str, ...] = ()
    TESTS: ClassVar[tuple[str, ...]] = (
        "rescreen",
        "treated_here",
        "new_consultation_after_treatment",
        "previous_answered",
    )

    def __post_init__(self):
        if self.test not in self.TESTS:
            raise ValueError(f"unknown visit test {self.test!r}")

    @property
    def question_id(self) -> str:
        """What it reads, named like an answer condition's parent: the visit, never a question
        on the page (so the form never treats it as a follow-up of one)."""
        return VISIT_KEY

    def holds(self, answers: Mapping) -> bool:
        visit = answers.get(VISIT_KEY)
        if not isinstance(visit, Visit):
            return False  # a first visit: never asked
        if self.test == "rescreen":
            return True
        if self.test == "treated_here":
            return visit.treatment_date is not None
        if self.test == "new_consultation_after_treatment":
            return visit.treatment_date is not None and visit.visit_type == NEW_CONSULTATION
        return all(qid in visit.previous_answers for qid in self.values)

    def as_json(self) -> dict:
        return {"question": VISIT_KEY, "op": self.test, "values": list(self.values)}


def on_visit(test: str, *values: str) -> OnVisit:
    return OnVisit(test, values)
