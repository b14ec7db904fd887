"""`{{ moment|clinic_date:"Y-m-d H:i" }}`: Django's `date` filter, in the clinic's time zone,
that still answers for a stored moment at the edge of the calendar (shown in UTC then), where
`date` itself raises and takes the page down with it."""

from django import template
from django.template.defaultfilters import date as date_filter

from screening.questionnaire.date_display import clinic_time

register = template.Library()


@register.filter(expects_localtime=False, is_safe=False)
def clinic_date(value, format_string=None):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = clinic_time(value)
    return date_filter(value, format_string)
