"""From a 2027.01 answer set to the inputs the rules read, and back to what the patient saw.

Version 2027.01 asks most yes/no safety questions of v2 as items of "Do any of these apply?"
lists (gateways). The rules were written for v2's ids, so for answers of 2027.01 and later the
engine first derives those ids here; it never stores them (the stored answers are what the
patient answered). A gateway reads: an item ticked is "yes", an item in `<gateway>_unsure` (and
not ticked) is "unsure", any other item of an answered gateway is "no"; an unanswered gateway
derives nothing, because missing never counts as "no".

The other way: a flag raised on derived inputs quotes the 2027.01 question and the item the
patient ticked (`quotes`), never the derived value, so that a provider can check the flag
against exactly what the patient read.

Answers of versions before 2027.01 pass through untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import get_language

from screening.flags.base import NO_ANSWER
from screening.questionnaire import DEFINITIONS, Definition, Question
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.versions import ORDER

GATEWAY_VERSION = "2027.01"
# The version whose ids the derivation produces (the last one that asked them one by one).
DERIVED_FROM_VERSION = "2026.12"
NOT_SURE = "not_sure"
NONE = "none"


def unsure_id(gateway_id: str) -> str:
    return f"{gateway_id}_unsure"


def reads_gateways(version: str) -> bool:
    """Answers of this version are read through the derivation (2027.01 and later)."""
    try:
        return ORDER.index(version) >= ORDER.index(GATEWAY_VERSION)
    except ValueError:
        return False


@dataclass(frozen=True)
class FromItems:
    """A retired yes/no id, now one or more items of a gateway.

    `yes_no` ids had no "not sure" answer: an item marked unsure derives no value (the roll-up
    then counts the question as asked and unanswered, and no yes-only rule fires).
    """

    gateway: str
    items: tuple[str, ...]
    yes_no: bool = False
    has_unsure_list: bool = True


@dataclass(frozen=True)
class NotShown:
    """A kept question that became a gateway item's follow-up: what the rules read when it was
    not asked. `unsure` is the value for an item marked unsure (None: no value derived)."""

    gateway: str
    item: str
    none: object
    unsure: object


_SKIN_NOW = "current_skin_problems_area"
_PREP = "recent_skin_prep"
_MEDICINES = "medicines_any"
_ALLERGIES = "allergies_list"
_SKIN_HISTORY = "skin_history"
_HEALTH = "health_conditions"
_ALLERGY_ITEMS = ("numbing", "antiviral", "antibiotic", "wound_ointment", "other")

# Retired ids -> the gateway items they are read from.
FROM_ITEMS: dict[str, FromItems] = {
    "current_tan_or_burn": FromItems(_SKIN_NOW, ("tan_now", "sunburn")),
    "cold_sore_now": FromItems(_SKIN_NOW, ("cold_sore",), yes_no=True),
    "changing_spot": FromItems(_SKIN_NOW, ("changing_spot",)),
    "self_tanner_recent": FromItems(_PREP, ("self_tanner",), yes_no=True, has_unsure_list=False),
    "hair_removal_recent": FromItems(_PREP, ("hair_removal",), yes_no=True, has_unsure_list=False),
    "topical_retinoid_acid_current": FromItems(_MEDICINES, ("topical_retinoid_acid",)),
    "gold_therapy_ever": FromItems(_MEDICINES, ("gold",)),
    "antiviral_current": FromItems(_MEDICINES, ("antiviral",), yes_no=True),
    "bleeding_supplements": FromItems(_MEDICINES, ("supplements",), yes_no=True),
    "allergies_any": FromItems(_ALLERGIES, _ALLERGY_ITEMS, yes_no=True),
    "allergy_local_anaesthetic": FromItems(_ALLERGIES, ("numbing",)),
    "allergy_antiviral": FromItems(_ALLERGIES, ("antiviral",)),
    "allergy_antibiotic": FromItems(_ALLERGIES, ("antibiotic",)),
    "allergy_aftercare": FromItems(_ALLERGIES, ("wound_ointment",)),
    "keloid_history": FromItems(_SKIN_HISTORY, ("keloid",)),
    "slow_healing": FromItems(_SKIN_HISTORY, ("slow_healing",)),
    "dark_marks_after_injury": FromItems(_SKIN_HISTORY, ("dark_marks",)),
    "recurrent_skin_infection": FromItems(_SKIN_HISTORY, ("recurrent_infection",)),
    "shingles_area": FromItems(_SKIN_HISTORY, ("shingles",)),
    "skin_cancer_history": FromItems(_SKIN_HISTORY, ("skin_cancer",)),
    "radiation_to_area": FromItems(_SKIN_HISTORY, ("radiation",)),
    "bleeding_disorder": FromItems(_HEALTH, ("bleeding_dx", "easy_bruising")),
    "immune_conditions": FromItems(_HEALTH, ("weak_immune",)),
    "heart_lung_conditions": FromItems(_HEALTH, ("heart_lung",)),
}

# Kept ids asked only after a gateway item -> what the rules read when they were not asked.
NOT_SHOWN: dict[str, NotShown] = {
    "blood_thinners": NotShown(_MEDICINES, "blood_thinner", ["none"], ["unsure"]),
    "immunosuppressant_meds": NotShown(_MEDICINES, "immune_medicine", ["none"], ["unsure"]),
    "photosensitising_meds": NotShown(_MEDICINES, "sun_sensitising", ["none"], ["other_unsure"]),
    "skin_conditions": NotShown(_SKIN_HISTORY, "skin_condition", ["none"], ["none"]),
    "autoimmune_conditions": NotShown(_HEALTH, "autoimmune", ["none"], None),
    "diabetes": NotShown(_HEALTH, "diabetes", "no", None),
    "energy_device_safety": NotShown(_HEALTH, "implant_or_seizures", ["none"], ["unsure"]),
}
# Light patches after a treatment: a skin_conditions key in v2, a skin-history item in v3.
LIGHT_PATCHES = "light_patches"


def _copy(value):
    return list(value) if isinstance(value, list) else value


def _listed(value) -> list:
    return value if isinstance(value, list) else []


def _gateway_state(answers: Mapping, gateway: str) -> tuple[bool, set, set]:
    """(answered, ticked items, items marked unsure but not ticked)."""
    value = answers.get(gateway)
    if not isinstance(value, list) or not value:
        return False, set(), set()
    ticked = {key for key in value if isinstance(key, str)}
    unsure = {key for key in _listed(answers.get(unsure_id(gateway))) if isinstance(key, str)}
    return True, ticked, unsure - ticked


# Each retired id with its items as a set, grouped by gateway: every gateway is read once.
_BY_GATEWAY: dict[str, list[tuple[str, frozenset, bool]]] = {}
for _question_id, _source in FROM_ITEMS.items():
    _BY_GATEWAY.setdefault(_source.gateway, []).append(
        (_question_id, frozenset(_source.items), _source.yes_no)
    )
_GATEWAYS_READ = tuple({*_BY_GATEWAY, *(source.gateway for source in NOT_SHOWN.values())})


def derived_answers(answers: Mapping, version: str) -> Mapping:
    """The answers the rules read: for 2027.01 and later, the stored answers plus the v2 ids
    derived from the gateways; earlier versions' answers unchanged (the same object)."""
    if not reads_gateways(version) or not isinstance(answers, Mapping):
        return answers
    derived = dict(answers)
    states = {gateway: _gateway_state(answers, gateway) for gateway in _GATEWAYS_READ}
    for gateway, sources in _BY_GATEWAY.items():
        answered, ticked, unsure = states[gateway]
        if not answered:
            continue  # missing is never "no"
        for question_id, items, yes_no in sources:
            if not items.isdisjoint(ticked):
                derived[question_id] = "yes"
            elif not items.isdisjoint(unsure):
                if not yes_no:
                    derived[question_id] = "unsure"
                # a yes/no id has no "unsure": no value (asked, unanswered)
            else:
                derived[question_id] = "no"
    for question_id, source in NOT_SHOWN.items():
        if question_id in answers:
            continue
        answered, ticked, unsure = states[source.gateway]
        if not answered or source.item in ticked:
            continue  # asked and left empty, or the gateway unanswered: nothing to read
        if source.item in unsure:
            if source.unsure is not None:
                derived[question_id] = _copy(source.unsure)
        else:
            derived[question_id] = _copy(source.none)
    answered, ticked, unsure = states[_SKIN_HISTORY]
    if answered:
        conditions = derived.get("skin_conditions")
        if LIGHT_PATCHES in ticked:
            kept = [key for key in _listed(conditions) if key not in (NONE, LIGHT_PATCHES)]
            derived["skin_conditions"] = [*kept, LIGHT_PATCHES]
        elif LIGHT_PATCHES in unsure and "skin_conditions" not in answers:
            derived.pop("skin_conditions", None)  # no value: the roll-up asks
    return derived


