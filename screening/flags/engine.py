"""The engine: applies the catalogue to one answer set and returns the raised flags.

Pure: it reads a dict of stored answers (in the format of their questionnaire version) and the
submission date, and returns the flags. It touches no database and no request; Django settings are
read only through `current_policy()` and for the clinic's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from screening.flags.base import NO_ANSWER, Hit, Severity
from screening.flags.catalogue import _MODALITY_RULES, _SUBMISSION_RULES, Rule
from screening.flags.conditions import ANSWER_IS, Context
from screening.flags.derivation import derived_answers, quotes, reads_gateways, rules_view
from screening.flags.policy import Policy, _rules_version, current_policy
from screening.flags.return_visit import (
    added_sentences,
    carried_modality_note,
    change_note,
    lifetime_answers,
    removed_note,
)
from screening.questionnaire import (
    CURRENT_VERSION,
    Kind,
    Question,
    UnknownVersion,
    definition_for,
)
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.visit import SERIES_SESSION, Visit


@dataclass(frozen=True, slots=True)
class RaisedFlag:
    """A flag raised for one submission, with everything a provider needs to see it."""

    code: str
    severity: Severity
    reason: str
    sources: tuple[str, ...]
    questions: dict[str, str]  # question id -> the answer as the patient saw it
    rules_version: str
    # On a return visit: "New since {form_date} (was: …)" when an answer the flag quotes
    # changed, or "Removed on …; was yes on …" for a lifetime yes the rules kept (flags/return_visit.py).
    change_note: str = ""

    def as_json(self) -> dict:
        """A JSON-ready dict, for storing with the submission."""
        stored = {
            "code": self.code,
            "severity": self.severity.value,
            "reason": self.reason,
            "sources": list(self.sources),
            "questions": dict(self.questions),
            "rules_version": self.rules_version,
        }
        if self.change_note:
            stored["change_note"] = self.change_note
        return stored


# The frozen dataclass's __init__ sets each field through object.__setattr__, which costs about
# three times as much as the slot descriptors themselves; the worst-case benchmark builds ~47
# flags per evaluation, so the engine's loop sets the slots itself. The result is the same object.
_new_flag = object.__new__
_SET_FLAG_FIELDS = tuple(
    getattr(RaisedFlag, name).__set__
    for name in (
        "code",
        "severity",
        "reason",
        "sources",
        "questions",
        "rules_version",
        "change_note",
    )
)


# Displayed choice and month answers: rendering a lazy translation is the slowest part of
# building a flag, and a version's labels never change while the process runs. Free text and
# dates are never cached (they are patient data, and unbounded); the size cap only guards against
# malformed input. One dict per (language, questionnaire version, question): value -> text.
_display_cache: dict[tuple[str | None, str], dict[str, dict]] = {}
_DISPLAY_CACHE_LIMIT = 50_000
_display_cache_size = 0


def provider_language() -> str:
    """The clinic's language: flags are provider data, shown in it whatever the patient spoke."""
    return settings.LANGUAGE_CODE


def displayed_answer(question: Question | None, value) -> str:
    """The answer as the patient saw it (choice labels, "March 2025"), in the current language.

    The one answer formatter is `answer_types.display_answer`; this adds "(no answer)" for a
    question that should have been answered, and the cache.
    """
    if question is None:
        return _displayed(None, value, None)
    return _displayed(question, value, _display_tables(get_language(), question.version))


def _display_tables(language: str | None, version: str) -> dict[str, dict]:
    """The per-question caches of one language and version: {question id: {value: text}},
    for the questions whose displayed answer is a label (choices, months) only."""
    tables = _display_cache.get((language, version))
    if tables is None:
        tables = _display_cache[(language, version)] = {
            question.id: {}
            for question in definition_for(version).questions.values()
            if question.choices or question.kind is Kind.MONTH_YEAR
        }
    return tables


def _displayed(question: Question | None, value, tables: dict[str, dict] | None) -> str:
    global _display_cache_size
    if value is None or value == "" or value == []:
        return NO_ANSWER
    if question is None:
        return str(value)
    cache = tables.get(question.id) if tables is not None else None
    if cache is None:
        return display_answer(question, value)  # text and dates: patient data, never cached
    key = tuple(value) if isinstance(value, list) else value
    try:
        text = cache.get(key)
    except TypeError:  # a malformed, unhashable answer
        return display_answer(question, value)
    if text is None:
        text = display_answer(question, value)
        if _display_cache_size < _DISPLAY_CACHE_LIMIT:
            cache[key] = text
            _display_cache_size += 1
    return text


