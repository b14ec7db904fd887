"""How one question is laid out on a step page: a crispy-forms layout object.

Crispy's stock field templates cost about 2 ms per question on the heaviest step (nested includes
and a template per radio option); this object renders the same accessible markup (a fieldset with
a legend for choice groups, a label on every control, help and error text tied to the control by
aria-describedby, aria-invalid) from one lean template, with the options prepared here.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache

from crispy_forms.layout import LayoutObject
from django import forms
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from screening.questionnaire import Kind, Question, definition_for
from screening.questionnaire.answer_types import (
    DATE_PARTS,
    DateOfBirthWidget,
    MonthYearWidget,
    YesCheckboxInput,
    date_part_order,
)
from screening.questionnaire.visit import OnVisit

TEMPLATE = "screening/question.html"
GROUP_TEMPLATE = "screening/followup_group.html"
# The class of a follow-up (or an option) that does not apply to the answers the page shows: hidden
# from the first paint when JavaScript runs, so nothing moves when followups.js starts (CLS 0);
# static/screening/noscript.css, linked in a <noscript>, shows it to a browser without JavaScript.
JS_HIDDEN = "js-hidden"
_PART_WIDGETS = (DateOfBirthWidget, MonthYearWidget)  # a fieldset of labelled parts
_GROUP_INPUT_TYPES = {forms.RadioSelect: "radio", forms.CheckboxSelectMultiple: "checkbox"}


# One radio or tick box. Built with str.format from pre-escaped parts: a template per option was
# most of the heaviest step's time (about 100 options).
_OPTION = (
    '<div class="form-check{hidden}"><input type="{input_type}" class="form-check-input{invalid}" '
    'name="{name}" value="{value}" id="{id}"{checked}>'
    '<label class="form-check-label" for="{id}">{label}</label></div>'
)


def _question(version: str, question_id: str) -> Question:
    return definition_for(version).questions[question_id]


@cache
def _escaped_choices(
    version: str, question_id: str, language: str | None
) -> tuple[tuple[str, str], ...]:
    """(key, label) pairs of a question, escaped, in one language; a version's labels never
    change."""
    return tuple(
        (escape(choice.key), escape(choice.label))
        for choice in _question(version, question_id).choices
    )


def _picked(value) -> frozenset:
    return frozenset(value) if isinstance(value, list | tuple) else frozenset([value])


def _options_html(
    question: Question,
    *,
    input_type: str,
    picked: frozenset,
    name: str,
    auto_id: str,
    invalid: bool,
    offered: frozenset | None = None,
) -> str:
    """The options; with `offered` (a question answered from earlier picks), the others start
    hidden for followups.js to manage (shown without JavaScript: static/screening/noscript.css)."""
    name, base_id = escape(name), escape(auto_id)
    return mark_safe(
        "".join(
            _OPTION.format(
                hidden=f" {JS_HIDDEN}" if offered is not None and key not in offered else "",
                input_type=input_type,
                invalid=" is-invalid" if invalid else "",
                name=name,
                value=key,
                id=f"{base_id}_{index}",
                label=label,
                checked=" checked" if question.choices[index].key in picked else "",
            )
            for index, (key, label) in enumerate(
                _escaped_choices(question.version, question.id, get_language())
            )
        )
    )


CHOOSE_ALL = _("Choose all that apply.")


@cache
def _says_choose_all(version: str, question_id: str) -> bool:
    """Whether a question's own words already say "Choose all that apply" (in English, the
    source every translation follows)."""
    with override("en"):
        return "choose all that apply" in str(_question(version, question_id).label).lower()


def _hint(question: Question) -> str:
    """The question's hint: "Choose all that apply." first on every question with tick boxes
    whose own words don't say it, then its help text."""
    parts = []
    if question.kind is Kind.MULTI and not _says_choose_all(question.version, question.id):
        parts.append(str(CHOOSE_ALL))
    if question.help_text:
        parts.append(str(question.help_text))
    return " ".join(parts)


def _described_by(question: Question, auto_id: str, has_errors: bool) -> str:
    """The ids of the help text and the error that describe a question's control."""
    return " ".join(
        ([f"{auto_id}_helptext"] if (_hint(question) or question.show_if) else [])
        + ([f"{auto_id}_error"] if has_errors else [])
    )


