"""What a returning patient's short re-screen carries over from their last submission, and what it
asks afresh (the clinical contract "Return visits", sections 1 and 4).

Data first: the classification of the v3 bank into the cards of "Is this still true?" (carried,
shown for a one-tap Still true or a Change), the ids asked blank on every re-screen (they go
stale within weeks and feed PRIORITY or sequencing flags), and the two carried unshown. Then pure
functions: `plan` decides, for one previous submission, today and the current definition, which
carried answer is shown on its card, which is asked blank instead (stale, from an older version,
"Not sure", a past date, new treatment areas, a course problem since) and which card opens in
Change mode; `record` turns the patient's day (Still true per card, today's answers) into the full
answer set and each answer's provenance.

Nothing here reads the database or the settings: the service (screening.visits.rescreen) passes
the staleness limit (`SCREENING_CARRY_OVER_MONTHS`) and the chain's earlier course problems.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from screening.questionnaire.model import Definition, prior_procedure_last_id
from screening.questionnaire.versions import ORDER, definition_for
from screening.questionnaire.visit import OnVisit

# --- The classification of the v3 bank (87 ids) ----------------------------------------------


@dataclass(frozen=True)
class Card:
    """One card of carried answers: its key, the v3 section whose title heads it, its ids in
    questionnaire order (hidden follow-ups are not listed on it)."""

    key: str
    section_key: str
    ids: tuple[str, ...]


PRIOR_PROCEDURE_KEYS = (
    "ablative_laser",
    "nonablative_laser",
    "ipl",
    "chemical_peel_light",
    "chemical_peel_medium_deep",
    "dermabrasion",
    "microneedling",
    "filler",
    "neurotoxin",
    "facial_surgery",
    "eyelid_surgery",
    "fractional_ablative_laser",
    "laser_unsure",
    "thread_lift",
    "tattoo_pmu",
    "precancer_treatment",
)

ABOUT_YOU = Card(
    "about_you",
    "about_you",
    (
        "first_name",
        "last_name",
        "preferred_name",
        "email",
        "phone",
        "preferred_contact_method",
        "unencrypted_contact_consent",
        "ok_voicemail",
        "best_contact_time",
    ),
)
GOALS = Card(
    "goals",
    "concerns",
    (
        "skin_concerns",
        "skin_concerns_other",
        "main_concern",
        "treatment_areas",
        "treatment_areas_other",
        "area_near_eyes",
        "goals_text",
        "expected_result",
        "concern_impact",
        "appearance_time",
        "appearance_avoid",
        "recovery_time_available",
        "upcoming_event",
        "upcoming_event_date",
    ),
)
SKIN_SUN = Card(
    "skin_sun",
    "skin_sun",
    (
        "skin_type_self",
        "sun_reactions",
        "photosensitivity_dx",
        "sun_planned_after",
        "recent_skin_prep",
    ),
)
PAST_TREATMENTS = Card(
    "past_treatments",
    "past_treatments",
    (
        "prior_procedures",
        *(prior_procedure_last_id(key) for key in PRIOR_PROCEDURE_KEYS),
        "filler_type",
        "eyelid_surgery_lower",
        "prior_treatment_problems",
        "prior_treatment_problems_text",
    ),
)
MEDICINES_ALLERGIES = Card(
    "medicines",
    "medicines",
    (
        "allergies_list",
        "allergies_list_unsure",
        "numbing_reaction",
        "allergy_antibiotic_text",
        "allergy_other_text",
    ),
)
HEALTH = Card(
    "health",
    "health",
    (
        "cold_sores_history",
        "skin_history",
        "skin_history_unsure",
        "skin_conditions",
        "health_conditions",
        "health_conditions_unsure",
        "autoimmune_conditions",
        "diabetes",
        "energy_device_safety",
        "smoking_status",
        "quit_date",
        "other_conditions_text",
    ),
)
# The Goals card is on step 2 (the "areas you want treated" questions depend on it); the others
# on step 3, in this order.
CARDS: tuple[Card, ...] = (ABOUT_YOU, GOALS, SKIN_SUN, PAST_TREATMENTS, MEDICINES_ALLERGIES, HEALTH)
STEP_3_CARDS: tuple[Card, ...] = (ABOUT_YOU, SKIN_SUN, PAST_TREATMENTS, MEDICINES_ALLERGIES, HEALTH)
CARDS_BY_KEY: dict[str, Card] = {card.key: card for card in CARDS}
CARD_OF: dict[str, str] = {qid: card.key for card in CARDS for qid in card.ids}
CARRIED_IDS: tuple[str, ...] = tuple(CARD_OF)

# Asked blank today, as the v3 questions (step 2), apart from the medicine list below.
NOW_IDS = (
    "current_skin_problems_area",
    "current_skin_problems_area_unsure",
    "skin_condition_active",
    "vitiligo_active_12m",
    "last_significant_sun",
    "pregnancy_status",
)
RETINOID_IDS = (
    "isotretinoin_ever",
    "oral_retinoid_type",
    "isotretinoin_current",
    "isotretinoin_last_dose",
)
# Reconciled through `since_last_medicines`: the stored list, then one forced question. "No"
# keeps them, confirmed today; "Yes" or "Not sure" asks them blank (the list text open to edit).
MEDICINE_LIST_IDS = (
    "medicines_any",
    "medicines_any_unsure",
    "blood_thinners",
    "immunosuppressant_meds",
    "photosensitising_meds",
    "current_medications_text",
)
# About this visit: blank and optional (`anything_else_text` under the course list on step 1,
# `questions_for_provider_text` on step 3), and a new declaration.
THIS_VISIT_IDS = ("anything_else_text", "questions_for_provider_text", "attest_accurate")
REASK_IDS: tuple[str, ...] = (*NOW_IDS, *RETINOID_IDS, *MEDICINE_LIST_IDS, *THIS_VISIT_IDS)
# Carried unshown: identity (age is recomputed) and the privacy acknowledgement (due once).
NOT_ASKED_IDS = ("date_of_birth", "privacy_notice_ack")

# The re-screen's own questions (2027.02), never carried: each re-screen asks about the session
# before it (rule 6).
COURSE_IDS = (
    "last_session_problems",
    "last_session_problems_unsure",
    "last_session_still_now",
    "last_session_seen_for_it",
    "last_session_result_view",
)
SINCE_IDS = ("since_last_treatments", "since_last_medicines")
NEW_IDS: tuple[str, ...] = (*COURSE_IDS, *SINCE_IDS)

# The items of `last_session_problems` that are problems (not "not sure", not "none").
COURSE_PROBLEM_KEYS = (
    "scar",
    "light_patches",
    "infection",
    "cold_sore",
    "slow_healing",
    "dark_patches",
    "long_redness",
    "rash_itch",
    "bumps_acne",
)

# Answers that cover the treatment areas as they were (contract: "area-scoped"): asked blank when
# `treatment_areas` gains an area or `area_near_eyes` becomes yes. The follow-ups of
# `skin_history` follow it (`plan` asks a follow-up blank whenever its parent is).
AREA_SCOPED_IDS = (*PAST_TREATMENTS.ids, "skin_history", "energy_device_safety", "recent_skin_prep")

# Keys whose meaning changed: (question id, key) -> the version as of which it means what it
# means today. An answer given before that version is not carried (rule 4).
CHANGED_MEANING: dict[tuple[str, str], str] = {
    # v2 split "nonablative_laser" (v1: any laser not ablative) from fractional ablative lasers.
    ("prior_procedures", "nonablative_laser"): "2026.12",
}

NOT_SURE_KEYS = frozenset({"unsure", "not_sure"})
CARRY_OVER_MONTHS = 12  # the contract's default (`SCREENING_CARRY_OVER_MONTHS`)


class Outcome(StrEnum):
    """What the re-screen does with one previous answer."""

    CARD = "on_card"  # shown on its card, for Still true or Change
    BLANK = "blank"  # asked blank today, as today's question
    UNSHOWN = "unshown"  # carried without being shown (date of birth, privacy acknowledgement)


class Reason(StrEnum):
    """Why a carried answer is asked blank instead."""

    MISSING = "missing"  # not answered before (a new or newly shown question)
    VERSION = "version"  # rule 4: another kind, keys added or changed meaning
    PARENT = "parent"  # its show_if parent is asked blank
    STALE = "stale"  # rule 2: answered over N months ago
    NOT_SURE = "not_sure"  # the patient may know now
    PAST_DATE = "past_date"  # rule 5: the event's date has passed
    AREAS = "areas"  # the treatment areas grew, or now include the eyes
    COURSE_PROBLEM = "course_problem"  # a re-screen since reported a problem after a session
    NOTICE_CHANGED = "notice_changed"  # the clinic's privacy notice changed since


# --- Provenance (rule 1) ---------------------------------------------------------------------

ANSWERED = "answered"  # given today, including edits after Change
CONFIRMED = "confirmed"  # carried, then confirmed (Still true, "No" to the medicines question)
CARRIED = "carried"  # carried without being shown


@dataclass(frozen=True)
class Origin:
    """Where a previous answer was last answered."""

    from_submission: str
    answered_on: date


@dataclass(frozen=True)
class CourseReport:
    """An earlier re-screen of the chain that reported problems after a session."""

    submitted_on: date
    problems: frozenset[str]


@dataclass(frozen=True)
class Previous:
    """The previous submission as the re-screen reads it."""

    reference: str
    version: str
    submitted_on: date
    answers: Mapping
    # Its provenance (question id -> {"from_submission", "answered_on", ...}); empty for a first
    # visit, whose every answer was answered on `submitted_on`.
    provenance: Mapping = field(default_factory=dict)
    # The chain's re-screens (this one and those before it) that reported a course problem.
    course_reports: tuple[CourseReport, ...] = ()
    # The clinic's privacy notice version its acknowledgement was given for ("" unversioned).
    privacy_notice_version: str = ""

    def origin(self, question_id: str) -> Origin:
        recorded = self.provenance.get(question_id) or {}
        answered_on = recorded.get("answered_on")
        return Origin(
            from_submission=recorded.get("from_submission") or self.reference,
            answered_on=date.fromisoformat(answered_on) if answered_on else self.submitted_on,
        )


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, the day clamped to the month's length (Jan 31 + 1: Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(answered_on: date, today: date, months: int = CARRY_OVER_MONTHS) -> bool:
    """Rule 2: answered over `months` months before `today` (exactly `months` is not over)."""
    return today > add_months(answered_on, months)


def is_not_sure(question_id: str, value) -> bool:
    """A "Not sure" answer: the key `unsure`, a list holding "I'm not sure about one of these",
    or a gateway's "Which ones are you not sure about?" list."""
    if question_id.endswith("_unsure"):
        return True
    if isinstance(value, list):
        return bool(NOT_SURE_KEYS & set(value))
    return value in NOT_SURE_KEYS