@dataclass(frozen=True)
class RulesView:
    """What a rule's context needs of a questionnaire: its questions (for "was it asked?") and
    its version. For 2027.01 and later, the derived v2 ids are asked as v2 asked them (always,
    or after v2's own parent), so that a derived "no value" counts as asked and unanswered."""

    version: str
    questions: Mapping[str, Question]


_views: dict[str, RulesView] = {}


def rules_view(definition: Definition) -> Definition | RulesView:
    if not reads_gateways(definition.version):
        return definition
    view = _views.get(definition.version)
    if view is None:
        view = _views[definition.version] = RulesView(
            definition.version,
            {**definition.questions, **DEFINITIONS[DERIVED_FROM_VERSION].questions},
        )
    return view


# --- Quoting: what the patient saw --------------------------------------------------------


def _item_sources(answers: Mapping, gateway: str, items: Iterable[str], has_unsure_list=True):
    """The (question id, item keys or None for the whole answer) a derived value came from."""
    _answered, ticked, unsure = _gateway_state(answers, gateway)
    items = tuple(items)
    hit = [key for key in items if key in ticked]
    if hit:
        return [(gateway, hit)]
    doubtful = [key for key in items if key in unsure]
    if doubtful and has_unsure_list:
        return [(unsure_id(gateway), doubtful)]
    return [(gateway, None)]


