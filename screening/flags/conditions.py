"""Condition builders: small pure functions over the answers, combined by the catalogue.

Each builder returns a condition: a function of the evaluation context (`Context`) that returns
None (not raised) or a hit. Hits of single answers are built once, so evaluating allocates almost
nothing.

Each condition also says what it reads, for the data dictionary and the tests (never for
evaluating): `reads`, the questions whose answers it looks at (`Read`), and `windows`, the ⚙
Policy fields it measures dates with. A combining builder carries those of its parts; read them
with `question_ids_read` and `windows_used`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from screening.flags.base import MONTH_ANCHOR_DAY, NEAR_BOUNDARY_DAYS, Condition, Hit
from screening.flags.derivation import item_input
from screening.flags.policy import policy_fields_in
from screening.questionnaire import DEFINITIONS, UNKNOWN, Definition, prior_procedure_last_id
from screening.questionnaire.model import AnswerIs, Picked
from screening.questionnaire.versions import ORDER

UNKNOWN_DATE_LABEL = "I don't remember"
# English on purpose: provider-facing text is English, whatever the patient's language.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _parse_month_year(value) -> tuple[int, int] | None:
    """(year, month) from "YYYY-MM"; None for "unknown", missing or malformed answers."""
    if type(value) is not str or len(value) != 7 or value[4] != "-":
        return None
    try:
        year, month = int(value[:4]), int(value[5:])
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and year >= 1 else None


def _parse_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if type(value) is str else None
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    """Calendar month arithmetic; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    if day.day <= 28:  # every month has it (and monthrange is the slow part)
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_text(value) -> str:
    """ "March 2025" for "2025-03"; "I don't remember" for "unknown"."""
    if value == UNKNOWN:
        return UNKNOWN_DATE_LABEL
    parsed = _parse_month_year(value)
    return f"{_MONTH_NAMES[parsed[1] - 1]} {parsed[0]}" if parsed else str(value)


_MISSING = object()

# The Section D procedures (multi choice): the `prior_treatment_*` conditions read it first.
PRIOR_PROCEDURES = "prior_procedures"


_NONE: frozenset[str] = frozenset()


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


# The window boundaries of a (policy, submission date): every evaluation of the same day needs
# the same few dates, and computing them was a large part of a date rule's cost. Keyed by the
# policy object's id (the entry holds the policy, so the id cannot be reused while it exists)
# and the date; no answer is part of the key or the value. Small: a server sees one date a day.
_BOUNDARY_CACHE: dict[tuple[int, date], tuple[object, dict[tuple[str, bool], date]]] = {}
_BOUNDARY_CACHE_LIMIT = 64


def _boundaries_of(policy, today: date) -> dict[tuple[str, bool], date]:
    key = (id(policy), today)
    entry = _BOUNDARY_CACHE.get(key)
    if entry is None or entry[0] is not policy:
        if len(_BOUNDARY_CACHE) >= _BOUNDARY_CACHE_LIMIT:
            _BOUNDARY_CACHE.clear()
        entry = _BOUNDARY_CACHE[key] = (policy, {})
    return entry[1]


