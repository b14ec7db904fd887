"""Step forms built from the questionnaire: one form per section, one field per question.

Fields hand raw values to `validation.validate_answers`, the one place that judges answers, and
field names are the question ids so that an answer can be traced from the HTML to the stored JSON.
"""

import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import honeypot
from .answer_types import ANSWER_TYPES
from .questionnaire import Question, Section


def _label(question: Question):
    if question.required or question.checkbox:
        return question.label
    return format_lazy("{} {}", question.label, _("(optional)"))


def _help_text(question: Question):
    if not question.show_if:
        return question.help_text
    # The condition in words serves readers without JavaScript; followups.js hides it.
    return format_html('<span class="condition-text">{}</span> {}', question.condition_text,
                       question.help_text)


class StepForm(forms.Form):
    """The questions of one section; `initial` comes from the draft."""

    def __init__(self, section: Section, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        layout = []
        for question in section.questions:
            field = ANSWER_TYPES[question.kind].form_field(question)
            field.label = _label(question)
            field.help_text = _help_text(question)
            self.fields[question.id] = field
            if question.show_if is None:
                layout.append(Field(question.id))
            else:
                layout.append(Div(Field(question.id), css_class="followup",
                                  data_show_if=json.dumps(question.show_if.as_json())))
        self.fields[honeypot.FIELD_NAME] = honeypot.form_field()
        layout.append(honeypot.layout())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    def summary_errors(self) -> list[dict]:
        """Each error with the id of the control to jump to, for the error summary."""
        summary = []
        for name, messages in self.errors.items():
            bound = self[name]
            widget = self.fields[name].widget
            grouped = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            anchor = f"{bound.auto_id}_0" if grouped else bound.auto_id
            summary.append({"anchor": anchor, "label": bound.label, "message": messages[0]})
        return summary

    def raw_answers(self) -> dict:
        """What the patient posted for this section, untouched, keyed by question id."""
        return {
            name: field.to_python(field.widget.value_from_datadict(self.data, self.files, name))
            for name, field in self.fields.items()
            if name != honeypot.FIELD_NAME
        }
