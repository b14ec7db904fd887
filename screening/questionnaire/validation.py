"""The one validation of a patient's answers, used by the step forms, commands and imports.

`validate_answers` takes any answers dict (from a form, a JSON file, a test) and returns clean
answers in the stored format with hidden questions dropped, or errors keyed by question id with a
message a patient understands. It raises nothing on any input.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from screening.questionnaire import definition_for
from screening.questionnaire.answer_types import ANSWER_TYPES, AnswerError
from screening.questionnaire.visit import VISIT_KEY, Visit

NOT_AN_OBJECT = "__all__"


@dataclass
class ValidatedAnswers:
    answers: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def is_blank(raw) -> bool:
    """Nothing given: None, an empty list, blank text, or a date whose boxes are all empty."""
    if isinstance(raw, dict):  # a date's boxes (answer_types.DateOfBirthWidget): all empty
        return all(is_blank(part) for part in raw.values())
    return raw is None or raw == [] or (isinstance(raw, str) and raw.strip() == "")


def validate_answers(
    answers,
    *,
    today: date,
    version: str,
    only: Collection[str] | None = None,
    visit: Visit | None = None,
) -> ValidatedAnswers:
    """Validate `answers` against questionnaire `version` as of `today`.

    The version is the one the answers are given on (a draft's, a file's): never mixed.

    Questions are read in questionnaire order, so a follow-up's `show_if` is judged on the clean
    answers before it: a follow-up whose condition fails is dropped, whatever arrived for it.
    `only` limits the reported errors to some question ids (one step of the form); the clean
    answers still cover every question, because later steps' conditions read earlier answers.
    `visit` is a re-screen's context: the questions asked only on a return visit (`OnVisit`)
    read it; without it they are never shown.
    """
    result = ValidatedAnswers()
    if not isinstance(answers, Mapping):
        result.errors[NOT_AN_OBJECT] = _("The answers must be an object keyed by question id.")
        return result
    shown_on = ChainMap(result.answers, {VISIT_KEY: visit}) if visit else result.answers
    for question in definition_for(version).questions.values():
        if not question.is_shown(shown_on):
            continue
        raw = answers.get(question.id)
        answer_type = ANSWER_TYPES[question.kind]
        if is_blank(raw):
            if question.required:
                result.errors[question.id] = answer_type.required_message_for(question)
            continue
        try:
            value = answer_type.parse(question, raw, today)
        except AnswerError as error:
            result.errors[question.id] = error.message
            continue
        if question.among and value not in result.answers.get(question.among, ()):
            # Names the answer, so the message never repeats the question's help text.
            result.errors[question.id] = _(
                "“%(choice)s” is not one of the answers you picked above. Choose one of those."
            ) % {"choice": question.choice_label(value)}
            continue
        result.answers[question.id] = value
    if only is not None:
        result.errors = {qid: message for qid, message in result.errors.items() if qid in only}
    return result