def _render(
    question: Question,
    *,
    name: str,
    auto_id: str,
    errors,
    control="",
    input_type=None,
    checkbox=False,
    checked=False,
    grouped=False,
    applies=True,
) -> str:
    help_id, error_id = f"{auto_id}_helptext", f"{auto_id}_error"
    described_by = _described_by(question, auto_id, bool(errors))
    return get_template(TEMPLATE).render(
        {
            "name": name,
            "id": auto_id,
            "label": question.label,
            "control": control,
            "optional": not question.required and not question.checkbox,
            "help_text": _hint(question),
            "condition_text": question.condition_text,
            "help_id": help_id,
            "error_id": error_id,
            "errors": errors,
            "described_by": described_by,
            # A return visit's question (OnVisit) is decided by the server, never by the page.
            "show_if": json.dumps(question.show_if.as_json())
            if question.show_if and not isinstance(question.show_if, OnVisit)
            else "",
            "among": question.among or "",
            "input_type": input_type,
            "checkbox": checkbox,
            "checked": checked,
            "grouped": grouped,
            "hidden_class": "" if applies else JS_HIDDEN,
        }
    )


@lru_cache(maxsize=4096)
def _choice_question_html(
    version: str,
    question_id: str,
    language: str | None,
    input_type: str,
    picked: frozenset,
    name: str,
    auto_id: str,
    applies: bool,
    offered: frozenset | None,
) -> str:
    """A choice question without errors: the same few answers give the same markup, so it is
    rendered once per language and answer (the heaviest step is mostly such questions)."""
    question = _question(version, question_id)
    control = _options_html(
        question,
        input_type=input_type,
        picked=picked,
        name=name,
        auto_id=auto_id,
        invalid=False,
        offered=offered,
    )
    return _render(
        question,
        name=name,
        auto_id=auto_id,
        errors=(),
        control=control,
        input_type=input_type,
        grouped=True,
        applies=applies,
    )


def first_control_id(bound) -> str:
    """The id of the control an error summary link jumps to."""
    widget = bound.field.widget
    if isinstance(widget, DateOfBirthWidget):  # its first part in the language's order
        return f"{bound.auto_id}_{DATE_PARTS.index(date_part_order()[0])}"
    if type(widget) in _GROUP_INPUT_TYPES or isinstance(widget, _PART_WIDGETS):
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
        widget, errors = bound.field.widget, bound.errors
        names = {"name": bound.html_name, "auto_id": bound.auto_id}
        applies = form.applies(question.id)
        input_type = _GROUP_INPUT_TYPES.get(type(widget))
        if input_type is not None:
            picked = _picked(bound.value())
            offered = form.offered(question)
            # The cache holds the version's words: a question worded for a visit ("Since your
            # treatment here on March 3") is rendered as it is.
            as_written = str(question.label) == str(_question(question.version, question.id).label)
            if not errors and as_written and picked <= frozenset(question.choice_keys) | {None}:
                return _choice_question_html(
                    question.version,
                    question.id,
                    get_language(),
                    input_type,
                    picked,
                    applies=applies,
                    offered=offered,
                    **names,
                )
            control = _options_html(
                question,
                input_type=input_type,
                picked=picked,
                invalid=bool(errors),
                offered=offered,
                **names,
            )
            return _render(
                question,
                errors=errors,
                control=control,
                input_type=input_type,
                grouped=True,
                applies=applies,
                **names,
            )
        if isinstance(widget, YesCheckboxInput):
            return _render(
                question,
                errors=errors,
                checkbox=True,
                checked=bound.value() == "yes",
                applies=applies,
                **names,
            )
        if isinstance(widget, _PART_WIDGETS):
            # The fieldset carries the description; the widget's template labels each part.
            attrs = {"aria-invalid": "true"} if errors else None
            return _render(
                question,
                errors=errors,
                control=bound.as_widget(attrs=attrs),
                grouped=True,
                applies=applies,
                **names,
            )
        attrs = {"class": "form-control" + (" is-invalid" if errors else "")}
        described_by = _described_by(question, bound.auto_id, bool(errors))
        if described_by:
            attrs["aria-describedby"] = described_by
        if errors:
            attrs["aria-invalid"] = "true"
        return _render(
            question,
            errors=errors,
            control=bound.as_widget(attrs=attrs),
            applies=applies,
            **names,
        )


class FollowupGroup(LayoutObject):
    """The follow-ups of a parent with many (its `followups_heading`): one titled group, so that
    without JavaScript, where every follow-up shows, the list has a visible structure. The group
    starts hidden, like its follow-ups, when none of them applies."""

    def __init__(self, parent: Question, followups: list[Question]):
        self.parent = parent
        self.questions = [QuestionLayout(question) for question in followups]
        self.fields = [question.id for question in followups]

    def render(self, form, context, template_pack=None, **kwargs):
        return get_template(GROUP_TEMPLATE).render(
            {
                "id": f"group_{self.parent.id}",
                "heading": self.parent.followups_heading,
                "hidden_class": "" if any(map(form.applies, self.fields)) else JS_HIDDEN,
                "questions": mark_safe(
                    "".join(item.render(form, context, template_pack) for item in self.questions)
                ),
            }
        )
