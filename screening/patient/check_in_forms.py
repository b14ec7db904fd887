"""The re-confirmation's first page: each item with the patient's answer and Still true ·
Change, and the since-questions asked afresh (questionnaire.reconfirm says which).

Its second page, the questions of what changed, is the step form itself
(`forms.StepForm`): the same widgets, follow-ups and validation as the questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from screening.patient.forms import _PatientForm, summary_label
from screening.questionnaire import Definition, Question, Section, reconfirm
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.date_display import month_day_in_words
from screening.questionnaire.visit import Visit
from screening.questionnaire.visit_labels import label_for_visit

STILL_TRUE = "still_true"
CHANGE = "change"
ITEM_CHOICES = ((STILL_TRUE, _("Still true")), (CHANGE, _("Change")))


@dataclass(frozen=True)
class Line:
    """One answer as the patient gave it: the question's short name and the choice's words."""

    label: str
    answer: str


@dataclass(frozen=True)
class ShownItem:
    item: reconfirm.Item
    field_name: str
    legend: str
    lines: tuple[Line, ...]


def _lines(question_ids, answers: dict, definition: Definition) -> tuple[Line, ...]:
    return tuple(
        Line(
            summary_label(definition.questions[qid]),
            display_answer(definition.questions[qid], answers[qid]),
        )
        for qid in question_ids
        if qid in answers and qid in definition.questions
    )


def since_label(question: Question, since: date) -> str:
    """A since-question's words from the submission date ("Since March 3, …?"). At check-in the
    words without "other" (the clinic's own treatments are the visit itself)."""
    words = str(question.label_not_treated_here or question.label)
    if "%(" not in words:
        return words
    return words % {"form_date": month_day_in_words(since), "treatment_date": ""}


class ReconfirmForm(_PatientForm):
    """Still true · Change for each item the submission shows; Yes · No · Not sure for each
    since-question. Every choice is required (a forced choice, as on the form)."""

    def __init__(self, *args, answers: dict, definition: Definition, since: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.items: list[ShownItem] = []
        for item in reconfirm.confirm_items(answers):
            first = definition.questions.get(item.question_ids[0])
            if first is None:
                continue
            name = f"item_{item.key}"
            self.fields[name] = forms.ChoiceField(
                label=summary_label(first),
                choices=ITEM_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose “Still true” or “Change”.")},
            )
            self.items.append(
                ShownItem(
                    item, name, summary_label(first), _lines(item.question_ids, answers, definition)
                )
            )
        self.since: list[ShownItem] = []
        for item in reconfirm.since_items():
            question = reconfirm.since_question(item.question_ids[0])
            if question is None:
                continue
            name = question.id
            self.fields[name] = forms.ChoiceField(
                label=since_label(question, since),
                choices=[(choice.key, choice.label) for choice in question.choices],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": question.required_message or _("Choose one answer.")},
            )
            listed = reconfirm.opened_ids(item, definition) if item.shows_opened else ()
            self.since.append(
                ShownItem(
                    item, name, since_label(question, since), _lines(listed, answers, definition)
                )
            )

    def bound_items(self):
        return [(shown, self[shown.field_name]) for shown in self.items]

    def bound_since(self):
        return [(shown, self[shown.field_name]) for shown in self.since]

    def confirmed(self) -> list[str]:
        return [
            shown.item.key
            for shown in self.items
            if self.cleaned_data[shown.field_name] == STILL_TRUE
        ]

    def changed(self) -> list[str]:
        return [
            shown.item.key for shown in self.items if self.cleaned_data[shown.field_name] == CHANGE
        ]

    def since_answers(self) -> dict:
        return {shown.field_name: self.cleaned_data[shown.field_name] for shown in self.since}


def change_section(question_ids, definition: Definition, visit: Visit | None) -> Section:
    """The change page's questions as a step of their own, so that the step form opens their
    follow-ups as on the form (in place with JavaScript, shown after sending without it); a
    re-screen's questions read with its dates ("Since your treatment here on March 3, …")."""
    questions = tuple(definition.questions[qid] for qid in question_ids)
    if visit is not None:
        questions = tuple(
            replace(question, label=label_for_visit(question, visit)) for question in questions
        )
    return Section(
        key="check_in", slug="check-in", title=_("Tell us what changed"), questions=questions
    )
