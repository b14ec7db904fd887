"""Questionnaire version 2027.02: v3 (2027.01) for a first visit, plus 7 questions of a re-screen.

A first visit is asked exactly what 2027.01 asks: every kept question is 2027.01's, unchanged.
The 7 new ids are asked only on a return visit (their `show_if` reads the `Visit`, never an
answer), in the section `since_last`, which a first visit never shows
(`Definition.first_visit_sections`):

- `last_session_problems` (a gateway, as in v3: "None of these" exclusive, "I'm not sure about
  one of these" opening `last_session_problems_unsure`, the items behind PRIORITY flags first),
  asked when the clinic treated the patient since the previous form; its follow-ups
  `last_session_still_now` and `last_session_seen_for_it`;
- `last_session_result_view`, on a new consultation after a treatment here;
- `since_last_treatments`, on every re-screen;
- `since_last_medicines`, when the previous submission answered `medicines_any`.

Labels holding `%(treatment_date)s` or `%(form_date)s` are filled for the patient's visit by
`visit_labels.label_for_visit` (dates written like "March 3" in the patient's language).
The rules 2027.02.1 read the new ids (flags/catalogue.py). Once patients have answered it, this
module is frozen like the earlier versions.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from screening.questionnaire import v2027_01 as v3
from screening.questionnaire.model import (
    Definition,
    Kind,
    Section,
    choices,
    picked,
    question,
    section,
)
from screening.questionnaire.visit import on_visit

VERSION = "2027.02"

# The course of the last treatment here, PRIORITY items first (scarring, light patches,
# infection, cold sore), as the contract orders them.
COURSE_ITEMS = (
    ("scar", _("A scar, or skin that got thick, raised or hard")),
    ("light_patches", _("Light or white patches")),
    ("infection", _("Signs of infection, such as pus, or pain or redness that got worse")),
    ("cold_sore", _("A cold sore, or a group of small blisters or sores")),
    ("slow_healing", _("Raw, blistered or crusted skin for longer than you were told")),
    ("dark_patches", _("Dark or brown patches")),
    ("long_redness", _("Redness or swelling for longer than you were told")),
    ("rash_itch", _("An itchy rash, or a reaction to a cream or medicine")),
    ("bumps_acne", _("Tiny white bumps or acne")),
)
COURSE_ITEM_KEYS = tuple(key for key, _label in COURSE_ITEMS)
# The items that can last ("Are any of these still there now?").
LASTING_ITEM_KEYS = ("scar", "light_patches", "dark_patches", "long_redness")

_PROBLEMS, _PROBLEMS_UNSURE = v3._gateway(
    "last_session_problems",
    _(
        "Since your treatment here on %(treatment_date)s, have you had any of these on the "
        "treated skin? Choose all that apply."
    ),
    COURSE_ITEMS,
    short_label=_("Since your last treatment"),
    unsure_label=_("Not sure about: since your last treatment"),
    required_message=_("Choose the ones you had, or “None of these”."),
)
LAST_SESSION_PROBLEMS = replace(_PROBLEMS, show_if=on_visit("treated_here"))
LAST_SESSION_PROBLEMS_UNSURE = _PROBLEMS_UNSURE

# The gateways of this version: v3's and the course of the last treatment.
GATEWAYS = {**v3.GATEWAYS, "last_session_problems": COURSE_ITEMS}

SINCE_LAST_SECTION = section(
    "since_last",
    "since-your-last-visit",
    _("Since your last visit"),
    [
        LAST_SESSION_PROBLEMS,
        LAST_SESSION_PROBLEMS_UNSURE,
        question(
            "last_session_still_now",
            Kind.YES_NO_UNSURE,
            _("Are any of these still there now?"),
            show_if=picked("last_session_problems", *LASTING_ITEM_KEYS),
            short_label=_("Still there now"),
            required_message=_("Choose Yes, No or Not sure."),
        ),
        question(
            "last_session_seen_for_it",
            Kind.SINGLE,
            _("Did a doctor or nurse check any of this, or give you medicine for it?"),
            choices=choices(
                ("yes_here", _("Yes, here")),
                ("yes_elsewhere", _("Yes, somewhere else")),
                ("no", _("No")),
                ("unsure", _("Not sure")),
            ),
            show_if=picked("last_session_problems", *COURSE_ITEM_KEYS),
            short_label=_("Checked or treated"),
            required_message=_("Choose one answer."),
        ),
        question(
            "last_session_result_view",
            Kind.SINGLE,
            _("How do you feel about the results of your treatments here?"),
            choices=choices(
                ("happy", _("Happy with them")),
                ("less_than_hoped", _("Less change than I hoped")),
                ("worse", _("My skin looks worse")),
                ("too_early", _("Too early to tell")),
            ),
            show_if=on_visit("new_consultation_after_treatment"),
            short_label=_("Your results"),
            required_message=_("Choose one answer."),
        ),
        question(
            "since_last_treatments",
            Kind.YES_NO_UNSURE,
            _(
                "Since %(form_date)s, have you had any other skin treatment, filler, Botox or "
                "face surgery, here or anywhere else?"
            ),
            # "other" only beside a treatment here: without one, there is nothing to be other than.
            label_not_treated_here=_(
                "Since %(form_date)s, have you had any skin treatment, filler, Botox or face "
                "surgery, here or anywhere else?"
            ),
            show_if=on_visit("rescreen"),
            short_label=_("Other treatments since"),
            required_message=_("Choose Yes, No or Not sure."),
        ),
        question(
            "since_last_medicines",
            Kind.YES_NO_UNSURE,
            _(
                "Since then, have you started, stopped or changed any medicine, cream or "
                "supplement, even for a short time?"
            ),
            show_if=on_visit("previous_answered", "medicines_any"),
            short_label=_("Medicine changes"),
            required_message=_("Choose Yes, No or Not sure."),
        ),
    ],
)
# The heading the stored medicine list is shown under, above `since_last_medicines`.
MEDICINES_ON_FORM_DATE = _("Your medicines on %(form_date)s:")

# The new ids, in the order they are asked.
NEW_IDS = SINCE_LAST_SECTION.question_ids

SECTIONS: tuple[Section, ...] = (*v3.SECTIONS, SINCE_LAST_SECTION)

DEFINITION = Definition(VERSION, SECTIONS)
