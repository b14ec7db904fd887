"""One entry per question kind: how an answer is parsed, shown to people, and asked in a form.

`ANSWER_TYPES` is the table that validation, the step forms, the review page, the admin and the
exports all read, so that a kind of question is described once instead of in an if/elif per user.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from screening.questionnaire import (
    CONTACT_MAX_LENGTHS,
    EXCLUSIVE_KEYS,
    UNKNOWN,
    Kind,
    Question,
    Timing,
    definition_for,
)
from screening.questionnaire.date_display import (
    DATE_IN_WORDS,
    date_in_words,
    display_date,
    month_year_in_words,
)
from screening.questionnaire.text_policy import has_refused_characters, is_phone_number
from screening.questionnaire.visit_labels import label_for_visit

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000
OLDEST_AGE_YEARS = 120
EARLIEST_YEAR = 1900

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_US_MONTH = re.compile(r"(\d{1,2})\s*/\s*(\d{4})")


class AnswerError(Exception):
    """An answer a patient needs to correct; the message is shown next to the question."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Every message a kind can give besides "required", by error code: (the v2 wording, built on the
# question's written short label as GOV.UK's error messages are -- "Last dose can't be in the
# future" --, the general wording v1's questions keep). A code whose v2 wording is None repeats
# the question's written required message: a choice that is not offered is fixed by choosing.
MESSAGES: dict[str, tuple[Promise | None, Promise]] = {
    "not_text": (_("%(name)s must be written as text."), _("Please enter this as text.")),
    "characters": (
        _("%(name)s must not contain special or invisible characters. Please remove them."),
        _("Please remove special or invisible characters from this answer."),
    ),
    "too_long": (
        _("%(name)s must be %(limit)s characters or fewer. It has %(count)s."),
        _("Please shorten this answer to %(limit)s characters or fewer (it has %(count)s)."),
    ),
    "email": (
        _("Enter an email address in the correct format, like name@example.com."),
        _("Enter an email address like name@example.com."),
    ),
    "phone": (
        _("Enter a phone number using digits, like (555) 010-0123 or +1 555 010 0123."),
        _("Enter a phone number using digits, like (555) 010-0123 or +1 555 010 0123."),
    ),
    "date_parts_missing": (
        _("%(name)s must include a day, a month and a year."),
        _("Enter the day, the month and the year."),
    ),
    "day_missing": (
        _("%(name)s must include a day, as a number from 1 to 31."),
        _("Enter the day, as a number from 1 to 31."),
    ),
    "birth_year_missing": (
        _("%(name)s must include a year, with 4 digits, for example 1984."),
        _("Enter the year, with 4 digits, for example 1984."),
    ),
    "day_invalid": (
        _("The day must be a number from 1 to 31."),
        _("The day must be a number from 1 to 31."),
    ),
    "birth_year_invalid": (
        _("The year must have 4 digits, for example 1984."),
        _("The year must have 4 digits, for example 1984."),
    ),
    "no_such_day": (
        _("Enter a real date: %(month)s has fewer than %(day)s days."),
        _("Enter a real date: %(month)s has fewer than %(day)s days."),
    ),
    "not_a_date": (
        _("%(name)s must be a real date."),
        _("Enter a real date."),
    ),
    "date_in_future": (_("%(name)s must be in the past."), _("This date can't be in the future.")),
    "date_in_past": (
        _("%(name)s must be today or later."),
        _("This date can't be in the past."),
    ),
    "too_old": (
        _("%(name)s must be less than 120 years ago. Please check the year."),
        _("Please check the year: this date is more than 120 years ago."),
    ),
    "month_missing": (
        _("%(name)s must include a month. Choose it from the list."),
        _("Choose the month from the list."),
    ),
    "year_missing": (
        _("%(name)s must include a year, with 4 digits, for example 2024."),
        _("Enter the year, with 4 digits, for example 2024."),
    ),
    "year_invalid": (
        _("%(name)s must have a year with 4 digits, for example 2024."),
        _("The year must have 4 digits, for example 2024."),
    ),
    "not_a_month": (
        _("%(name)s must be a real month and year, for example March 2024."),
        _("Choose the month and enter the year, for example March 2024."),
    ),
    "year_out_of_range": (
        _("%(name)s must be between %(earliest)s and %(latest)s."),
        _("Please check the year."),
    ),
    "month_in_future": (
        _("%(name)s can't be in the future."),
        _("This month can't be in the future."),
    ),
    "month_in_past": (_("%(name)s can't be in the past."), _("This month can't be in the past.")),
    "not_a_number": (_("%(name)s must be a number."), _("Enter a number.")),
    "number_too_big": (_("%(name)s must be a smaller number."), _("Enter a smaller number.")),
    "choice_not_offered": (None, _("Please choose one of the answers shown.")),
    "must_tick": (None, _("Please check this box to continue.")),
    "choices_not_offered": (None, _("Please choose from the answers shown.")),
    "exclusive": (
        _("“%(choice)s” can't be combined with other answers. Uncheck it, or uncheck the others."),
        _("“%(choice)s” can't be combined with other answers. Uncheck it, or uncheck the others."),
    ),
}