class Context:
    """One evaluation: the answers, the submission date and the policy, with dates parsed once."""

    __slots__ = (
        "_boundaries",
        "_months",
        "answers",
        "policy",
        "procedures",
        "provider_skin_type",
        "questions",
        "today",
        "version",
        "visit",
    )

    def __init__(
        self,
        answers: Mapping,
        today: date,
        policy,
        definition: Definition,
        provider_skin_type="",
        visit=None,
    ):
        self.answers = answers
        # A re-screen's context (questionnaire.visit.Visit), None on a first visit: the course
        # rules quote the clinic's treatment date and modality from it.
        self.visit = visit
        # The provider's own Fitzpatrick assessment, for the rules of a recorded modality.
        self.provider_skin_type = provider_skin_type
        self.today = today
        self.policy = policy
        # The questions of the version the answers were given on: a question that version did
        # not ask is "not asked", never "missing" (a v1 patient was never asked v2's new questions).
        self.questions = definition.questions
        self.version = definition.version
        # The Section D procedures picked, read once: many rules ask "picked, and when?".
        picked = answers.get(PRIOR_PROCEDURES)
        try:
            self.procedures = frozenset(picked) if isinstance(picked, list | tuple) else _NONE
        except TypeError:  # a malformed, unhashable item
            self.procedures = frozenset(key for key in picked if isinstance(key, str))
        self._months: dict[str, date | None] = {}
        self._boundaries = _boundaries_of(policy, today)

    def month_anchor(self, question_id: str) -> date | None:
        """The 15th of a month_year answer, or None when it is missing or "unknown"."""
        # .get() rather than try/except: these caches start empty on every call, and raising
        # KeyError on each first lookup would cost more than the lookups save.
        anchor = self._months.get(question_id, _MISSING)
        if anchor is _MISSING:
            parsed = _parse_month_year(self.answers.get(question_id))
            anchor = date(parsed[0], parsed[1], MONTH_ANCHOR_DAY) if parsed else None
            self._months[question_id] = anchor
        return anchor

    def boundary(self, window: str, ahead: bool) -> date:
        """`today` moved back (or forward when `ahead`) by the policy window named `window`."""
        key = (window, ahead)
        edge = self._boundaries.get(key)
        if edge is None:
            amount = getattr(self.policy, window)
            if ahead is False:
                amount = -amount
            if window.endswith("_weeks"):
                edge = self.today + timedelta(weeks=amount)
            elif window.endswith("_years"):
                edge = _add_months(self.today, 12 * amount)
            else:
                edge = _add_months(self.today, amount)
            self._boundaries[key] = edge
        return edge


# What the engine may do instead of calling a condition that reads one answer (`Lookup`): the
# condition holds exactly when the answer to `question_id` is a string in `keys` (ANSWER_IS), or
# a list or tuple holding a string in `keys` (HAS_ANY); it then returns `hit`.
ANSWER_IS = "answer_is"
HAS_ANY = "has_any"


class Lookup(NamedTuple):
    kind: str
    question_id: str
    keys: frozenset[str]
    hit: Hit


class Read(NamedTuple):
    """A question whose answer a condition looks at: on every questionnaire version (`version`
    None), or only on `version` (a part under `under_version`, or the test of whether a
    version's follow-up was asked)."""

    question_id: str
    version: str | None = None


def _declare(condition, reads=(), windows=(), parts=(), visit_reads=()):
    """Records on `condition` what it reads: question ids (or `Read`s), ⚙ windows, the fields
    of the re-screen's `Visit` (`visit_reads`), and those of its `parts`, in order, without
    repeats. Returns `condition`."""
    all_reads = [read if isinstance(read, Read) else Read(read) for read in reads]
    all_windows = list(windows)
    all_visit_reads = list(visit_reads)
    for part in parts:
        all_reads += part.reads
        all_windows += part.windows
        all_visit_reads += getattr(part, "visit_reads", ())
    condition.reads = tuple(dict.fromkeys(all_reads))
    condition.windows = tuple(dict.fromkeys(all_windows))
    condition.visit_reads = tuple(dict.fromkeys(all_visit_reads))
    return condition


def _reads_of(condition) -> tuple[Read, ...]:
    try:
        return condition.reads
    except AttributeError:
        raise TypeError(
            f"{condition!r} does not say what it reads: build it with screening.flags.conditions"
        ) from None


def question_ids_read(condition, version: str | None = None) -> tuple[str, ...]:
    """The ids of the questions `condition` reads, in order; with `version`, those it reads on
    answers of that questionnaire version (whether or not that version asks them)."""
    return tuple(
        dict.fromkeys(
            read.question_id
            for read in _reads_of(condition)
            if version is None or read.version is None or read.version == version
        )
    )


def windows_used(condition) -> tuple[str, ...]:
    """The ⚙ Policy fields `condition` measures dates with, in order."""
    _reads_of(condition)  # the same refusal for a function the builders did not make
    return condition.windows


def _asked_test_reads(question_ids) -> tuple[Read, ...]:
    """What telling whether these questions were asked reads: the question each one's show_if
    tests, on every version that asks it with one."""
    return tuple(
        Read(question.show_if.question_id, version)
        for version, definition in DEFINITIONS.items()
        for question_id in question_ids
        if (question := definition.questions.get(question_id)) is not None
        and question.show_if is not None
    )


def answer_is(question_id: str, *values: str) -> Condition:
    """The answer is one of `values` (yes_no, yes_no_unsure and single questions)."""
    hit = ((question_id,), ())

    def condition(ctx: Context) -> Hit | None:
        # A tuple, not a set: a malformed list answer must compare unequal, not raise.
        return hit if ctx.answers.get(question_id) in values else None

    # For the engine, which looks a whole rule of this form up by answer instead of calling it.
    condition.lookup = Lookup(ANSWER_IS, question_id, frozenset(values), hit)
    return _declare(condition, (question_id,))


