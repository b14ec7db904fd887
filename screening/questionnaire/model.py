"""The building blocks of a questionnaire version: kinds, questions, choices, sections, show_if.

The lowest module of the package: the version modules (`v2026_11`, `v2026_12`) hold data built
from these types, and `versions` maps a version string to its `Definition`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening.questionnaire.visit import OnVisit


class Kind(StrEnum):
    """Question types; each has one entry in `answer_types.ANSWER_TYPES`."""

    TEXT = "text"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    MONTH_YEAR = "month_year"
    NUMBER = "number"
    YES_NO = "yes_no"
    YES_NO_UNSURE = "yes_no_unsure"
    SINGLE = "single"
    MULTI = "multi"


class Timing(StrEnum):
    """Which side of today a date answer must lie on."""

    PAST = "past"
    FUTURE = "future"


# Multi-choice keys that mean "nothing else applies" and so cannot be combined with other keys.
EXCLUSIVE_KEYS = frozenset({"none", "unsure"})
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Choice:
    key: str
    label: Promise | str


YES_NO_CHOICES = (Choice("yes", _("Yes")), Choice("no", _("No")))
YES_NO_UNSURE_CHOICES = (*YES_NO_CHOICES, Choice("unsure", _("Not sure")))


# --- Follow-up conditions (`show_if`) ----------------------------------------------------------


@dataclass(frozen=True)
class AnswerIs:
    """Holds when the answer to `question_id` is one of `values`."""

    question_id: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping) -> bool:
        return answers.get(self.question_id) in self.values

    def as_json(self) -> dict:
        return {"question": self.question_id, "op": "is", "values": list(self.values)}


@dataclass(frozen=True)
class Picked:
    """Holds when the multi-choice answer to `question_id` contains any of `values`."""

    question_id: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping) -> bool:
        picked = answers.get(self.question_id)
        return isinstance(picked, list) and any(key in picked for key in self.values)

    def as_json(self) -> dict:
        return {"question": self.question_id, "op": "picked", "values": list(self.values)}


@dataclass(frozen=True)
class PickedMoreThanOne:
    """Holds when the multi-choice answer to `question_id` has two or more keys."""

    question_id: str
    values: tuple[str, ...] = ()

    def holds(self, answers: Mapping) -> bool:
        picked = answers.get(self.question_id)
        return isinstance(picked, list) and len(picked) > 1

    def as_json(self) -> dict:
        return {"question": self.question_id, "op": "picked_more_than_one", "values": []}


def answer_is(question_id: str, *values: str) -> AnswerIs:
    return AnswerIs(question_id, values)


def picked(question_id: str, *values: str) -> Picked:
    return Picked(question_id, values)


# --- Questions and sections --------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    label: Promise | str
    choices: tuple[Choice, ...] = ()
    required: bool = True
    show_if: AnswerIs | Picked | PickedMoreThanOne | OnVisit | None = None
    help_text: Promise | str = ""
    long: bool = False  # long free text (a textarea, line breaks allowed)
    checkbox: bool = False  # a single tick box storing "yes" (unticked: "no")
    timing: Timing | None = None  # for dates: must lie in the past or the future
    allow_unknown: bool = False  # month_year: "I don't remember" stores "unknown"
    max_length: int | None = None
    among: str | None = None  # the answer must be one of those picked for this other question
    # Written for this question (every v2 question has them; tests/questionnaire/test_error_messages.py):
    # `short_label` names it in the error summary and in the kind's other messages ("Last dose
    # can't be in the future", answer_types.MESSAGES); `required_message` says what to do when
    # it is left empty or holds an answer that is not offered ("Enter your first name.").
    # Empty (v1): the summary shortens the label and the kind's general wording is used.
    short_label: Promise | str = ""
    required_message: Promise | str = ""
    # A parent whose follow-ups are many (step 4's treatment dates): they are laid out in one
    # group under this heading, so that without JavaScript the list has a visible structure.
    followups_heading: Promise | str = ""
    # Asked on the review page, under the answers and beside the signature, instead of on its
    # step: the declaration and the privacy acknowledgement, made once the answers are seen.
    asked_at_review: bool = False
    # A re-screen question worded differently when the clinic has no treatment of its own since
    # the previous form (`visit_labels.label_for_visit`); empty: the label serves both.
    label_not_treated_here: Promise | str = ""
    section_key: str = ""
    # Filled in by `Definition`: the version the question belongs to, and the patient-facing
    # words for when a follow-up applies (shown when JavaScript is off), from its parent's label.
    version: str = ""
    condition_text: Promise | str = ""

    def __post_init__(self):
        if self.kind is Kind.YES_NO and not self.choices:
            object.__setattr__(self, "choices", YES_NO_CHOICES)
        if self.kind is Kind.YES_NO_UNSURE and not self.choices:
            object.__setattr__(self, "choices", YES_NO_UNSURE_CHOICES)

    @property
    def choice_keys(self) -> tuple[str, ...]:
        return tuple(choice.key for choice in self.choices)

    def choice_label(self, key: str) -> Promise | str:
        for choice in self.choices:
            if choice.key == key:
                return choice.label
        return key

    def is_shown(self, answers: Mapping) -> bool:
        return self.show_if is None or self.show_if.holds(answers)


@dataclass(frozen=True)
class Section:
    key: str
    slug: str
    title: Promise | str
    questions: tuple[Question, ...]
    intro: Promise | str = ""

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)

    @property
    def step_questions(self) -> tuple[Question, ...]:
        """The questions asked on this section's step (not those asked at the review)."""
        return tuple(question for question in self.questions if not question.asked_at_review)

    @property
    def step_question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.step_questions)