def message(question: Question | None, code: str, **params) -> str:
    """The message for error `code` on `question`: v2's, written around the question's short
    label (or its required message), else the general wording (v1, or no question at all)."""
    written, general = MESSAGES[code]
    if question is not None and question.short_label:
        if written is None:
            return str(question.required_message)
        return written % {"name": question.short_label, **params}
    return general % params


def answer_error(question: Question | None, code: str, **params) -> AnswerError:
    return AnswerError(message(question, code, **params))


def _require_str(question: Question, raw) -> str:
    if not isinstance(raw, str):
        raise answer_error(question, "not_text")
    return raw


def text_limit(question: Question) -> int:
    """The most characters an answer may have.

    A contact answer is also a `Submission` column: the column's length is the one limit, so an
    answer validation accepts always fits the database.
    """
    column = CONTACT_MAX_LENGTHS.get(question.id)
    return column or question.max_length or (LONG_TEXT_MAX if question.long else SHORT_TEXT_MAX)


def _clean_text(question: Question, raw) -> str:
    text = _require_str(question, raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not question.long:
        # NFC: a name typed on two keyboards is stored (and searched) the same way. Long text
        # is kept exactly as typed: nobody searches it, and the patient's words are the record.
        text = unicodedata.normalize("NFC", text)
    if has_refused_characters(text, long=question.long):
        raise answer_error(question, "characters")
    limit = text_limit(question)
    if len(text) > limit:
        raise answer_error(question, "too_long", limit=limit, count=len(text))
    return text


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Form widgets and fields ------------------------------------------------------------------


class YesCheckboxInput(forms.CheckboxInput):
    """A tick box that always posts "yes" when ticked, whatever the stored value."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: value == "yes")

    def format_value(self, value):
        return "yes"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


def _parts_from_datadict(widget: forms.MultiWidget, data, name: str) -> dict | str | None:
    """The posted parts of a date, by part name; a value posted under the question's own name
    (an ISO string from a client that posts answers whole) is handed on as it is."""
    if name in data and not any(f"{name}_{part}" in data for part in widget.parts):
        return data.get(name)
    return {part: data.get(f"{name}_{part}", "") for part in widget.parts}


def date_part_order() -> tuple[str, ...]:
    """The order of a date's day, month and year boxes in the active language (the setting
    SCREENING_DATE_PART_ORDER): month first for US English, day first for Spanish."""
    orders = settings.SCREENING_DATE_PART_ORDER
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return tuple(orders.get(language) or orders.get(settings.LANGUAGE_CODE) or DATE_PARTS)


DATE_PARTS = ("day", "month", "year")


class DateOfBirthWidget(forms.MultiWidget):
    """Day and year boxes and a month list (the GOV.UK pattern for a date people remember, with
    the month named so that no order can be misread), in the order of the patient's language,
    and the date shown back in words once it is whole: the same in every browser, no picker
    opening at today, each part labelled and checked on its own."""

    template_name = "screening/widgets/date_parts.html"
    parts = DATE_PARTS
    labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}

    def __init__(self):
        def box(autocomplete, maxlength, css):
            return forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": autocomplete,
                    "maxlength": maxlength,
                    "class": f"form-control {css}",
                }
            )

        super().__init__(
            {
                "day": box("bday-day", 2, "date-part-2"),
                "month": forms.Select(
                    choices=_month_choices(),
                    attrs={"autocomplete": "bday-month", "class": "form-select month-part"},
                ),
                "year": box("bday-year", 4, "date-part-4"),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        by_part = dict(zip(self.parts, context["widget"]["subwidgets"], strict=True))
        for part, subwidget in by_part.items():
            subwidget["part"], subwidget["label"] = part, self.labels[part]
        context["widget"]["subwidgets"] = [by_part[part] for part in date_part_order()]
        context["widget"]["in_words"] = self.in_words(value)
        context["widget"]["words_pattern"] = str(DATE_IN_WORDS)
        return context

    def in_words(self, value) -> str:
        """The date the boxes hold, in words; empty while it is not a whole, real date."""
        day, month, year = self.decompress(value)
        try:
            return date_in_words(
                date.fromisoformat(iso_from_date_parts({"day": day, "month": month, "year": year}))
            )
        except (AnswerError, ValueError):
            return ""

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get(part, "") for part in self.parts]
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            year, month, day = value.split("-")
            return [day.lstrip("0"), month.lstrip("0"), year]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        return _parts_from_datadict(self, data, name)


def _month_choices():
    return [("", _("Month")), *((str(number), name) for number, name in MONTHS.items())]


class MonthYearWidget(forms.MultiWidget):
    """A month list and a year box, plus an "I don't remember" tick box where the question
    allows it: the same in every browser and language (no "--------- ----" month input)."""

    template_name = "screening/widgets/month_year.html"
    parts = ("month", "year")

    def __init__(self, allow_unknown: bool):
        widgets = {
            "month": forms.Select(
                choices=_month_choices(), attrs={"class": "form-select month-part"}
            ),
            "year": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 4, "class": "form-control date-part-4"}
            ),
        }
        if allow_unknown:
            widgets["unknown"] = forms.CheckboxInput(attrs={"class": "form-check-input"})
        super().__init__(widgets)

    def decompress(self, value):
        if value == UNKNOWN:
            return ["", "", True]
        if isinstance(value, dict):
            return [value.get("month", ""), value.get("year", ""), False]
        match = _ISO_MONTH.fullmatch(value) if isinstance(value, str) else None
        if match:
            return [str(int(match[2])), match[1], False]
        return ["", "", False]

    def value_from_datadict(self, data, files, name):
        if data.get(f"{name}_unknown"):
            return UNKNOWN
        return _parts_from_datadict(self, data, name)


class RawField(forms.Field):
    """Hands the posted value through untouched: `validation.validate_answers` judges it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return value