# A rule's input naming one item of a multi-choice answer ("last_session_problems=scar"): the
# flag quotes that item only, not everything the patient ticked.
ITEM_OF = "="


def item_input(question_id: str, item: str) -> str:
    """The input a condition returns to quote only `item` of the multi-choice `question_id`."""
    return f"{question_id}{ITEM_OF}{item}"


def sources_of(question_id: str, answers: Mapping) -> list[tuple[str, list | None]]:
    """Where the rules' input `question_id` came from in a 2027.01 answer set: the questions
    the patient answered, each with the items to quote (None: the whole answer)."""
    if ITEM_OF in question_id:  # one item of a multi-choice answer (`item_input`)
        gateway, item = question_id.split(ITEM_OF, 1)
        return [(gateway, [item])]
    source = FROM_ITEMS.get(question_id)
    if source is not None:
        return _item_sources(answers, source.gateway, source.items, source.has_unsure_list)
    if question_id == "skin_conditions":
        found = []
        if "skin_conditions" in answers:
            found.append(("skin_conditions", None))
        _answered, ticked, _unsure = _gateway_state(answers, _SKIN_HISTORY)
        if LIGHT_PATCHES in ticked:
            found.append((_SKIN_HISTORY, [LIGHT_PATCHES]))
        if found:
            return found
    shown = NOT_SHOWN.get(question_id)
    if shown is not None and question_id not in answers:
        return _item_sources(answers, shown.gateway, (shown.item,))
    return [(question_id, None)]


# Rendered quotes of choice answers, by (language, version, question id, keys): a version's
# labels never change while the process runs; no free text or date is ever cached.
_quote_cache: dict[tuple, str] = {}
_QUOTE_CACHE_LIMIT = 20_000


def quotes(
    question_ids: Iterable[str], answers: Mapping, definition: Definition, language=None
) -> dict[str, str]:
    """{question id of `definition`: the answer as the patient saw it} for the rules' inputs
    `question_ids`: a gateway item quotes the gateway (or its "not sure" list) and the items
    ticked, never a derived value. Renders in the active language (`language`, when the caller
    knows it already)."""
    wanted: dict[str, list | None] = {}
    for question_id in question_ids:
        for source_id, items in sources_of(question_id, answers):
            if source_id in wanted and wanted[source_id] is None:
                continue
            if items is None:
                wanted[source_id] = None
            else:
                wanted[source_id] = [*(wanted.get(source_id) or []), *items]
    shown = {}
    language = language or get_language()
    for source_id, items in wanted.items():
        question = definition.questions.get(source_id)
        value = answers.get(source_id)
        if value is None or value == "" or value == []:
            shown[source_id] = NO_ANSWER
            continue
        if question is None:
            shown[source_id] = str(value)
            continue
        if items is not None:
            value = [key for key in question.choice_keys if key in items]
        if not question.choices:
            shown[source_id] = display_answer(question, value)  # patient data: never cached
            continue
        try:
            key = (
                language,
                definition.version,
                source_id,
                tuple(value) if isinstance(value, list) else value,
            )
            text = _quote_cache.get(key)
        except TypeError:  # a malformed, unhashable answer
            key, text = None, None
        if text is None:
            text = display_answer(question, value)
            if key is not None and len(_quote_cache) < _QUOTE_CACHE_LIMIT:
                _quote_cache[key] = text
        shown[source_id] = text
    return shown


def questions_behind(question_id: str) -> tuple[str, ...]:
    """The 2027.01 questions a rules' input is read from: a retired id's gateway and its "not
    sure" list; a kept follow-up itself, its gateway and that list; any other id itself. (For
    the data dictionary: which questions each rule reads on 2027.01.)"""
    source = FROM_ITEMS.get(question_id)
    if source is not None:
        lists = (unsure_id(source.gateway),) if source.has_unsure_list else ()
        return (source.gateway, *lists)
    shown = NOT_SHOWN.get(question_id)
    if shown is not None:
        return (question_id, shown.gateway, unsure_id(shown.gateway))
    return (question_id,)
