"""A date as people read it ("March 27, 2009"), in the active language: `date_format`'s result,
without its cost on every call.

Django's `date_format(day, "DATE_FORMAT")` looks the language's format up and then interprets it
character by character, about 50 µs a call; the flag engine quotes a date of birth in a flag,
and the review page and exports show dates too. The format of a language is compiled once into
twelve `str.format` templates, one per month, with the month names already in them (Django's
own translated names, so a new language needs nothing here); a call fills in the day and the
year. Only the language's format is cached, never a date: no patient data is kept.

A format that uses anything beyond the day, month and year (a weekday, an ordinal suffix) is
left to `date_format` itself, so the result is always Django's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.signals import setting_changed
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A date in words as the patient's language writes it, with the month's full name: shown beside
# the date-of-birth boxes ("April 12, 1991", "12 de abril de 1991"), so that a date typed in the
# wrong order is seen before moving on. static/screening/dates.js fills in the same pattern.
DATE_IN_WORDS = _("%(month)s %(day)s, %(year)s")

# Format characters that depend on the month alone: rendered once per month and language.
_MONTH_CHARACTERS = frozenset("bEFMNmn")
# The day and the year, filled in on every call (as Django's DateFormat renders them).
_DAY_AND_YEAR = {"d": "{d}", "j": "{j}", "Y": "{Y}", "y": "{y}"}

# language -> (its DATE_FORMAT, the twelve templates or None when the format needs Django's
# dateformat). Emptied whenever a setting changes (formats and translations follow settings).
_templates: dict[str | None, tuple[str, tuple[str, ...] | None]] = {}


def compile_date_format(format_string: str) -> tuple[str, ...] | None:
    """Twelve `str.format` templates (January first) that render `format_string` in the active
    language, or None when the format uses a character other than day, month and year."""
    pieces = dateformat.re_formatchars.split(format_string)
    templates = []
    for month in range(1, 13):
        first_of_month = dateformat.DateFormat(date(2000, month, 1))
        template = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:  # literal text, with Django's backslash escapes
                text = dateformat.re_escaped.sub(r"\1", piece)
            elif piece in _DAY_AND_YEAR:
                template.append(_DAY_AND_YEAR[piece])
                continue
            elif piece in _MONTH_CHARACTERS:
                text = str(getattr(first_of_month, piece)())
            else:
                return None
            template.append(text.replace("{", "{{").replace("}", "}}"))
        templates.append("".join(template))
    return tuple(templates)


def display_date(day: date) -> str:
    """`date_format(day, "DATE_FORMAT")`, exactly, in the active language."""
    language = get_language()
    try:
        format_string, templates = _templates[language]
    except KeyError:
        format_string = get_format("DATE_FORMAT", language)
        templates = compile_date_format(format_string)
        _templates[language] = (format_string, templates)
    if templates is None:  # what date_format(day, "DATE_FORMAT") does
        return dateformat.format(day, format_string)
    year = day.year
    return templates[day.month - 1].format(
        d=f"{day.day:02d}", j=day.day, Y=f"{year:04d}", y=f"{year % 100:02d}"
    )


def date_in_words(day: date) -> str:
    """The date with the month's full name, in the active language ("April 12, 1991")."""
    return str(DATE_IN_WORDS) % {"month": MONTHS[day.month], "day": day.day, "year": day.year}


# A month and a year ("June 2027", "junio de 2027"), and a moment in an email ("June 9, 2027 at
# 5:37 AM (EDT)", "9 de junio de 2027 a las 5:37 a. m. (EDT)"): the time zone named, the hour as
# the language writes it, and no abbreviation's period before the sentence's own.
MONTH_YEAR_IN_WORDS = _("%(month)s %(year)s")
MOMENT_IN_WORDS = _("%(date)s at %(time)s (%(zone)s)")
BEFORE_NOON, AFTER_NOON = _("AM"), _("PM")


# A day of the year without the year ("March 3", "3 de marzo"): a re-screen's dates, which lie
# within the last months ("Since your treatment here on March 3").
MONTH_DAY_IN_WORDS = _("%(month)s %(day)s")


def month_day_in_words(day: date) -> str:
    return str(MONTH_DAY_IN_WORDS) % {"month": MONTHS[day.month], "day": day.day}


def month_year_in_words(year: int, month: int) -> str:
    return str(MONTH_YEAR_IN_WORDS) % {"month": MONTHS[month], "year": year}


def moment_in_words(moment: datetime) -> str:
    """A local moment (an aware datetime in the clinic's time zone) in words, for emails."""
    hour = moment.hour % 12 or 12
    half = BEFORE_NOON if moment.hour < 12 else AFTER_NOON
    return str(MOMENT_IN_WORDS) % {
        "date": date_in_words(moment.date()),
        "time": f"{hour}:{moment.minute:02d} {half}",
        "zone": moment.tzname() or "",
    }


# A stored moment may sit at either end of what Python holds (year 1 or 9999: entered before the
# forms checked the range, or read so from PostgreSQL by clinic.database). Moving it to the
# clinic's zone or adding hours to it would overflow; the helpers below stop at the ends instead,
# so that a page listing it still answers.
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def clinic_time(moment: datetime) -> datetime:
    """`moment` in the clinic's time zone; in UTC when the move would leave Python's range."""
    try:
        return timezone.localtime(moment)
    except OverflowError:
        return moment


def shifted(moment: datetime, delta: timedelta) -> datetime:
    """`moment + delta`, held at the first or last moment Python holds."""
    try:
        return moment + delta
    except OverflowError:
        return LATEST if delta > timedelta(0) else EARLIEST


def _forget_formats(**kwargs) -> None:
    # A test that changes the languages, formats or translations must see them at once.
    _templates.clear()


setting_changed.connect(_forget_formats)