def _shown_answers(
    hits: list[tuple[int, Hit]],
    answers: Mapping,
    questions: Mapping[str, Question],
    tables: dict,
    language: str,
) -> dict[str, str]:
    """Every answer the raised flags quote, rendered once for the evaluation (several flags
    often quote the same answer), so that each flag's answers are plain dict lookups.

    Most quoted answers are choices already rendered in this process, or unanswered: those are
    read from the cache without asking which language is active (asgiref's Local makes that
    cost more than the lookups). Only the others (dates, free text, a first rendering) are
    rendered, in the clinic's language `language`, which the cache's tables are keyed by.
    """
    shown: dict[str, str] = {}
    missed: list[str] = []
    get = answers.get
    for _position, (question_ids, _notes) in hits:
        for question_id in question_ids:
            if question_id in shown:
                continue
            value = get(question_id)
            if value is None or value == "" or value == []:  # as _displayed, for any question
                shown[question_id] = NO_ANSWER
                continue
            cache = tables.get(question_id)
            if cache is not None:
                if value.__class__ is str:
                    text = cache.get(value)
                elif value.__class__ is list:
                    try:
                        text = cache.get(tuple(value))
                    except TypeError:  # a malformed, unhashable item
                        text = None
                else:
                    text = None
                if text is not None:
                    shown[question_id] = text
                    continue
            shown[question_id] = ""  # a place holder, so that the id is rendered once
            missed.append(question_id)
    if missed:
        if get_language() == language:
            _render_into(shown, missed, answers, questions, tables)
        else:
            with translation.override(language):
                _render_into(shown, missed, answers, questions, tables)
    return shown


def _render_into(shown: dict, question_ids: list[str], answers, questions, tables) -> None:
    get = answers.get
    for question_id in question_ids:
        shown[question_id] = _displayed(questions.get(question_id), get(question_id), tables)


class _Plan:
    """The rules of one evaluation, arranged so that most of them cost a dict lookup.

    Most of the catalogue's rules are a single `answer_is` or `has_any` (their condition carries
    a `Lookup`), or `any_of` such parts (`lookups`). Instead of calling them, the engine reads
    each answer they test once and looks it up in a table of answer -> the rules (or parts of
    rules) it raises. The other rules are called. Either way a rule raises exactly when its
    condition would, with the same hit; the flags come out in the order of `rules`.
    """

    __slots__ = ("by_pick", "by_value", "called", "fixed", "part_ids", "rules")

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        # What every flag of a rule carries, whatever the answers, in one tuple per position.
        self.fixed = tuple((rule.code, rule.severity, rule.reason, rule.sources) for rule in rules)
        by_value: dict[str, dict[str, list]] = {}
        by_pick: dict[str, dict[str, list]] = {}
        called = []
        part_ids = {}  # position -> the question id of each part of an any_of rule

        def add(lookup, entry):
            tables = by_value if lookup.kind == ANSWER_IS else by_pick
            table = tables.setdefault(lookup.question_id, {})
            for key in lookup.keys:
                table.setdefault(key, []).append(entry)

        for position, rule in enumerate(rules):
            condition = rule.condition
            lookup = getattr(condition, "lookup", None)
            lookups = getattr(condition, "lookups", None)
            if lookup is not None:
                add(lookup, (position, -1, lookup.hit))
            elif lookups is not None:
                part_ids[position] = tuple(part.question_id for part in lookups)
                for part, part_lookup in enumerate(lookups):
                    add(part_lookup, (position, part, None))
            else:
                # A condition that holds only when one of a few answers is given (the course of
                # the last treatment, asked on a return visit only) is skipped, with the others
                # that need the same answers, when none is: one test instead of a call each.
                called.append((position, condition, getattr(condition, "needs_one_of", None)))

        def freeze(tables):
            return tuple(
                (question_id, {key: tuple(entries) for key, entries in table.items()})
                for question_id, table in tables.items()
            )

        self.by_value = freeze(by_value)
        self.by_pick = freeze(by_pick)
        self.called = tuple(called)
        self.part_ids = part_ids

    def hits(self, ctx: Context) -> list[tuple[int, Hit]]:
        """(position in `rules`, hit) of every rule raised, in the order of `rules`."""
        get = ctx.answers.get
        raised: dict[int, Hit] = {}
        parts: dict[int, set[int]] = {}  # any_of rules: position -> the parts that hold
        try:
            # Answers to these questions are strings (or absent): the lookup needs no type test.
            # A non-string answer never matches a key (keys are strings); an unhashable one
            # (a malformed list) raises TypeError, and the tested loop below starts again.
            for question_id, table in self.by_value:
                entries = table.get(get(question_id))
                if entries is not None:
                    for position, part, hit in entries:
                        if part < 0:
                            raised[position] = hit
                        else:
                            parts.setdefault(position, set()).add(part)
        except TypeError:
            raised.clear()
            parts.clear()
            for question_id, table in self.by_value:
                value = get(question_id)
                if isinstance(value, str):
                    for position, part, hit in table.get(value, ()):
                        if part < 0:
                            raised[position] = hit
                        else:
                            parts.setdefault(position, set()).add(part)
        for question_id, table in self.by_pick:
            picked = get(question_id)
            if isinstance(picked, list | tuple):
                for key in picked:
                    if isinstance(key, str):
                        for position, part, hit in table.get(key, ()):
                            if part < 0:
                                raised[position] = hit
                            else:
                                parts.setdefault(position, set()).add(part)
        for position, held in parts.items():
            ids = self.part_ids[position]
            raised[position] = (tuple(dict.fromkeys(ids[part] for part in sorted(held))), ())
        given: dict[tuple[str, ...], bool] = {}
        for position, condition, needs in self.called:
            if needs is not None:
                present = given.get(needs)
                if present is None:
                    present = given[needs] = any(get(qid) is not None for qid in needs)
                if not present:
                    continue
            hit = condition(ctx)
            if hit is not None:
                raised[position] = hit
        return sorted(raised.items())