def _picks_any(picked, keys: frozenset[str]) -> bool:
    """A multi-choice answer contains one of `keys` (set operations: this runs very often)."""
    if not isinstance(picked, list | tuple):
        return False
    try:
        return not keys.isdisjoint(picked)
    except TypeError:  # a malformed, unhashable item
        return any(key in keys for key in picked if isinstance(key, str))


def has_any(question_id: str, *keys: str) -> Condition:
    """The multi-choice answer contains any of `keys`."""
    hit = ((question_id,), ())
    wanted = frozenset(keys)

    def condition(ctx: Context) -> Hit | None:
        # _picks_any inlined: this is the commonest condition after answer_is.
        picked = ctx.answers.get(question_id)
        if not isinstance(picked, list | tuple):
            return None
        try:
            return None if wanted.isdisjoint(picked) else hit
        except TypeError:  # a malformed, unhashable item
            return hit if any(key in wanted for key in picked if isinstance(key, str)) else None

    condition.lookup = Lookup(HAS_ANY, question_id, wanted, hit)
    return _declare(condition, (question_id,))


def picks_exactly(question_id: str, *keys: str) -> Condition:
    """The multi-choice answer is exactly `keys` (in any order), nothing more or less."""
    hit = ((question_id,), ())
    wanted = frozenset(keys)

    def condition(ctx: Context) -> Hit | None:
        picked = ctx.answers.get(question_id)
        if not isinstance(picked, list | tuple):
            return None
        try:
            return hit if len(picked) == len(wanted) and wanted.issuperset(picked) else None
        except TypeError:  # a malformed, unhashable item
            return None

    return _declare(condition, (question_id,))


def has_other_than(question_id: str, *keys: str) -> Condition:
    """The multi-choice answer contains a key outside `keys` ("anything except none")."""
    hit = ((question_id,), ())
    excluded = frozenset(keys)

    def condition(ctx: Context) -> Hit | None:
        picked = ctx.answers.get(question_id)
        if not isinstance(picked, list | tuple):
            return None
        try:
            return None if excluded.issuperset(picked) else hit
        except TypeError:  # a malformed, unhashable item counts as something other
            return hit

    return _declare(condition, (question_id,))


def date_window(
    question_id: str,
    within: str | None = None,
    beyond: str | None = None,
    *,
    ahead: bool = False,
    elapsed: str = "",
) -> Condition:
    """A month_year answer lies inside the ⚙ window `within` and outside the window `beyond`.

    Windows are Policy field names, measured back from today (forward when `ahead`). The answer
    counts as the 15th of its month; within NEAR_BOUNDARY_DAYS of a boundary the cautious side
    applies: it counts as inside `within`, and as not (yet) beyond `beyond`, so that the more
    recent, more severe band wins. A missing or "unknown" date never matches: see date_unknown.
    `elapsed` names the date ("Last dose") to state how long before the submission it was.
    """
    hit_ids = (question_id,)

    def condition(ctx: Context) -> Hit | None:
        anchor = ctx.month_anchor(question_id)
        if anchor is None:
            return None
        near_within = False
        if within is not None:
            edge = ctx.boundary(within, ahead)
            # Days by which the date is inside the window (negative: outside).
            inside = (edge - anchor).days if ahead else (anchor - edge).days
            if inside < -NEAR_BOUNDARY_DAYS:
                return None
            near_within = inside <= NEAR_BOUNDARY_DAYS
        if beyond is not None:
            edge = ctx.boundary(beyond, ahead)
            inside = (edge - anchor).days if ahead else (anchor - edge).days
            if inside >= -NEAR_BOUNDARY_DAYS:
                return None
        notes = []
        if elapsed:
            notes.append(_elapsed_note(elapsed, anchor, ctx.today))
        if near_within:
            notes.append(
                _near_boundary_note(ctx.answers[question_id], within, getattr(ctx.policy, within))
            )
        return hit_ids, tuple(notes)

    return _declare(condition, (question_id,), [w for w in (within, beyond) if w is not None])


