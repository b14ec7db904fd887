"""The one policy for text a person types, patient or staff: which characters a stored value may
hold.

What is refused cannot be seen, or disguises what can be seen, or cannot be stored:

- control characters (C0, DEL, C1: NUL, ESC, BEL ...), except a line break and a tab in long text;
- bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069): "‮evil"
  shows as "live", so a signed name or a patient's name on the queue could read as another;
- in short text (a name, an email, a phone, a signature), format characters (zero-width space,
  byte-order mark: a name holding one is not found by a search) and line or paragraph
  separators. Zero-width non-joiner and joiner stay after a virama, where they are spelling
  (Devanagari, Bengali, Malayalam ...), the exception IDNA makes too (RFC 5892, CONTEXTJ);
- private-use characters (U+E000.., planes 15 and 16), surrogates and noncharacters (U+FFFE,
  U+FFFF, U+FDD0..U+FDEF ...): they show as a box or nothing, and mean something only to the
  software that made them; in short text also code points this Python's Unicode has not
  assigned (long text keeps them: an emoji newer than the server's Unicode is still a patient's
  words);
- more than MAX_COMBINING_RUN combining marks on one character ("Zalgo" text spills over the
  lines above and below it). Spelling needs a few: Vietnamese two, Hebrew pointing three, a
  Tibetan stack four.

The questionnaire's answers (answer_types), the patient's signature and every staff form
(the invitation's details, the decision's notes, accounts, providers) read it from here.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

# Bidirectional embedding/override/isolate characters can disguise text shown to staff.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LONG_TEXT_CONTROLS_ALLOWED = frozenset("\n\t")
_SHORT_TEXT_REFUSED_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})
_ALWAYS_REFUSED_CATEGORIES = frozenset({"Co", "Cs"})  # private use, surrogates
_JOINERS = frozenset("\u200c\u200d")
_VIRAMA = 9  # canonical combining class
MAX_COMBINING_RUN = 5
_PHONE_ALLOWED = re.compile(r"[0-9 +().\-]+")
PHONE_DIGITS = (7, 15)  # E.164 allows 15 digits; no callable number has fewer than 7

STAFF_MESSAGE = (
    "Remove the special or invisible characters (control, direction, private-use or stacked "
    "accent characters) from this text."
)
STAFF_PHONE_MESSAGE = "Enter a phone number using digits, like (555) 010-0123 or +1 555 010 0123."


def _is_noncharacter(character: str) -> bool:
    code = ord(character)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def is_refused_character(character: str, previous: str, *, long: bool) -> bool:
    """Whether `character` (after `previous`) may not be stored in typed text."""
    if character in BIDI_CONTROLS:
        return True
    category = unicodedata.category(character)
    if category == "Cc":
        return not (long and character in _LONG_TEXT_CONTROLS_ALLOWED)
    if category in _ALWAYS_REFUSED_CATEGORIES or _is_noncharacter(character):
        return True
    if category == "Cn":
        return not long
    if character in _JOINERS and unicodedata.combining(previous) == _VIRAMA:
        return False  # spelling, not decoration
    return not long and category in _SHORT_TEXT_REFUSED_CATEGORIES


def has_refused_characters(text: str, *, long: bool = False) -> bool:
    """Whether `text` breaks the policy: a refused character, or too many marks in a row."""
    run = 0
    for previous, character in zip(" " + text, text, strict=False):
        if is_refused_character(character, previous, long=long):
            return True
        run = run + 1 if unicodedata.category(character).startswith("M") else 0
        if run > MAX_COMBINING_RUN:
            return True
    return False


def without_refused_characters(text: str) -> str:
    """`text` without the characters the policy refuses in short text: for what is searched
    for, never stored (a search term), where refusing would only be in the way."""
    return "".join(
        character
        for previous, character in zip(" " + text, text, strict=False)
        if not is_refused_character(character, previous, long=False)
    )


def is_phone_number(text: str) -> bool:
    """Digits with the usual separators (spaces, + ( ) . -), 7 to 15 digits: no letters."""
    digits = sum(character.isdigit() for character in text)
    low, high = PHONE_DIGITS
    return bool(_PHONE_ALLOWED.fullmatch(text)) and low <= digits <= high


def without_nul(value):
    """`value` (text, or lists and dicts of it, as a form posted them) without NUL characters,
    which PostgreSQL refuses in text and JSON: for what is kept as typed until it is checked
    (a step left with Back), never for what is stored as an answer."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def validate_short_text(value) -> None:
    """A form validator (staff forms, English) for one-line text: a name, an email, a title."""
    if isinstance(value, str) and has_refused_characters(value, long=False):
        raise ValidationError(STAFF_MESSAGE, code="characters")


def validate_long_text(value) -> None:
    """A form validator (staff forms, English) for notes and comments (line breaks and tabs)."""
    if isinstance(value, str) and has_refused_characters(value, long=True):
        raise ValidationError(STAFF_MESSAGE, code="characters")


def validate_phone(value) -> None:
    if value and not is_phone_number(value):
        raise ValidationError(STAFF_PHONE_MESSAGE, code="phone")