class CheckboxYesNoField(RawField):
    def to_python(self, value):
        return value if value else "no"


def _choices_of(question: Question):
    return [(choice.key, choice.label) for choice in question.choices]


# --- The kinds ----------------------------------------------------------------------------------


class AnswerType:
    """Base of every kind: parse an answer, show it, ask it."""

    required_message = _("Please answer this question.")

    def required_message_for(self, question: Question):
        """What to tell a patient who left this required question empty: the question's own
        words where the questionnaire has them, else the kind's."""
        return question.required_message or self.required_message

    def parse(self, question: Question, raw, today: date):
        raise NotImplementedError

    def display(self, question: Question, value) -> str:
        return str(value)

    def form_field(self, question: Question) -> forms.Field:
        raise NotImplementedError


class TextType(AnswerType):
    required_message = _("Please write your answer.")
    input_type = "text"
    autocomplete = {
        "first_name": "given-name",
        "last_name": "family-name",
        "preferred_name": "nickname",
    }

    def parse(self, question, raw, today):
        return _clean_text(question, raw)

    def form_field(self, question):
        if question.long:
            widget = forms.Textarea(attrs={"rows": 4, "maxlength": LONG_TEXT_MAX})
        else:
            attrs = {"type": self.input_type, "maxlength": text_limit(question)}
            if question.id in self.autocomplete:
                attrs["autocomplete"] = self.autocomplete[question.id]
            widget = forms.TextInput(attrs=attrs)
        return RawField(widget=widget)


class EmailType(TextType):
    input_type = "email"

    def parse(self, question, raw, today):
        text = _clean_text(question, raw)
        try:
            validate_email(text)
        except ValidationError:
            raise answer_error(question, "email") from None
        return text

    def form_field(self, question):
        return RawField(
            widget=forms.EmailInput(
                attrs={"autocomplete": "email", "maxlength": text_limit(question)}
            )
        )


class PhoneType(TextType):
    def parse(self, question, raw, today):
        text = _clean_text(question, raw)
        if not is_phone_number(text):
            raise answer_error(question, "phone")
        return text

    def form_field(self, question):
        return RawField(
            widget=forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "maxlength": text_limit(question)}
            )
        )


def _part_number(raw, low: int, high: int) -> int | None:
    text = raw.strip() if isinstance(raw, str) else ""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


# The month is a named list: a missing or unknown one is chosen from it.
_MISSING_DATE_PART = {
    "day": "day_missing",
    "month": "month_missing",
    "year": "birth_year_missing",
}


