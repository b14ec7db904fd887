"""Step forms built from the questionnaire: one form per section, one field per question.

Fields hand raw values to `validation.validate_answers`, the one place that judges answers, and
field names are the question ids so that an answer can be traced from the HTML to the stored JSON.
"""

from datetime import date
from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from screening.patient import honeypot
from screening.patient.declaration import SIGNATURE_MAX_LENGTH, SIGNING_SENTENCE, clean_signature
from screening.patient.layout import FollowupGroup, QuestionLayout, first_control_id
from screening.questionnaire import Definition, Kind, Question, Section
from screening.questionnaire.answer_types import (
    ANSWER_TYPES,
    AnswerError,
    DateOfBirthWidget,
    iso_from_date_parts,
    message,
)
from screening.questionnaire.text_policy import has_refused_characters
from screening.questionnaire.validation import is_blank

# The signature box, laid out like a question (it is no question of the questionnaire).
SIGNATURE = Question(
    id="signature_name",
    kind=Kind.TEXT,
    label=_("Your full name, as your signature"),
    help_text=SIGNING_SENTENCE,
    max_length=SIGNATURE_MAX_LENGTH,
)


SUMMARY_LABEL_MAX = 60


def summary_label(question: Question) -> str:
    """How the error summary names a question: its written short label; else its first
    sentence ("Which of these would you like to improve?"), cut at a word near 60 characters."""
    if question.short_label:
        return str(question.short_label)
    label = str(question.label)
    for end in ("? ", ". "):
        if end in label:
            label = label[: label.index(end) + 1]
            break
    if len(label) <= SUMMARY_LABEL_MAX:
        return label
    return label[:SUMMARY_LABEL_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _layout(questions) -> list:
    """One layout object per question, in order; the follow-ups of a parent that declares a
    `followups_heading` (and their own follow-ups) go together in one group after it."""
    layout, index = [], 0
    while index < len(questions):
        question = questions[index]
        layout.append(QuestionLayout(question))
        index += 1
        if not question.followups_heading:
            continue
        family, group = {question.id}, []
        while index < len(questions) and (
            questions[index].show_if and questions[index].show_if.question_id in family
        ):
            family.add(questions[index].id)
            group.append(questions[index])
            index += 1
        if group:
            layout.append(FollowupGroup(question, group))
    return layout


class StepForm(forms.Form):
    """The questions of one section asked on its step; `initial` comes from the draft."""

    def __init__(self, section: Section | None, *args, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        questions = section.step_questions if questions is None else questions
        self.questions = {question.id: question for question in questions}
        for question in questions:
            field = ANSWER_TYPES[question.kind].form_field(question)
            field.label = question.label
            self.fields[question.id] = field
        layout = _layout(questions)
        self.fields[honeypot.FIELD_NAME] = honeypot.form_field()
        layout.append(honeypot.layout())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    @cached_property
    def _shown_answers(self) -> tuple[dict, dict]:
        """Which questions apply to the answers this page shows (the draft's, or what was just
        posted), and those answers: a follow-up applies when its condition holds on the
        answers of the questions before it that apply, as `validate_answers` judges it."""
        applies, shown = {}, {}
        for question in self.questions.values():
            applies[question.id] = question.is_shown(shown)
            value = self[question.id].value()
            if applies[question.id] and not is_blank(value):
                shown[question.id] = value
        return applies, shown

    def applies(self, question_id: str) -> bool:
        """Whether the question is shown from the first paint when JavaScript runs (the server
        decides it, so nothing moves when followups.js starts)."""
        return self._shown_answers[0].get(question_id, True)

    def offered(self, question: Question) -> frozenset | None:
        """For a question answered from earlier picks ("Which one bothers you most?"), the
        choices offered: those picked; None for any other question."""
        if not question.among:
            return None
        picked = self._shown_answers[1].get(question.among) or []
        return frozenset(picked if isinstance(picked, list) else [picked])

    def summary_errors(self) -> list[dict]:
        """Each error with the id of the control to jump to and the question's short name, for
        the error summary: one line per question, its first message."""
        summary = []
        for name, messages in self.errors.items():
            bound = self[name]
            question = self.questions.get(name)
            label = summary_label(question) if question else bound.label
            summary.append(
                {"anchor": first_control_id(bound), "label": label, "message": messages[0]}
            )
        return summary

    def raw_answers(self) -> dict:
        """What the patient posted for this section, untouched, keyed by question id."""
        return {
            name: field.to_python(field.widget.value_from_datadict(self.data, self.files, name))
            for name, field in self.fields.items()
            if name != honeypot.FIELD_NAME
        }


class ReviewForm(StepForm):
    """The review page's form: the declaration and privacy acknowledgement of the draft's
    version (its questions asked at the review), and the typed-name signature."""

    def __init__(self, definition: Definition, *args, **kwargs):
        super().__init__(None, *args, questions=definition.review_questions, **kwargs)
        field = ANSWER_TYPES[Kind.TEXT].form_field(SIGNATURE)
        field.label = SIGNATURE.label
        field.widget.attrs["autocomplete"] = "name"
        self.fields[SIGNATURE.id] = field
        self.questions[SIGNATURE.id] = SIGNATURE
        self.helper.layout.insert(len(definition.review_questions), QuestionLayout(SIGNATURE))

    def raw_answers(self) -> dict:
        answers = super().raw_answers()
        answers.pop(SIGNATURE.id, None)
        return answers

    def signature(self) -> str:
        """The typed name as it is stored; empty when none was typed."""
        raw = self.data.get(SIGNATURE.id, "")
        return clean_signature(raw) if isinstance(raw, str) else ""

    def check_signature(self) -> bool:
        """Adds the signature's error, if any; True when the signature may be stored."""
        signature = self.signature()
        if not signature:
            self.add_error(SIGNATURE.id, _("Type your full name to sign the declaration."))
        elif has_refused_characters(signature):
            self.add_error(SIGNATURE.id, message(None, "characters"))
        elif len(signature) > SIGNATURE_MAX_LENGTH:
            self.add_error(
                SIGNATURE.id,
                _("Your name must be %(limit)s characters or fewer.")
                % {"limit": SIGNATURE_MAX_LENGTH},
            )
        return SIGNATURE.id not in self.errors


class _PatientForm(forms.Form):
    """A small patient form with the step pages' error summary."""

    def summary_errors(self) -> list[dict]:
        return [
            {
                "anchor": first_control_id(self[name]),
                "label": self[name].label,
                "message": messages[0],
            }
            for name, messages in self.errors.items()
        ]


class BirthDateForm(_PatientForm):
    """The date of birth that opens a saved draft on a device that did not start it: the same
    day / month / year boxes and messages as the question."""

    date_of_birth = forms.Field(
        label=_("Date of birth"), required=False, widget=DateOfBirthWidget()
    )

    def boxes(self):
        """The three boxes, marked invalid when the date is wrong."""
        invalid = bool(self.errors.get("date_of_birth")) if self.is_bound else False
        return self["date_of_birth"].as_widget(attrs={"aria-invalid": "true"} if invalid else None)

    def clean_date_of_birth(self):
        raw = self.cleaned_data.get("date_of_birth")
        if is_blank(raw):
            raise forms.ValidationError(_("Enter your date of birth, for example 27 3 1984."))
        try:
            text = iso_from_date_parts(raw) if isinstance(raw, dict) else str(raw).strip()
            return date.fromisoformat(text)
        except AnswerError as error:
            raise forms.ValidationError(error.message) from None
        except ValueError:
            raise forms.ValidationError(_("Enter a real date, for example 27 3 1984.")) from None


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