_plans: dict[int, _Plan] = {}


def _plan_for(rules: tuple[Rule, ...]) -> _Plan:
    # Keyed by identity: hashing a tuple of rules hashes every field of every rule. `rules` is
    # one of a handful of long-lived tuples (the submission rules, a modality's rules); the plan
    # holds its tuple, so an id is never reused while its entry exists.
    plan = _plans.get(id(rules))
    if plan is None or plan.rules is not rules:
        plan = _plans[id(rules)] = _Plan(rules)
    return plan


@lru_cache(maxsize=512)
def _with_windows(reason: str, policy: Policy) -> str:
    """A reason that names a ⚙ window, with the clinic's value of it (never the default's)."""
    return reason.format(policy=policy)


def _evaluate(
    rules: tuple[Rule, ...],
    answers: Mapping,
    today: date,
    policy: Policy | None,
    questionnaire_version: str,
    language: str,
    provider_skin_type: str = "",
) -> list[RaisedFlag]:
    if policy is None:
        policy = current_policy()
    definition = definition_for(questionnaire_version)
    if reads_gateways(definition.version):
        return _evaluate_gateways(
            rules, answers, today, policy, definition, language, provider_skin_type
        )
    ctx = Context(answers, today, policy, definition, provider_skin_type)
    version = _rules_version(policy)
    plan = _plan_for(rules)
    hits = plan.hits(ctx)
    fixed = plan.fixed
    displayed = _shown_answers(
        hits,
        answers,
        definition.questions,
        _display_tables(language, definition.version),
        language,
    )
    (
        set_code,
        set_severity,
        set_reason,
        set_sources,
        set_questions,
        set_version,
        set_change_note,
    ) = _SET_FLAG_FIELDS
    raised = []
    for position, (question_ids, notes) in hits:
        code, severity, reason, sources = fixed[position]
        if "{" in reason:
            reason = _with_windows(reason, policy)
        if notes:
            if len(notes) == 1:
                reason = f"{reason} {notes[0]}"
            else:
                reason = " ".join((reason, *dict.fromkeys(notes)))
        if len(question_ids) == 1:  # most flags quote one answer: no comprehension's frame
            question_id = question_ids[0]
            shown = {question_id: displayed[question_id]}
        else:
            shown = {qid: displayed[qid] for qid in question_ids}
        flag = _new_flag(RaisedFlag)
        set_code(flag, code)
        set_severity(flag, severity)
        set_reason(flag, reason)
        set_sources(flag, sources)
        set_questions(flag, shown)
        set_version(flag, version)
        set_change_note(flag, "")
        raised.append(flag)
    return raised