def iso_from_date_parts(parts: dict, question: Question | None = None) -> str:
    """ "YYYY-MM-DD" from day, month and year boxes, or the error that names the wrong part."""
    missing = [part for part in ("day", "month", "year") if not str(parts.get(part) or "").strip()]
    if len(missing) > 1:
        raise answer_error(question, "date_parts_missing")
    if missing:
        raise answer_error(question, _MISSING_DATE_PART[missing[0]])
    day = _part_number(parts["day"], 1, 31)
    if day is None:
        raise answer_error(question, "day_invalid")
    month = _part_number(parts["month"], 1, 12)
    if month is None:
        raise answer_error(question, "month_missing")
    year_text = str(parts["year"]).strip()
    if not (len(year_text) == 4 and year_text.isdigit()):
        raise answer_error(question, "birth_year_invalid")
    try:
        return date(int(year_text), month, day).isoformat()
    except ValueError:
        raise answer_error(question, "no_such_day", month=MONTHS[month], day=day) from None


class DateType(AnswerType):
    required_message = _("Enter your date of birth, for example 27 3 1984.")

    def parse(self, question, raw, today):
        if isinstance(raw, dict):
            raw = iso_from_date_parts(raw, question)
        text = _require_str(question, raw).strip()
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            raise answer_error(question, "not_a_date") from None
        if question.timing is Timing.PAST and day > today:
            raise answer_error(question, "date_in_future")
        if question.timing is Timing.FUTURE and day < today:
            raise answer_error(question, "date_in_past")
        if question.id == "date_of_birth" and day < _years_before(today, OLDEST_AGE_YEARS):
            raise answer_error(question, "too_old")
        return day.isoformat()

    def display(self, question, value):
        return display_date(date.fromisoformat(value))

    def form_field(self, question):
        return RawField(widget=DateOfBirthWidget())


def _iso_month_from_parts(question: Question, parts: dict) -> str:
    """ "YYYY-MM" from the month list and the year box, or the error that names the wrong part."""
    month_text = str(parts.get("month") or "").strip()
    year_text = str(parts.get("year") or "").strip()
    if not month_text and not year_text:
        return ""
    if not month_text:
        raise answer_error(question, "month_missing")
    if not year_text:
        raise answer_error(question, "year_missing")
    if not (len(year_text) == 4 and year_text.isdigit()):
        raise answer_error(question, "year_invalid")
    month = _part_number(month_text, 1, 12)
    if month is None:
        raise answer_error(question, "month_missing")
    return f"{year_text}-{month:02d}"


class MonthYearType(AnswerType):
    required_message = _("Choose the month and enter the year.")

    def parse(self, question, raw, today):
        if isinstance(raw, dict):
            raw = _iso_month_from_parts(question, raw)
        text = _require_str(question, raw).strip()
        if text.lower() == UNKNOWN:
            if question.allow_unknown:
                return UNKNOWN
            raise answer_error(question, "not_a_month")
        match = _ISO_MONTH.fullmatch(text)
        year_month = (int(match[1]), int(match[2])) if match else None
        if not match and (us := _US_MONTH.fullmatch(text)):
            year_month = (int(us[2]), int(us[1]))
        if year_month is None or not 1 <= year_month[1] <= 12:
            raise answer_error(question, "not_a_month")
        year, month = year_month
        latest = today.year + 10
        if year < EARLIEST_YEAR or year > latest:
            raise answer_error(question, "year_out_of_range", earliest=EARLIEST_YEAR, latest=latest)
        if question.timing is Timing.PAST and (year, month) > (today.year, today.month):
            raise answer_error(question, "month_in_future")
        if question.timing is Timing.FUTURE and (year, month) < (today.year, today.month):
            raise answer_error(question, "month_in_past")
        return f"{year:04d}-{month:02d}"

    def display(self, question, value):
        if value == UNKNOWN:
            return gettext("I don't remember")
        year, month = (int(part) for part in value.split("-"))
        return month_year_in_words(year, month)

    def form_field(self, question):
        return RawField(widget=MonthYearWidget(allow_unknown=question.allow_unknown))


class NumberType(AnswerType):
    limit = 1_000_000

    def parse(self, question, raw, today):
        if isinstance(raw, bool):
            raise answer_error(question, "not_a_number")
        try:
            number = float(raw) if isinstance(raw, str) and "." in raw else int(raw)
        except (TypeError, ValueError, OverflowError):
            raise answer_error(question, "not_a_number") from None
        if not -self.limit < number < self.limit or number != number:
            raise answer_error(question, "number_too_big")
        return number

    def form_field(self, question):
        return RawField(widget=forms.NumberInput())