def all_stale(previous: Previous, *, today: date, months: int = CARRY_OVER_MONTHS) -> bool:
    """Rule 2's last sentence: every carried answer outside About you (the cards, the medicine
    list) was last answered over `months` months before `today`, so that the short re-screen
    would ask them all blank: the clinic sends the full questionnaire instead, About you filled
    in. (A previous submission with none of them carries nothing either.)"""
    ids = [
        qid
        for qid in (*CARRIED_IDS, *MEDICINE_LIST_IDS)
        if qid not in ABOUT_YOU.ids and qid in previous.answers
    ]
    return all(is_stale(previous.origin(qid).answered_on, today, months) for qid in ids)


def _version_index(version: str) -> int:
    return ORDER.index(version) if version in ORDER else -1


def compatible(question_id: str, previous_version: str, definition: Definition) -> bool:
    """Rule 4 for one id: it exists in both versions with the same kind, no keys were added to
    it since, and its keys kept their meaning. (Its parent is `plan`'s business.)"""
    try:
        before = definition_for(previous_version).questions.get(question_id)
    except LookupError:
        return False
    now = definition.questions.get(question_id)
    if before is None or now is None or before.kind != now.kind:
        return False
    if set(now.choice_keys) - set(before.choice_keys):
        return False
    for (changed_id, _key), as_of in CHANGED_MEANING.items():
        if changed_id == question_id and _version_index(previous_version) < _version_index(as_of):
            return False
    return True