def _evaluate_gateways(
    rules, answers, today, policy, definition, language, provider_skin_type
) -> list[RaisedFlag]:
    """For answers of 2027.01 and later: the rules read the inputs derived from the gateways
    (`derivation`), and each flag quotes the questions and items the patient answered."""
    ctx = Context(
        derived_answers(answers, definition.version),
        today,
        policy,
        rules_view(definition),
        provider_skin_type,
    )
    version = _rules_version(policy)
    plan = _plan_for(rules)
    raised = []
    # The quotes are provider data, in the clinic's language; switching costs, so only when the
    # request speaks another.
    switch = translation.override(language) if get_language() != language else nullcontext()
    with switch:
        for position, (question_ids, notes) in plan.hits(ctx):
            code, severity, reason, sources = plan.fixed[position]
            if "{" in reason:
                reason = _with_windows(reason, policy)
            if notes:
                reason = " ".join((reason, *dict.fromkeys(notes)))
            raised.append(
                RaisedFlag(
                    code=code,
                    severity=severity,
                    reason=reason,
                    sources=sources,
                    questions=quotes(question_ids, answers, definition, language),
                    rules_version=version,
                )
            )
    return raised


def _evaluate_for_provider(
    rules: tuple[Rule, ...],
    answers: Mapping,
    today: date,
    policy: Policy | None,
    questionnaire_version: str,
    provider_skin_type: str = "",
) -> list[RaisedFlag]:
    # The patient's request may run in Spanish; the answers quoted in a flag are provider data,
    # rendered in the clinic's language (`_shown_answers` switches to it when it must render).
    # Nothing else in an evaluation is translated: reasons and notes are English text.
    return _evaluate(
        rules,
        answers,
        today,
        policy,
        questionnaire_version,
        provider_language(),
        provider_skin_type,
    )


def flags_for(
    answers: Mapping,
    today: date,
    policy: Policy | None = None,
    *,
    questionnaire_version: str = CURRENT_VERSION,
    visit: Visit | None = None,
) -> list[RaisedFlag]:
    """Every flag the answers raise on the submission date `today`, most severe first.

    Pure: reads `answers` (stored format of `questionnaire_version`, hidden questions absent)
    and never changes them. `policy` defaults to `current_policy()`. Rules that need the
    provider's modality (HSV_PROPHYLAXIS_POLICY) are never raised here: see
    `modality_flags_for`. The answers quoted in the flags are in the clinic's language.
    `visit` is a re-screen's context (screening.questionnaire.visit), None on a first visit:
    with it, the rules read a lifetime yes removed today as the earlier yes, the course flags
    quote the clinic's treatment date and modality, a series session's modality flags are raised
    now with the carried decision, and a flag whose answer changed since the previous form says
    so (`RaisedFlag.change_note`; flags/return_visit.py).
    """
    if visit is not None:
        return _evaluate_visit(
            _SUBMISSION_RULES, answers, today, policy, questionnaire_version, visit, carried=True
        )
    return _evaluate_for_provider(_SUBMISSION_RULES, answers, today, policy, questionnaire_version)


def modality_flags_for(
    answers: Mapping,
    modality: str,
    today: date,
    policy: Policy | None = None,
    *,
    questionnaire_version: str = CURRENT_VERSION,
    provider_skin_type: str = "",
    visit: Visit | None = None,
) -> list[RaisedFlag]:
    """The flags that depend on the modality a provider has recorded on the review screen.

    HSV_PROPHYLAXIS_POLICY is raised when `modality` is ablative or fractional_ablative and the
    patient reports no cold sores ever; ISO_FULLY_ABLATIVE and PHOTOTYPE_IV_VI_ABLATIVE when it
    is fully ablative (`provider_skin_type`, the provider's Fitzpatrick assessment if recorded,
    overrides the self-report). Returns [] for modalities no rule reads.
    """
    rules = _RULES_BY_MODALITY.get(modality, ())
    if not rules:
        return []
    if visit is not None:
        return _evaluate_visit(
            rules,
            answers,
            today,
            policy,
            questionnaire_version,
            visit,
            provider_skin_type=provider_skin_type,
        )
    return _evaluate_for_provider(
        rules, answers, today, policy, questionnaire_version, provider_skin_type
    )


