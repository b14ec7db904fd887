"""What the rules read and say on a return visit (a re-screen with a `Visit`), as pure functions.

- **A lifetime "yes" stays yes** (return-visit contract, §4 rule 3). For the answers in
  `LIFETIME_YES`, a yes given on the previous form and removed today is still read by the
  rules (`lifetime_answers`): the removed items come back into the rules' copy of the answers,
  with the follow-ups answered under them then, and every flag that quotes one says "Removed on
  {date}; was yes on {date}" (`removed_note`). Only a provider amendment with a reason clears it: the
  amendment names it in `Visit.lifetime_cleared`. Current-state answers take today's
  value. The stored answers are never changed: this is the rules' reading.
- **"New since {form_date} (was: …)"** (`change_note`): a flag whose quoted answer differs from
  what the previous form quoted for the same rule.
- Two sentences on existing flags (`added_sentences`): PREGNANT newly reported after a treatment
  here, and ANTICOAGULANT_RX or IMMUNOSUPPRESSED newly started.
- The modality flags of a series session, evaluated at submission with the carried decision
  (`carried_modality_note`).

Provider-facing text is English (flags are provider data), dates like "March 3, 2027".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from screening.flags.base import NO_ANSWER
from screening.flags.conditions import provider_date
from screening.questionnaire import Definition
from screening.questionnaire.model import AnswerIs, Picked, PickedMoreThanOne
from screening.questionnaire.versions import ORDER
from screening.questionnaire.visit import Visit

# yes/no/unsure questions whose "yes" is for life; the single-choice `cold_sores_history`,
# whose yes ("rarely", "often") is kept when today says "never".
LIFETIME_YES = ("isotretinoin_ever", "prior_treatment_problems")
COLD_SORES = "cold_sores_history"
COLD_SORES_YES = ("rarely", "often")
# Multi-choice answers whose items are for life (every item but the "none"/"not sure" keys), and
# `medicines_any`, of which only `gold` is.
LIFETIME_ITEMS: dict[str, tuple[str, ...] | None] = {
    "prior_procedures": None,
    "allergies_list": None,
    "skin_history": None,
    "photosensitivity_dx": None,
    "medicines_any": ("gold",),
}
_NOT_ITEMS = frozenset({"none", "not_sure", "unsure"})
# A key whose meaning changed: an earlier answer of a version before the one named did not mean
# what the key means today, so it is not kept (rule 4: v1's "Non-ablative or fractional laser").
MEANING_FROM: dict[tuple[str, str], str] = {("prior_procedures", "nonablative_laser"): "2026.12"}
# The course of the last treatment is asked about each session and never compared (rule 6).
COURSE_IDS = frozenset(
    {
        "last_session_problems",
        "last_session_problems_unsure",
        "last_session_still_now",
        "last_session_seen_for_it",
        "last_session_result_view",
        "since_last_treatments",
        "since_last_medicines",
    }
)


@dataclass(frozen=True)
class Kept:
    """What the rules read of an earlier yes that today's answers removed: for a question id,
    the value restored (for a multi: only the items removed)."""

    question_id: str
    value: object
    follow_up: bool = False  # answered under a kept yes, back with it


def _position(version: str) -> int:
    return ORDER.index(version) if version in ORDER else -1


def _items(value) -> list[str]:
    return [key for key in value if isinstance(key, str)] if isinstance(value, list) else []


def _same_kind(question_id: str, definition: Definition, previous: Definition | None) -> bool:
    today = definition.questions.get(question_id)
    before = previous.questions.get(question_id) if previous is not None else None
    return today is not None and before is not None and today.kind is before.kind


def lifetime_answers(
    answers: Mapping, visit: Visit, definition: Definition, previous: Definition | None
) -> tuple[Mapping, dict[str, Kept]]:
    """The answers the rules read on a return visit, and what was kept of earlier yeses.

    `previous` is the definition of the previous form's version (None: unknown, nothing kept).
    Returns `answers` itself when nothing was removed.
    """
    before = visit.previous_answers
    cleared = visit.lifetime_cleared
    merged = dict(answers)
    kept: dict[str, Kept] = {}
    for question_id in LIFETIME_YES:
        if (
            question_id not in cleared
            and before.get(question_id) == "yes"
            and answers.get(question_id) != "yes"
            and _same_kind(question_id, definition, previous)
        ):
            merged[question_id] = "yes"
            kept[question_id] = Kept(question_id, "yes")
    if (
        COLD_SORES not in cleared
        and before.get(COLD_SORES) in COLD_SORES_YES
        and answers.get(COLD_SORES) == "never"
        and _same_kind(COLD_SORES, definition, previous)
    ):
        merged[COLD_SORES] = before[COLD_SORES]
        kept[COLD_SORES] = Kept(COLD_SORES, before[COLD_SORES])
    for question_id, only in LIFETIME_ITEMS.items():
        if question_id in cleared or not _same_kind(question_id, definition, previous):
            continue
        question = definition.questions[question_id]
        now = _items(answers.get(question_id))
        removed = [
            key
            for key in _items(before.get(question_id))
            if key not in _NOT_ITEMS
            and key not in now
            and key in question.choice_keys
            and (only is None or key in only)
            and f"{question_id}={key}" not in cleared
            and _position(previous.version)
            >= _position(MEANING_FROM.get((question_id, key), previous.version))
        ]
        if not removed:
            continue
        restored = {*now, *removed} - {"none"}
        merged[question_id] = [key for key in question.choice_keys if key in restored]
        kept[question_id] = Kept(question_id, removed)
    if not kept:
        return answers, kept
    # The follow-ups answered under a kept yes come back with it (in questionnaire order, so
    # that a follow-up of a follow-up follows too).
    for question in definition.questions.values():
        condition = question.show_if
        if (
            question.id in answers
            or question.id not in before
            or not isinstance(condition, AnswerIs | Picked | PickedMoreThanOne)
            or not _same_kind(question.id, definition, previous)
        ):
            continue
        if condition.holds(merged) and not condition.holds(answers):
            merged[question.id] = before[question.id]
            kept[question.id] = Kept(question.id, before[question.id], follow_up=True)
    return merged, kept


def removed_note(
    quoted: Iterable[str],
    kept: Mapping[str, Kept],
    definition: Definition,
    today: date,
    visit: Visit,
) -> str:
    """ "Removed on {today}; was yes on {form_date} (…)." for the kept yeses a flag quotes."""
    # A follow-up kept with its yes is named by that yes (the last dose by "Isotretinoin: Yes").
    named = []
    for question_id in quoted:
        held = kept.get(question_id)
        while held is not None and held.follow_up:
            parent = definition.questions[held.question_id].show_if.question_id
            held = kept.get(parent)
        if held is not None and held.question_id not in named:
            named.append(held.question_id)
    shown = []
    for question_id in named:
        held = kept[question_id]
        question = definition.questions[question_id]
        name = str(question.short_label or question_id)
        if isinstance(held.value, list):
            shown.append(f"{name}: {', '.join(str(question.choice_label(k)) for k in held.value)}")
        else:
            shown.append(f"{name}: {question.choice_label(held.value)}")
    if not shown:
        return ""
    what = f" ({'; '.join(shown)})"
    return f"Removed on {provider_date(today)}; was yes on {provider_date(visit.form_date)}{what}."


def change_note(
    today_quotes: Mapping[str, str],
    previous_quotes: Mapping[str, str],
    definition: Definition,
    visit: Visit,
    skip: Iterable[str] = (),
) -> str:
    """ "New since {form_date} (was: …)" when an answer the flag quotes differs from what the
    previous form's answers quote for the same rule inputs; "" when none does. Course answers
    (asked each session) and `skip` (kept yeses, which have their own note) are not compared."""
    skipped = frozenset(skip)
    was = []
    for question_id, text in today_quotes.items():
        if question_id in COURSE_IDS or question_id in skipped:
            continue
        before = previous_quotes.get(question_id, NO_ANSWER)
        if before == text:
            continue
        question = definition.questions.get(question_id)
        name = str(question.short_label) if question is not None and question.short_label else ""
        before = "not asked" if before == NO_ANSWER else before
        was.append((name, before))
    if not was:
        return ""
    if len(was) == 1:
        listed = was[0][1]
    else:
        listed = "; ".join(f"{name}: {text}" if name else text for name, text in was)
    return f"New since {provider_date(visit.form_date)} (was: {listed})"


PREGNANT_AFTER_TREATMENT = (
    "Reported after the treatment on {treatment_date}: review what was given around it "
    "(antivirals, antibiotics, local or topical anaesthetic)."
)
STARTED_SINCE = (
    "Started since {form_date}: ask what for. A new clot, heart-rhythm problem, stent, "
    "autoimmune disease or transplant may not show in the carried health answers."
)
# The medicine answers whose new "yes" makes ANTICOAGULANT_RX or IMMUNOSUPPRESSED "started".
_STARTED_BY = {
    "ANTICOAGULANT_RX": frozenset({"blood_thinners", "medicines_any"}),
    "IMMUNOSUPPRESSED": frozenset({"immunosuppressant_meds", "medicines_any"}),
}


def added_sentences(
    code: str, rules_inputs: Iterable[str], raised_before: frozenset[str], visit: Visit
) -> tuple[str, ...]:
    """The sentences a flag raised today but not on the previous form's answers adds: PREGNANT
    after a treatment here; ANTICOAGULANT_RX or IMMUNOSUPPRESSED from a medicine."""
    if code in raised_before:
        return ()
    if code == "PREGNANT" and visit.treatment_date is not None:
        return (
            PREGNANT_AFTER_TREATMENT.format(treatment_date=provider_date(visit.treatment_date)),
        )
    started_by = _STARTED_BY.get(code)
    if started_by is not None and not started_by.isdisjoint(rules_inputs):
        return (STARTED_SINCE.format(form_date=provider_date(visit.form_date)),)
    return ()


def carried_modality_note(visit: Visit) -> str:
    """The sentence on a modality flag a series session raises at submission."""
    decided = getattr(visit, "carried_decision_date", None)
    if decided is not None:
        return f"Modality from the decision of {provider_date(decided)}."
    return f"Modality from the decision on the previous form (of {provider_date(visit.form_date)})."
