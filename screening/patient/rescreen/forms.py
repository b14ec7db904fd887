"""The re-screen's page form: the step form's fields and layout, with the cards' own errors."""

from __future__ import annotations

from django.template import Context
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from screening.patient.forms import StepForm
from screening.patient.layout import QuestionLayout
from screening.questionnaire import Question


class PageForm(StepForm):
    """A re-screen page's questions (in its cards and around them); a card neither confirmed
    nor opened is an error of its own, listed in the error summary and shown on the card."""

    def __init__(self, section, *args, definition, **kwargs):
        super().__init__(section, *args, questions=section.questions, **kwargs)
        self.definition = definition
        self.card_errors: dict[str, str] = {}  # card key -> its title

    def card_undecided(self, key: str, title: str) -> None:
        self.card_errors[key] = title

    def summary_errors(self) -> list[dict]:
        summary = super().summary_errors() if self.is_bound else []
        for key, title in self.card_errors.items():
            summary.append(
                {
                    "anchor": f"card-{key}-confirm",
                    "label": title,
                    "message": _("Choose “Still true” or “Change”."),
                }
            )
        return summary

    def question_html(self, question: Question) -> str:
        """One question's markup, in this visit's words (a cached choice question is laid out
        with the version's words; its dates are put in here)."""
        html = QuestionLayout(question).render(self, Context())
        written = self.definition.questions[question.id].label
        if str(written) != str(question.label):
            html = html.replace(str(escape(str(written))), str(escape(str(question.label))))
        return mark_safe(html)