# One tuple per modality for the life of the process (the engine's plans are keyed by it).
_RULES_BY_MODALITY: dict[str, tuple[Rule, ...]] = {
    modality: tuple(rule for rule in _MODALITY_RULES if modality in rule.modalities)
    for modality in sorted({modality for rule in _MODALITY_RULES for modality in rule.modalities})
}


# --- Return visits ----------------------------------------------------------------------------


def _hits(rules, answers, today, policy, definition, visit, provider_skin_type=""):
    """(rule, the rules' inputs it quotes, its notes) of every rule the answers raise."""
    ctx = Context(
        derived_answers(answers, definition.version),
        today,
        policy,
        rules_view(definition),
        provider_skin_type,
        visit,
    )
    plan = _plan_for(rules)
    return [(plan.rules[position], ids, notes) for position, (ids, notes) in plan.hits(ctx)]


def _evaluate_visit(
    rules: tuple[Rule, ...],
    answers: Mapping,
    today: date,
    policy: Policy | None,
    questionnaire_version: str,
    visit: Visit,
    *,
    provider_skin_type: str = "",
    carried: bool = False,
) -> list[RaisedFlag]:
    """The flags of a re-screen: `rules` on today's answers as the rules read them on a return
    visit (a lifetime yes kept), plus, when `carried` and the visit is a series session with a
    carried decision, that decision's modality flags; each with its change note.

    Not on the engine's fast path: a re-screen also evaluates the previous form's answers, to
    quote what they said for the same rule inputs and to know which flags are new."""
    if policy is None:
        policy = current_policy()
    language = provider_language()
    definition = definition_for(questionnaire_version)
    try:
        previous = definition_for(visit.previous_version)
    except UnknownVersion:
        previous = None
    read, kept = lifetime_answers(answers, visit, definition, previous)
    found = _hits(rules, read, today, policy, definition, visit, provider_skin_type)
    before = []
    if previous is not None:
        before = _hits(
            rules,
            visit.previous_answers,
            visit.form_date,
            policy,
            previous,
            None,
            provider_skin_type,
        )
    modality_rules = _RULES_BY_MODALITY.get(visit.carried_modality, ()) if carried else ()
    if visit.visit_type == SERIES_SESSION and modality_rules:
        note = carried_modality_note(visit)
        skin_type = visit.carried_provider_skin_type
        found += [
            (rule, ids, (*notes, note))
            for rule, ids, notes in _hits(
                modality_rules, read, today, policy, definition, visit, skin_type
            )
        ]
        if previous is not None:
            before += _hits(
                modality_rules,
                visit.previous_answers,
                visit.form_date,
                policy,
                previous,
                None,
                skin_type,
            )
    raised_before = frozenset(rule.code for rule, _ids, _notes in before)
    version = _rules_version(policy)
    raised = []
    with translation.override(language):
        for rule, ids, notes in found:
            shown = quotes(ids, read, definition, language)
            reason = _with_windows(rule.reason, policy) if "{" in rule.reason else rule.reason
            extra = (*notes, *added_sentences(rule.code, ids, raised_before, visit))
            if extra:
                reason = " ".join((reason, *dict.fromkeys(extra)))
            was = {}
            if previous is not None:
                was = quotes(ids, visit.previous_answers, previous, language)
                was = {qid: text for qid, text in was.items() if qid in previous.questions}
            notes_on_change = (
                removed_note(shown, kept, definition, today, visit),
                change_note(
                    {
                        qid: text
                        for qid, text in shown.items()
                        if previous is None or qid in previous.questions
                    },
                    was,
                    definition,
                    visit,
                    skip=kept,
                ),
            )
            raised.append(
                RaisedFlag(
                    code=rule.code,
                    severity=rule.severity,
                    reason=reason,
                    sources=rule.sources,
                    questions=shown,
                    rules_version=version,
                    change_note=" ".join(note for note in notes_on_change if note),
                )
            )
    # Most severe first, as on a first visit (a stable sort: catalogue order within a severity).
    raised.sort(key=lambda flag: -flag.severity.rank)
    return raised
