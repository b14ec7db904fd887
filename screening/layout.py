"""How one question is laid out on a step page: a crispy-forms layout object.

Crispy's stock field templates cost about 2 ms per question on the heaviest step (nested includes
and a template per radio option); this object renders the same accessible markup (a fieldset with
a legend for choice groups, a label on every control, help and error text tied to the control by
aria-describedby, aria-invalid) from one lean template, with the options prepared here.
"""

from __future__ import annotations

import json

from crispy_forms.layout import LayoutObject
from django import forms
from django.template.loader import get_template

from .answer_types import MonthYearWidget, YesCheckboxInput
from .questionnaire import Question

TEMPLATE = "screening/question.html"
_GROUP_INPUT_TYPES = {forms.RadioSelect: "radio", forms.CheckboxSelectMultiple: "checkbox"}


def first_control_id(bound) -> str:
    """The id of the control an error summary link jumps to."""
    widget = bound.field.widget
    if type(widget) in _GROUP_INPUT_TYPES or isinstance(widget, MonthYearWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id


class QuestionLayout(LayoutObject):
    """One question: label or legend, its control(s), help, condition, error."""

    def __init__(self, question: Question):
        self.question = question
        self.fields = [question.id]

    def render(self, form, context, template_pack=None, **kwargs):
        question = self.question
        bound = form[question.id]
        widget = bound.field.widget
        errors = bound.errors
        help_id = f"{bound.auto_id}_helptext"
        error_id = f"{bound.auto_id}_error"
        described_by = " ".join(
            ([help_id] if (question.help_text or question.show_if) else [])
            + ([error_id] if errors else []))
        input_type = _GROUP_INPUT_TYPES.get(type(widget))
        context_data = {
            "question": question,
            "name": bound.html_name,
            "id": bound.auto_id,
            "label": bound.label,
            "optional": not question.required and not question.checkbox,
            "help_text": question.help_text,
            "condition_text": question.condition_text,
            "help_id": help_id,
            "error_id": error_id,
            "errors": errors,
            "described_by": described_by,
            "show_if": json.dumps(question.show_if.as_json()) if question.show_if else "",
            "input_type": input_type,
            "checkbox": isinstance(widget, YesCheckboxInput),
            "grouped": input_type is not None or isinstance(widget, MonthYearWidget),
        }
        value = bound.value()
        if input_type is not None:
            picked = set(value) if isinstance(value, list | tuple) else {value}
            context_data["options"] = [
                {"id": f"{bound.auto_id}_{index}", "value": choice.key, "label": choice.label,
                 "checked": choice.key in picked}
                for index, choice in enumerate(question.choices)
            ]
        elif isinstance(widget, YesCheckboxInput):
            context_data["checked"] = value == "yes"
        elif isinstance(widget, MonthYearWidget):
            context_data["control"] = bound.as_widget()  # the fieldset carries the description
        else:
            attrs = {"class": "form-control" + (" is-invalid" if errors else "")}
            if described_by:
                attrs["aria-describedby"] = described_by
            if errors:
                attrs["aria-invalid"] = "true"
            context_data["control"] = bound.as_widget(attrs=attrs)
        return get_template(TEMPLATE).render(context_data)


