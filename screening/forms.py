"""Step forms built from the questionnaire: one form per section, one field per question.

Fields hand raw values to `validation.validate_answers`, the one place that judges answers, and
field names are the question ids so that an answer can be traced from the HTML to the stored JSON.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from . import honeypot
from .answer_types import ANSWER_TYPES
from .layout import QuestionLayout, first_control_id
from .questionnaire import Section


class StepForm(forms.Form):
    """The questions of one section; `initial` comes from the draft."""

    def __init__(self, section: Section, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        layout = []
        for question in section.questions:
            field = ANSWER_TYPES[question.kind].form_field(question)
            field.label = question.label
            self.fields[question.id] = field
            layout.append(QuestionLayout(question))
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
            summary.append(
                {"anchor": first_control_id(bound), "label": bound.label, "message": messages[0]}
            )
        return summary

    def raw_answers(self) -> dict:
        """What the patient posted for this section, untouched, keyed by question id."""
        return {
            name: field.to_python(field.widget.value_from_datadict(self.data, self.files, name))
            for name, field in self.fields.items()
            if name != honeypot.FIELD_NAME
        }


class _PatientForm(forms.Form):
    """A small patient form with the step pages' error summary."""

    def summary_errors(self) -> list[dict]:
        return [
            {"anchor": self[name].id_for_label, "label": self[name].label, "message": messages[0]}
            for name, messages in self.errors.items()
        ]


class BirthDateForm(_PatientForm):
    """The date of birth that opens a saved draft on a device that did not start it."""

    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        error_messages={
            "required": _("Please enter your date of birth."),
            "invalid": _("Please enter a real date, for example 1984-03-27."),
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )


class SaveForLaterForm(_PatientForm):
    """Where to send the link to continue a walk-in's answers later."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Please enter the email address to send the link to."),
            "invalid": _("Please enter an email address like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