# The sentences below depend on a handful of values, and formatting them is a large part of a
# date rule's cost; the caches keep evaluation fast without holding any patient text.
@lru_cache(maxsize=4096)
def _near_boundary_note(value: str, window: str, amount: int) -> str:
    unit = window.rsplit("_", 1)[1].removesuffix("s")
    return (
        f"The date given ({_month_text(value)}) is approximate and near the {amount}-{unit} "
        "boundary, so the more cautious window applies."
    )


@lru_cache(maxsize=4096)
def _elapsed_note(what: str, anchor: date, today: date) -> str:
    months = (today.year - anchor.year) * 12 + today.month - anchor.month
    if months <= 0:
        amount = "less than a month"
    elif months == 1:
        amount = "about 1 month"
    else:
        amount = f"about {months} months"
    month = f"{_MONTH_NAMES[anchor.month - 1]} {anchor.year}"
    return f"{what} {amount} before the submission date ({month})."


def date_unknown(question_id: str, *, if_asked: bool = False) -> Condition:
    """A month_year answer that gives no usable date: "unknown", missing or malformed.

    Hidden follow-ups are absent too, so either combine it (all_of) with the answer that makes
    the date relevant, or pass `if_asked` to count a missing answer only when the question's
    show_if holds.
    """
    with_answer = ((question_id,), ())
    without_answer = ((), ())

    def condition(ctx: Context) -> Hit | None:
        if ctx.month_anchor(question_id) is not None:
            return None
        if not _is_empty(ctx.answers.get(question_id)):
            return with_answer
        if if_asked:
            question = ctx.questions.get(question_id)
            if question is None or not question.is_shown(ctx.answers):
                return None
        return without_answer

    asked_test = _asked_test_reads((question_id,)) if if_asked else ()
    return _declare(condition, (question_id, *asked_test))


def age_under(question_id: str, years: str) -> Condition:
    """The exact date of birth makes the patient younger than the Policy field `years` today.

    A missing or unreadable date of birth counts (cautiously) as under age, with a note.
    """
    hit = ((question_id,), ())
    unknown_hit = (
        (question_id,),
        ("The date of birth is missing or unreadable, so age could not be checked.",),
    )

    def condition(ctx: Context) -> Hit | None:
        born = _parse_date(ctx.answers.get(question_id))
        if born is None:
            return unknown_hit
        today = ctx.today
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return hit if age < getattr(ctx.policy, years) else None

    return _declare(condition, (question_id,), (years,))


def text_given(*question_ids: str) -> Condition:
    """Any of these free-text answers says something other than a plain "none"."""

    def condition(ctx: Context) -> Hit | None:
        answers = ctx.answers
        given = [qid for qid in question_ids if _says_something(answers.get(qid))]
        return (tuple(given), ()) if given else None

    return _declare(condition, question_ids)


# Free text that plainly means "nothing to add". Deliberately short: text that is not on this
# list raises an info flag, and reading one word costs a provider less than missing a sentence.
NOTHING_TO_ADD = frozenset({"none", "n/a", "na", "nil", "no", "nothing"})


def _says_something(value) -> bool:
    if not isinstance(value, str):
        return False
    normalised = value.strip().rstrip(".!").strip().lower()
    return bool(normalised) and normalised not in NOTHING_TO_ADD


def unsure_answers(items: tuple[tuple[str, tuple[str, ...]], ...]) -> Condition:
    """Every item whose answer is one of its unsure-type values, or which was asked but is empty.

    `items` pairs a question id with the answers that mean "not known" for it (for a multi
    question: keys it may contain). "Asked" follows the question's show_if, so a hidden follow-up
    that is absent is not counted.
    """
    by_version: dict[tuple[str, int], tuple] = {}

    def checks_for(ctx: Context) -> tuple:
        # Built once per questionnaire version: the items that version asks, with their show_if.
        # A question always shown has no show_if to test (None): most items are such questions.
        # Keyed by the questions too: 2027.01's answers are read through the rules' view of the
        # questions (flags/derivation.py), a reader of its plain definition gets its own entry.
        key = (ctx.version, id(ctx.questions))
        checks = by_version.get(key)
        if checks is None:
            checks = by_version[key] = tuple(
                (question_id, frozenset(unsure), _show_if_test(ctx.questions[question_id]))
                for question_id, unsure in items
                if question_id in ctx.questions
            )
        return checks

    def condition(ctx: Context) -> Hit | None:
        answers = ctx.answers
        get = answers.get
        found = []
        for question_id, unsure, shown_if in checks_for(ctx):
            value = get(question_id)
            if value.__class__ is str and value:  # the commonest answer: a choice key
                if value in unsure:
                    found.append(question_id)
            elif not value:  # None, "" or [] (no answer is a number or a boolean)
                if shown_if is None or shown_if(answers):
                    found.append(question_id)
            elif unsure and _picks_any(value, unsure):
                found.append(question_id)
        return (tuple(found), ()) if found else None

    question_ids = tuple(question_id for question_id, _unsure in items)
    return _declare(condition, (*question_ids, *_asked_test_reads(question_ids)))


