"""What a patient re-confirms before the visit, as data (return-visit contract, "Re-confirm before
the visit"; rule 7).

When the appointment is more than SCREENING_RECONFIRM_DAYS after the submission, the answers
that go stale within weeks are shown again before the visit (through the reminder's link or the
check-in tablet): each `CONFIRM` item with the patient's answer and Still true · Change; the two
`SINCE` questions asked afresh, from the submission date. Change asks the item's questions (and
their follow-ups) with the form's own widgets and validation; a Yes or Not sure to a since-
question opens the answers it is about (the medicine list, the past treatments) for change.

Pure: no model, no request. The pages (screening.patient.check_in) and the service
(screening.visits.reconfirmation) read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from screening.questionnaire.model import Definition, Question
from screening.questionnaire.versions import DEFINITIONS

CONFIRM = "confirm"  # shown with its answer: Still true · Change
SINCE = "since"  # asked afresh: "Since {submission date}, …?"

# A since-question's answers that open what it is about for change.
OPENING_ANSWERS = frozenset({"yes", "unsure"})


@dataclass(frozen=True)
class Item:
    """One line of the re-confirmation page.

    `question_ids`: the item's question and its follow-ups, in the form's order (a CONFIRM
    item is shown when its first question was answered: "when shown", "if the submission asked
    it"). `opens`: for a SINCE item, the ids put up for change when the answer is Yes or Not
    sure (those the submission's version has); `opens_section` adds a whole section's questions.
    `shows_opened`: the answers it opens are listed above it ("Your medicines on …:").
    """

    key: str
    kind: str
    question_ids: tuple[str, ...]
    opens: tuple[str, ...] = ()
    opens_section: str = ""
    shows_opened: bool = False


# The contract's list, in its order.
ITEMS: tuple[Item, ...] = (
    Item("pregnancy", CONFIRM, ("pregnancy_status",)),
    Item(
        "skin_now",
        CONFIRM,
        ("current_skin_problems_area", "current_skin_problems_area_unsure"),
    ),
    Item("sun", CONFIRM, ("last_significant_sun",)),
    Item("skin_prep", CONFIRM, ("recent_skin_prep",)),
    Item(
        "isotretinoin",
        CONFIRM,
        (
            "isotretinoin_ever",
            "oral_retinoid_type",
            "isotretinoin_current",
            "isotretinoin_last_dose",
        ),
    ),
    Item(
        "medicines",
        SINCE,
        ("since_last_medicines",),
        opens=(
            "medicines_any",
            "immunosuppressant_meds",
            "blood_thinners",
            "photosensitising_meds",
            "medicines_any_unsure",
            "current_medications_text",
        ),
        shows_opened=True,
    ),
    Item("treatments", SINCE, ("since_last_treatments",), opens_section="past_treatments"),
    Item("skin_condition", CONFIRM, ("skin_condition_active",)),
    Item("vitiligo", CONFIRM, ("vitiligo_active_12m",)),
    Item(
        "last_session",
        CONFIRM,
        (
            "last_session_problems",
            "last_session_problems_unsure",
            "last_session_still_now",
            "last_session_seen_for_it",
        ),
    ),
)
ITEMS_BY_KEY = {item.key: item for item in ITEMS}
SINCE_IDS = frozenset(qid for item in ITEMS if item.kind == SINCE for qid in item.question_ids)


def is_due(submitted_on: date, appointment_on: date | None, *, days: int) -> bool:
    """Re-confirmation is due when the appointment is more than `days` days after the
    submission date (exactly `days` days: not due)."""
    if appointment_on is None:
        return False
    return (appointment_on - submitted_on).days > days


def confirm_items(answers: Mapping) -> list[Item]:
    """The CONFIRM items this submission shows: those whose first question it answered."""
    return [item for item in ITEMS if item.kind == CONFIRM and item.question_ids[0] in answers]


def since_items() -> list[Item]:
    """The SINCE items: asked of every submission, first visit or re-screen."""
    return [item for item in ITEMS if item.kind == SINCE]


def since_question(question_id: str) -> Question | None:
    """A since-question as the newest questionnaire writes it (a first visit's version does not
    have it: at check-in it is asked of every submission, and kept off its answers)."""
    for version in sorted(DEFINITIONS, reverse=True):
        found = DEFINITIONS[version].questions.get(question_id)
        if found is not None:
            return found
    return None


def opened_ids(item: Item, definition: Definition) -> tuple[str, ...]:
    """The ids a Yes or Not sure to `item` puts up for change, those `definition` has."""
    ids = [qid for qid in item.opens if qid in definition.questions]
    if item.opens_section and item.opens_section in definition.sections_by_key:
        ids += definition.sections_by_key[item.opens_section].step_question_ids
    return tuple(dict.fromkeys(ids))


def change_ids(
    changed_items: list[str], since_answers: Mapping, definition: Definition
) -> tuple[str, ...]:
    """The question ids the change page asks, in the questionnaire's order: the changed CONFIRM
    items' questions and follow-ups, and what the since-questions answered Yes or Not sure
    open."""
    wanted: set[str] = set()
    for key in changed_items:
        item = ITEMS_BY_KEY[key]
        wanted.update(qid for qid in item.question_ids if qid in definition.questions)
    for item in since_items():
        if since_answers.get(item.question_ids[0]) in OPENING_ANSWERS:
            wanted.update(opened_ids(item, definition))
    return tuple(qid for qid in definition.questions if qid in wanted)