class ChoiceType(AnswerType):
    """yes_no, yes_no_unsure and single: one choice key."""

    required_message = _("Please choose an answer.")

    def parse(self, question, raw, today):
        if not isinstance(raw, str) or raw not in question.choice_keys:
            raise answer_error(question, "choice_not_offered")
        if question.checkbox and question.required and raw != "yes":
            raise AnswerError(question.required_message or message(question, "must_tick"))
        return raw

    def display(self, question, value):
        return str(question.choice_label(value))

    def form_field(self, question):
        if question.checkbox:
            return CheckboxYesNoField(widget=YesCheckboxInput())
        return RawField(widget=forms.RadioSelect(choices=_choices_of(question)))


class MultiType(AnswerType):
    required_message = _("Please choose at least one answer.")
    required_message_with_none = _("Please choose at least one answer, or “%(none)s”.")

    def required_message_for(self, question):
        if question.required_message:
            return question.required_message
        # Only questions with a "none" choice can point to it, by its own words: a patient
        # with nothing to report then knows which answer says so.
        if "none" in question.choice_keys:
            return self.required_message_with_none % {"none": question.choice_label("none")}
        return self.required_message

    def parse(self, question, raw, today):
        if not isinstance(raw, list) or not all(isinstance(key, str) for key in raw):
            raise answer_error(question, "choices_not_offered")
        if any(key not in question.choice_keys for key in raw) or len(set(raw)) != len(raw):
            raise answer_error(question, "choices_not_offered")
        exclusive = [key for key in raw if key in EXCLUSIVE_KEYS]
        if exclusive and len(raw) > 1:
            raise answer_error(question, "exclusive", choice=question.choice_label(exclusive[0]))
        # Stored in the questionnaire's order, whatever order the browser sent.
        return [key for key in question.choice_keys if key in raw]

    def display(self, question, value):
        return "; ".join(str(question.choice_label(key)) for key in value)

    def form_field(self, question):
        return RawField(widget=forms.CheckboxSelectMultiple(choices=_choices_of(question)))


_TEXT = TextType()
_CHOICE = ChoiceType()

ANSWER_TYPES: dict[Kind, AnswerType] = {
    Kind.TEXT: _TEXT,
    Kind.EMAIL: EmailType(),
    Kind.PHONE: PhoneType(),
    Kind.DATE: DateType(),
    Kind.MONTH_YEAR: MonthYearType(),
    Kind.NUMBER: NumberType(),
    Kind.YES_NO: _CHOICE,
    Kind.YES_NO_UNSURE: _CHOICE,
    Kind.SINGLE: _CHOICE,
    Kind.MULTI: MultiType(),
}


def display_answer(question: Question, value) -> str:
    """The answer as the patient saw it (choice labels, not keys)."""
    try:
        return ANSWER_TYPES[question.kind].display(question, value)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):  # malformed, old data
        return str(value)


def answers_by_section(
    answers: dict,
    flagged_ids=frozenset(),
    *,
    version: str,
    include_unanswered: bool = False,
    visit=None,
) -> list[dict]:
    """Every answer by section, as the patient saw the question and choice of `version` (the
    questionnaire version they answered): for the review page, the provider's submission page
    and the print view.

    With `include_unanswered` (the patient's review page), an optional question the patient was
    shown and left empty is a row too, marked `answered: False`; the questions asked at the
    review itself (declaration, privacy acknowledgement) are left to the review's form.
    A re-screen's questions name their dates (`visit_labels.label_for_visit`): `visit` is the
    submission's `Visit`; without it the dates are "…".
    """

    def listed(question) -> bool:
        if question.id in answers:
            return not (include_unanswered and question.asked_at_review)
        return (
            include_unanswered
            and not question.required
            and not question.asked_at_review
            and question.is_shown(answers)
        )

    return [
        {
            "section": section,
            "title": section.title,
            "rows": [
                {
                    "question": label_for_visit(question, visit)
                    if "%(" in str(question.label)
                    else question.label,
                    "question_id": question.id,
                    "answered": question.id in answers,
                    "answer": display_answer(question, answers[question.id])
                    if question.id in answers
                    else gettext("Not answered"),
                    "flagged": question.id in flagged_ids,
                }
                for question in section.questions
                if listed(question)
            ],
        }
        for section in definition_for(version).sections
    ]