def _parent_id(question) -> str | None:
    show_if = question.show_if
    if show_if is None or isinstance(show_if, OnVisit):
        return None
    return show_if.question_id


def areas_grew(carried: Mapping, today_answers: Mapping) -> bool:
    """Whether today's Goals answers add a treatment area, or the eyes, to the carried ones."""
    before = carried.get("treatment_areas") or []
    after = today_answers.get("treatment_areas", before) or []
    if set(after) - set(before):
        return True
    return today_answers.get("area_near_eyes") == "yes" and carried.get("area_near_eyes") != "yes"


@dataclass
class Plan:
    """The re-screen's decision for each previous answer of the carried group, the medicine list
    and the ids carried unshown."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    reasons: dict[str, Reason] = field(default_factory=dict)  # for each BLANK id
    carried: dict[str, object] = field(default_factory=dict)  # the values of CARD and UNSHOWN ids
    change_mode: frozenset[str] = frozenset()  # cards that open in Change mode
    # The stored medicine list is shown with `since_last_medicines` (else asked blank).
    medicines_listed: bool = False

    def on_card(self, card: Card) -> tuple[str, ...]:
        return tuple(qid for qid in card.ids if self.outcomes.get(qid) is Outcome.CARD)

    def blank_on(self, card: Card) -> tuple[str, ...]:
        return tuple(qid for qid in card.ids if self.outcomes.get(qid) is Outcome.BLANK)


def plan(
    previous: Previous,
    *,
    today: date,
    definition: Definition,
    today_answers: Mapping | None = None,
    months: int = CARRY_OVER_MONTHS,
    notice_version: str | None = None,
) -> Plan:
    """What the re-screen does with each previous answer of the carried group.

    `today_answers` are the answers given so far today (the Goals card's, the course list, the
    "since" questions): they decide the area-scoped and Change-mode exceptions. Ids are read in
    the current definition's order so that a follow-up is judged after its parent: a follow-up
    is carried only with its parent, and shown only where its `show_if` holds on the carried
    answers (a hidden follow-up is neither listed nor asked).

    `notice_version` is the clinic's privacy notice version today (None: not compared): the
    acknowledgement is carried unshown only when the previous one was given for that version,
    else it is asked again (contract section 1, "offered again only if the clinic's notice
    changed since").
    """
    today_answers = today_answers or {}
    result = Plan()
    grew = areas_grew(previous.answers, today_answers)
    reported = [report for report in previous.course_reports if report.problems]
    group = {*CARRIED_IDS, *NOT_ASKED_IDS, *MEDICINE_LIST_IDS}
    for question in definition.questions.values():
        qid = question.id
        if qid not in group:
            continue
        parent = _parent_id(question)
        if parent is not None and parent in group:
            if result.outcomes.get(parent) is Outcome.BLANK:
                _blank(result, qid, Reason.PARENT)
                continue
            if not question.is_shown(result.carried):
                continue  # a hidden follow-up: not listed, not asked
        if (
            qid not in previous.answers
            and not question.required
            and compatible(qid, previous.version, definition)
        ):
            continue  # an optional question the patient saw and left empty: nothing to carry
        reason = _blank_reason(
            qid, previous, today=today, definition=definition, months=months, grew=grew
        )
        if reason is None and qid in ("prior_treatment_problems", "cold_sores_history"):
            reason = _course_reason(qid, previous, reported)
        if reason is None and qid == "privacy_notice_ack" and notice_version is not None:
            reason = _notice_reason(previous, notice_version)
        if reason is not None:
            _blank(result, qid, reason)
            continue
        result.carried[qid] = previous.answers[qid]
        result.outcomes[qid] = Outcome.UNSHOWN if qid in NOT_ASKED_IDS else Outcome.CARD
    # The upcoming event whose date has passed: asked blank, with its date (rule 5).
    # A month and year ("2027-04") is past once its month has ended.
    event_date = result.carried.get("upcoming_event_date")
    if isinstance(event_date, str) and event_date < today.isoformat()[: len(event_date)]:
        for qid in ("upcoming_event", "upcoming_event_date"):
            result.carried.pop(qid, None)
            _blank(result, qid, Reason.PAST_DATE)
    # The list is shown whole or not at all: one part asked blank (a "Not sure" blood thinner)
    # asks the medicine questions blank, else "No" to a change would leave that part unanswered.
    result.medicines_listed = result.outcomes.get("medicines_any") is Outcome.CARD and not any(
        result.outcomes.get(qid) is Outcome.BLANK for qid in MEDICINE_LIST_IDS
    )
    # The medicine list is never on a card: shown with the medicines question, or asked blank.
    for qid in MEDICINE_LIST_IDS:
        if result.outcomes.get(qid) is Outcome.CARD and not result.medicines_listed:
            result.outcomes[qid] = Outcome.BLANK
    result.change_mode = frozenset(change_mode(today_answers))
    return result


def _blank(result: Plan, qid: str, reason: Reason) -> None:
    result.outcomes[qid] = Outcome.BLANK
    result.reasons[qid] = reason


def _blank_reason(
    qid: str, previous: Previous, *, today: date, definition: Definition, months: int, grew: bool
) -> Reason | None:
    if qid not in previous.answers:
        return Reason.MISSING
    if not compatible(qid, previous.version, definition):
        return Reason.VERSION
    question, value = definition.questions[qid], previous.answers[qid]
    if question.choices and not set(value if isinstance(value, list) else [value]) <= set(
        question.choice_keys
    ):
        return Reason.VERSION  # a key no longer offered
    exempt = qid in ABOUT_YOU.ids or qid in NOT_ASKED_IDS
    if not exempt and is_stale(previous.origin(qid).answered_on, today, months):
        return Reason.STALE
    if qid not in NOT_ASKED_IDS and is_not_sure(qid, previous.answers[qid]):
        return Reason.NOT_SURE
    if grew and qid in AREA_SCOPED_IDS:
        return Reason.AREAS
    return None


def _notice_reason(previous: Previous, notice_version: str) -> Reason | None:
    """The privacy acknowledgement is offered again when the box was left unticked (nothing was
    acknowledged) or the clinic's notice changed since it was ticked."""
    if previous.answers.get("privacy_notice_ack") != "yes":
        return Reason.MISSING
    if notice_version != previous.privacy_notice_version:
        return Reason.NOTICE_CHANGED
    return None


def _course_reason(qid: str, previous: Previous, reported) -> Reason | None:
    """`prior_treatment_problems` after any course problem, `cold_sores_history` after a cold
    sore, reported in the chain on or after the day the answer was last given."""
    answered_on = previous.origin(qid).answered_on
    for report in reported:
        if report.submitted_on < answered_on:
            continue
        if qid == "prior_treatment_problems" or "cold_sore" in report.problems:
            return Reason.COURSE_PROBLEM
    return None


def change_mode(today_answers: Mapping) -> set[str]:
    """The cards that open in Change mode: allergies after an itchy rash or a reaction to an
    aftercare product; past treatments when another treatment was had since."""
    cards = set()
    problems = set(today_answers.get("last_session_problems") or [])
    problems |= set(today_answers.get("last_session_problems_unsure") or [])
    if "rash_itch" in problems:
        cards.add(MEDICINES_ALLERGIES.key)
    if today_answers.get("since_last_treatments") in ("yes", "unsure"):
        cards.add(PAST_TREATMENTS.key)
    return cards


def course_problems(answers: Mapping) -> frozenset[str]:
    """The course problems a re-screen's answers report (ticked, or in the unsure list)."""
    picked = set(answers.get("last_session_problems") or [])
    picked |= set(answers.get("last_session_problems_unsure") or [])
    return frozenset(picked & set(COURSE_PROBLEM_KEYS))


# --- The day's result: answers and provenance ------------------------------------------------


def record(
    previous: Previous,
    carry: Plan,
    *,
    today: date,
    answered: Mapping,
    confirmed: Collection[str],
) -> tuple[dict, dict]:
    """(answers, provenance) of the new submission, before validation drops hidden ones.

    `answered` is what the patient gave today (today's questions, and the fields of every card
    they opened with Change); `confirmed` the carried ids they confirmed (Still true, or "No" to
    the medicines question). An opened card's line left as it was counts as confirmed, a changed
    one as answered. The ids carried unshown are carried.
    """
    answers: dict = {}
    provenance: dict = {}
    for qid, value in carry.carried.items():
        origin = previous.origin(qid)
        if carry.outcomes.get(qid) is Outcome.UNSHOWN:
            answers[qid] = value
            provenance[qid] = _entry(CARRIED, origin.from_submission, origin.answered_on, None)
        elif qid in confirmed and qid not in answered:
            answers[qid] = value
            provenance[qid] = _entry(CONFIRMED, origin.from_submission, origin.answered_on, today)
    for qid, value in answered.items():
        answers[qid] = value
        if carry.outcomes.get(qid) is Outcome.CARD and carry.carried.get(qid) == value:
            origin = previous.origin(qid)
            provenance[qid] = _entry(CONFIRMED, origin.from_submission, origin.answered_on, today)
        else:  # from_submission: the new submission's reference, filled in when it is saved
            provenance[qid] = _entry(ANSWERED, None, today, None)
    return answers, provenance


def _entry(kind: str, reference: str | None, answered_on: date, confirmed_on: date | None) -> dict:
    return {
        "provenance": kind,
        "from_submission": reference,
        "answered_on": answered_on.isoformat(),
        "confirmed_on": confirmed_on.isoformat() if confirmed_on else None,
    }


# Headings of the cards on the patient's pages (the v3 section titles head the others).
GOALS_TITLE = _("Your goals (from %(form_date)s)")