def _show_if_test(question):
    """The test of when `question` is asked (`Question.is_shown`), or None when it always is.

    A `Picked` test becomes a set test (the same answer, without a generator per call):
    the roll-up of unsure answers tests many hidden follow-ups on every evaluation.
    """
    show_if = question.show_if
    if show_if is None:
        return None
    if type(show_if) is AnswerIs:  # AnswerIs.holds without its attribute reads
        question_id, values = show_if.question_id, show_if.values

        def answer_is_one_of(answers: Mapping) -> bool:
            return answers.get(question_id) in values

        return answer_is_one_of
    if type(show_if) is not Picked:
        return show_if.holds
    question_id, keys = show_if.question_id, frozenset(show_if.values)

    def picked_any(answers: Mapping) -> bool:
        picked = answers.get(question_id)
        if not isinstance(picked, list):
            return False
        try:
            return not keys.isdisjoint(picked)
        except TypeError:  # a malformed, unhashable item: the question's own test
            return show_if.holds(answers)

    return picked_any


def always(*question_ids: str) -> Condition:
    """Raised for everyone; shows the answers to `question_ids` for context."""
    hit = (question_ids, ())

    def condition(ctx: Context) -> Hit | None:
        return hit

    return _declare(condition, question_ids)


def provider_input(*question_ids: str) -> Condition:
    """Never holds on the answers alone: for a rule the provider's input raises, by comparing it
    with the answers to `question_ids` (which its flag quotes)."""

    def condition(ctx: Context) -> Hit | None:
        return None

    return _declare(condition, question_ids)


def any_of(*conditions: Condition) -> Condition:
    """Raised when any part holds; evaluates every part, to show every answer that raised it."""
    lookups = tuple(getattr(part, "lookup", None) for part in conditions)

    def condition(ctx: Context) -> Hit | None:
        first = None
        more = None
        for part in conditions:
            hit = part(ctx)
            if hit is None:
                continue
            if first is None:
                first = hit
            elif more is None:
                more = [first, hit]
            else:
                more.append(hit)
        return first if more is None else _merge(more)

    if None not in lookups:
        # Every part reads one answer: the engine may look the parts up (its hit is then the
        # question ids of the parts that hold, in order, as _merge makes it).
        condition.lookups = lookups
    return _declare(condition, parts=conditions)


def all_of(*conditions: Condition) -> Condition:
    """Raised when every part holds; shows the answers of all parts."""

    def condition(ctx: Context) -> Hit | None:
        hits = []
        for part in conditions:
            hit = part(ctx)
            if hit is None:
                return None
            hits.append(hit)
        return _merge(hits)

    return _declare(condition, parts=conditions)


def unless(inner: Condition) -> Condition:
    """Holds when `inner` does not; contributes no answers (for exclusions within all_of)."""
    empty = ((), ())

    def condition(ctx: Context) -> Hit | None:
        return empty if inner(ctx) is None else None

    return _declare(condition, parts=(inner,))


def with_note(inner: Condition, note: str) -> Condition:
    """Adds a sentence to the reason when `inner` holds; `{policy.field}` is filled in."""
    # The sentence depends on the policy alone: filled in once per policy object (held in the
    # entry, so that its id cannot be reused by another while the entry exists).
    filled: dict[int, tuple[object, str]] = {}

    def condition(ctx: Context) -> Hit | None:
        hit = inner(ctx)
        if hit is None:
            return None
        policy = ctx.policy
        entry = filled.get(id(policy))
        if entry is None or entry[0] is not policy:
            if len(filled) > 64:  # policies made on the fly (tests, flags_diff): stay small
                filled.clear()
            entry = filled[id(policy)] = (policy, note.format(policy=policy))
        return hit[0], (*hit[1], entry[1])

    return _declare(condition, windows=policy_fields_in(note), parts=(inner,))


