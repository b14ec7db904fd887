"""A form field that people never see and bots fill in: a filled one drops the POST silently.

The field sits off-screen (the `hp-field` class in site.css) inside an aria-hidden container,
out of the tab order and with autocomplete off, so neither a person, a screen reader nor a
browser's autofill meets it; its label tells anyone who does to leave it empty. A step POST that
fills it gets the redirect a success gets, and nothing is saved, so a bot learns nothing.
"""

import logging

from crispy_forms.layout import Div, Field
from django import forms
from django.utils.translation import gettext_lazy as _

FIELD_NAME = "website"
CSS_CLASS = "hp-field"

logger = logging.getLogger(__name__)


def form_field() -> forms.Field:
    return forms.CharField(
        required=False,
        label=_("Website (leave this empty)"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def layout() -> Div:
    """The field in its hidden container, for a crispy layout."""
    return Div(Field(FIELD_NAME), css_class=CSS_CLASS, aria_hidden="true")


def is_filled(data) -> bool:
    """True when the posted data fills the honeypot: a bot, not a person."""
    filled = any(value.strip() for value in data.getlist(FIELD_NAME))
    if filled:
        logger.info("Honeypot field filled in; the POST was dropped.")
    return filled