def section(key: str, slug: str, title, questions: list[Question], intro="") -> Section:
    """A section whose questions know their section key."""
    tagged = tuple(replace(question, section_key=key) for question in questions)
    return Section(key=key, slug=slug, title=title, questions=tagged, intro=intro)


def question(id: str, kind: Kind, label, **options) -> Question:
    return Question(id=id, kind=kind, label=label, **options)


def choices(*pairs: tuple[str, Promise | str]) -> tuple[Choice, ...]:
    return tuple(Choice(key, label) for key, label in pairs)


def prior_procedure_last_id(procedure_key: str) -> str:
    """The id of the "when was your most recent ..." question of a Section D procedure."""
    return f"prior_{procedure_key}_last"


def prior_procedure_last_questions(
    procedures: tuple[Choice, ...],
    labels: Mapping[str, Promise | str] | None = None,
    *,
    written_errors: Mapping[str, tuple[Promise | str, Promise | str]] | None = None,
) -> list[Question]:
    """One month_year question per procedure (except "none"), asked when it is picked.

    `labels` overrides the generated wording for some procedure keys. `written_errors` (v2)
    gives each procedure's question its short label and required message, by procedure key.
    """
    labels = labels or {}
    written_errors = written_errors or {}
    return [
        question(
            prior_procedure_last_id(choice.key),
            Kind.MONTH_YEAR,
            labels.get(choice.key)
            or format_lazy(_("About when was your most recent treatment: {}?"), choice.label),
            show_if=picked("prior_procedures", choice.key),
            timing=Timing.PAST,
            allow_unknown=True,
            **(
                {
                    "short_label": written_errors[choice.key][0],
                    "required_message": written_errors[choice.key][1],
                }
                if choice.key in written_errors
                else {}
            ),
        )
        for choice in procedures
        if choice.key != "none"
    ]


# Columns of `Submission` copied from the answers so that staff can search them (every version
# asks them with these ids).
CONTACT_QUESTION_IDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "email",
    "phone",
)

# The stored length of each contact column: the column's length is the one limit validation
# applies, so an answer that validates always fits. The models read it from here (the
# questionnaire, the bottom floor, knows no model).
CONTACT_MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "email": 254,
    "phone": 30,
}


def _condition_text(question: Question, questions: Mapping[str, Question]) -> Promise | str:
    """The short note a follow-up shows when JavaScript is off (and so every follow-up shows):
    which answers above it applies to, never the parent question quoted in full."""
    if question.show_if is None or isinstance(question.show_if, OnVisit):
        return ""  # a question asked on a return visit only is asked as such, not as a follow-up
    parent = questions[question.show_if.question_id]
    if isinstance(question.show_if, PickedMoreThanOne):
        return _("Answer only if you chose more than one answer above.")
    labels = [parent.choice_label(key) for key in question.show_if.values]
    return format_lazy(_("Answer only if you chose {} above."), _joined_with_or(labels))


def _join_with_or(labels) -> str:
    return gettext(" or ").join(str(label) for label in labels)


# Lazy, like the labels it joins: the words are read in the page's language, not at import.
_joined_with_or = lazy(_join_with_or, str)


class Definition:
    """One questionnaire version: its sections in order and its questions by id.

    Everything that reads answers (validation, forms, the review page, the admin, exports, the
    flag rules) takes the definition of the answers' version from `versions.definition_for`.
    """

    def __init__(self, version: str, sections: tuple[Section, ...]):
        by_id: dict[str, Question] = {}
        for part in sections:
            for item in part.questions:
                if item.id in by_id:
                    raise ValueError(f"{version}: question id {item.id} appears twice")
                by_id[item.id] = item
        built = tuple(
            replace(
                part,
                questions=tuple(
                    replace(item, version=version, condition_text=_condition_text(item, by_id))
                    for item in part.questions
                ),
            )
            for part in sections
        )
        self.version = version
        self.sections: tuple[Section, ...] = built
        self.questions: dict[str, Question] = {
            item.id: item for part in built for item in part.questions
        }
        self.sections_by_slug: dict[str, Section] = {part.slug: part for part in built}
        self.sections_by_key: dict[str, Section] = {part.key: part for part in built}
        self.review_questions: tuple[Question, ...] = tuple(
            item for item in self.questions.values() if item.asked_at_review
        )
        # The steps of a first visit: a section whose every question is asked on a return visit
        # only (an `OnVisit` show_if, or a follow-up of such a question) is never an empty step.
        visit_only: set[str] = set()
        for item in self.questions.values():
            condition = item.show_if
            if isinstance(condition, OnVisit) or (
                condition is not None and condition.question_id in visit_only
            ):
                visit_only.add(item.id)
        self.visit_only_ids: frozenset[str] = frozenset(visit_only)
        self.first_visit_sections: tuple[Section, ...] = tuple(
            part for part in built if not set(part.question_ids) <= visit_only
        )

    def __repr__(self) -> str:
        return f"<Definition {self.version}>"