def noted_if(inner: Condition, when: Condition, note: str) -> Condition:
    """`inner`, with `note` added to the reason (and `when`'s answers shown) when `when` holds."""

    def condition(ctx: Context) -> Hit | None:
        hit = inner(ctx)
        if hit is None:
            return None
        extra = when(ctx)
        return hit if extra is None else _merge([hit, (extra[0], (note,))])

    return _declare(condition, parts=(inner, when))


def _position(version: str) -> int:
    return ORDER.index(version) if version in ORDER else len(ORDER)


def before_version(version: str, inner: Condition) -> Condition:
    """`inner`, only for answers given on a questionnaire older than `version` (a reading the
    newer questions replace: e.g. v2's one bleeding question, split in two in 2027.01)."""
    limit = _position(version)

    def condition(ctx: Context) -> Hit | None:
        return inner(ctx) if _position(ctx.version) < limit else None

    # What `inner` reads, it reads on the versions before `version` only.
    earlier = ORDER[:limit]
    reads = [
        Read(read.question_id, each)
        for read in _reads_of(inner)
        for each in earlier
        if read.version is None or read.version == each
    ]
    return _declare(condition, reads, inner.windows, visit_reads=getattr(inner, "visit_reads", ()))


def provider_type_or_self_report(types: tuple[str, ...], self_reported: tuple[str, ...]):
    """The provider's recorded Fitzpatrick type is one of `types`; or, none recorded, the
    patient's self-report is one of `self_reported`. Quotes the self-report either way."""
    hit = (("skin_type_self",), ())

    def condition(ctx: Context) -> Hit | None:
        assessed = ctx.provider_skin_type
        if assessed:
            if assessed not in types:
                return None
            return hit[0], (f"The provider assessed skin type {assessed}.",)
        return hit if ctx.answers.get("skin_type_self") in self_reported else None

    return _declare(condition, ("skin_type_self",))


def under_version(version: str, inner: Condition) -> Condition:
    """`inner`, only for answers given on questionnaire `version` (a reading that only that
    version's wording justifies, e.g. v1's "Non-ablative or fractional laser")."""

    def condition(ctx: Context) -> Hit | None:
        return inner(ctx) if ctx.version == version else None

    # What `inner` reads, it reads on `version` only (a part tied to another version, never).
    reads = [
        Read(read.question_id, version)
        for read in _reads_of(inner)
        if read.version is None or read.version == version
    ]
    return _declare(condition, reads, inner.windows, visit_reads=getattr(inner, "visit_reads", ()))


def _merge(hits: list[Hit]) -> Hit:
    """One hit from several: question ids and notes in order, without repeats."""
    question_ids: list[str] = []
    notes: list[str] = []
    for ids, extra in hits:
        question_ids += ids
        notes += extra
    return tuple(dict.fromkeys(question_ids)), tuple(dict.fromkeys(notes)) if notes else ()


def procedures_picked(procedures: tuple[str, ...], inner: Condition) -> Condition:
    """`inner`, evaluated only when one of the Section D `procedures` was picked.

    A guard for rules made only of prior_treatment_* parts (each of which needs its procedure
    picked): it skips them all at once for the many patients who picked none of them.
    """
    wanted = frozenset(procedures)

    def condition(ctx: Context) -> Hit | None:
        return None if wanted.isdisjoint(ctx.procedures) else inner(ctx)

    return _declare(condition, (PRIOR_PROCEDURES,), parts=(inner,))


def prior_treatment_within(procedure: str, window: str) -> Condition:
    """The most recent `procedure` from Section D, picked, lies within the ⚙ window.

    The date question is asked only when the procedure is picked, so that is checked first: it
    is cheap, and most patients pick few of the procedures the rules read.
    """
    dated = date_window(prior_procedure_last_id(procedure), within=window)

    def condition(ctx: Context) -> Hit | None:
        return dated(ctx) if procedure in ctx.procedures else None

    return _declare(condition, (PRIOR_PROCEDURES,), parts=(dated,))


def prior_treatment_date_unknown(procedure: str) -> Condition:
    """`procedure` was picked but its date is "I don't remember" (or missing).

    The same as `date_unknown(prior_<procedure>_last, if_asked=True)` (the date question's
    show_if is "procedure picked"), with the cheap test first: most patients picked few
    procedures, and this runs for every procedure a rule reads.
    """
    question_id = prior_procedure_last_id(procedure)
    with_answer = ((question_id,), ())
    without_answer = ((), ())

    def condition(ctx: Context) -> Hit | None:
        if procedure not in ctx.procedures:
            return None
        if question_id not in ctx.questions or ctx.month_anchor(question_id) is not None:
            return None  # not asked in this version, or a usable date
        return without_answer if _is_empty(ctx.answers.get(question_id)) else with_answer

    return _declare(condition, (PRIOR_PROCEDURES, question_id))


# --- The course of the last treatment here (questionnaire 2027.02: return visits) ------------

COURSE = "last_session_problems"
COURSE_UNSURE = "last_session_problems_unsure"
STILL_NOW = "last_session_still_now"
SEEN_FOR_IT = "last_session_seen_for_it"
RECORDS_NOTE = "Seen for it somewhere else: ask for the records."
# The modality of a decision (`Decision.Modality`), as a sentence names it.
MODALITY_WORDS = {
    "ablative": "fully ablative",
    "fractional_ablative": "fractional ablative",
    "non_ablative": "non-ablative",
    "none": "no treatment",
}


def provider_date(day: date) -> str:
    """A date as provider-facing text writes it, in English: "March 3, 2027"."""
    return f"{_MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def treated_here_note(visit) -> str:
    """The clinic's own record of the last treatment, for a course flag: its date and the
    modality of the decision it followed (the visit's), or that the record has none."""
    if visit is None or visit.treatment_date is None:
        return "No treatment here on record since the previous form."
    modality = MODALITY_WORDS.get(visit.carried_modality, visit.carried_modality)
    decided = f"{modality} (the decision on the previous form)" if modality else "not on record"
    return f"Treated here on {provider_date(visit.treatment_date)}; modality: {decided}."


def course_problem(item: str, *, unsure_too: bool = False) -> Condition:
    """Since the last treatment here, the patient had `item` (ticked in last_session_problems;
    with `unsure_too`, also when only listed as not sure). Quotes the list it came from and the
    "still there now" and "checked or treated" answers; notes the clinic's treatment date and
    modality (from the visit) and, seen somewhere else, to ask for the records."""
    wanted = frozenset((item,))
    follow_ups = (STILL_NOW, SEEN_FOR_IT)

    def condition(ctx: Context) -> Hit | None:
        answers = ctx.answers
        # Each flag quotes its own item of the list it came from, not every problem ticked.
        if _picks_any(answers.get(COURSE), wanted):
            source = item_input(COURSE, item)
        elif unsure_too and _picks_any(answers.get(COURSE_UNSURE), wanted):
            source = item_input(COURSE_UNSURE, item)
        else:
            return None
        shown = tuple(qid for qid in follow_ups if not _is_empty(answers.get(qid)))
        notes = (treated_here_note(ctx.visit),)
        if answers.get(SEEN_FOR_IT) == "yes_elsewhere":
            notes = (*notes, RECORDS_NOTE)
        return (source, *shown), notes

    lists = (COURSE, COURSE_UNSURE) if unsure_too else (COURSE,)
    # Holds only when one of the lists is answered: the engine skips it for everyone else.
    condition.needs_one_of = (COURSE, COURSE_UNSURE)
    return _declare(
        condition,
        (*lists, *follow_ups),
        visit_reads=("treatment_date", "carried_modality"),
    )


def unsure_with_nothing_added(question_id: str, listed: str) -> Condition:
    """`question_id` is "unsure" and the multi-choice answer `listed` gained no key since the
    previous form (the visit's): a "not sure" nothing explains. Without a visit to compare
    with, the unsure answer counts (missing never counts as "no")."""
    hit = ((question_id,), ())

    def condition(ctx: Context) -> Hit | None:
        if ctx.answers.get(question_id) != "unsure":
            return None
        if ctx.visit is None:
            return hit
        before = ctx.visit.previous_answers.get(listed)
        now = ctx.answers.get(listed)
        before_keys = (
            {key for key in before if isinstance(key, str)} if isinstance(before, list) else set()
        )
        now_keys = {key for key in now if isinstance(key, str)} if isinstance(now, list) else set()
        return None if now_keys - before_keys - {"none"} else hit

    return _declare(condition, (question_id, listed), visit_reads=("previous_answers",))
