"""The Spanish catalogue (locale/es/LC_MESSAGES/django.po) is complete, checked and current.

- every string marked for translation in the code and templates has an entry: the strings are
  extracted here as `makemessages` does (Django's own `templatize` for templates, then a Python
  gettext extractor), with Python alone, so a newly marked string without a translation fails
  even on a machine without GNU gettext;
- every entry is translated, none is fuzzy, and each keeps the English placeholders and markup;
- the medical terms follow locale/es/GLOSSARY.md wherever the English term appears;
- the compiled catalogue the app reads says what the .po says.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from clinic.translations import compile_catalogues, stale_catalogues

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
GLOSSARY_PATH = ROOT / "locale" / "es" / "GLOSSARY.md"
# What `make translations` (makemessages) reads: the app's code and templates, not tests/bench.
CODE_DIRECTORIES = ("clinic", "screening", "throttle")
# Django's gettext functions, with the positions of their message, plural and context.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Placeholders and markup a translation must keep: %(name)s, %s, {} and {name}, HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?\w+[^>]*>")


def _catalogue():
    with PO_PATH.open("rb") as source:
        return read_po(source, locale="es")


def _messages_in(code: bytes) -> set[tuple[str | None, str]]:
    found = set()
    for _line, message, _comments, context in extract(
        "python", io.BytesIO(code), keywords=KEYWORDS
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def marked_strings() -> set[tuple[str | None, str]]:
    """(context, msgid) of every string the code and templates mark for translation."""
    found = set()
    for directory in CODE_DIRECTORIES:
        for path in (ROOT / directory).rglob("*.py"):
            found |= _messages_in(path.read_bytes())
    for pattern in ("*.html", "*.txt"):
        for path in (ROOT / "templates").rglob(pattern):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            found |= _messages_in(code.encode("utf-8"))
    return found


def _entries():
    return [message for message in _catalogue() if message.id]


def _singular(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_marked_string_is_in_the_catalogue():
    catalogued = {(message.context, _singular(message)) for message in _entries()}
    missing = marked_strings() - catalogued
    assert not missing, (
        "Strings marked for translation but not in locale/es/LC_MESSAGES/django.po; run "
        f"`make translations` and translate them: {sorted(missing, key=str)}"
    )


def test_the_catalogue_holds_no_string_the_code_no_longer_marks():
    catalogued = {(message.context, _singular(message)) for message in _entries()}
    stale = catalogued - marked_strings()
    assert not stale, f"Obsolete entries; run `make translations`: {sorted(stale, key=str)}"


def test_the_extraction_finds_a_newly_marked_string(tmp_path):
    """The check above can fail: a string marked in a template is found by the extraction."""
    template = '{% load i18n %}<p>{% translate "A sentence nobody translated yet" %}</p>'
    assert _messages_in(templatize(template).encode()) == {
        (None, "A sentence nobody translated yet")
    }


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_extraction_agrees_with_makemessages(tmp_path):
    """Where GNU gettext is installed, `makemessages` (into a copy of the project) finds exactly
    the strings the Python extraction finds."""
    copy = tmp_path / "project"
    for name in (*CODE_DIRECTORIES, "templates"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    subprocess.run(
        [
            str(Path(__import__("sys").executable)),
            "manage.py",
            "makemessages",
            "-l",
            "es",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    with (copy / "locale" / "es" / "LC_MESSAGES" / "django.po").open("rb") as source:
        extracted = read_po(source, locale="es")
    made = {(message.context, _singular(message)) for message in extracted if message.id}
    assert made == marked_strings()


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for message in _entries():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(text.strip() for text in strings):
            untranslated.append(_singular(message))
        if message.fuzzy:
            fuzzy.append(_singular(message))
    assert not untranslated, f"Untranslated: {untranslated}"
    assert not fuzzy, f"Fuzzy (a guess nobody checked): {fuzzy}"


def test_every_translation_keeps_the_placeholders_and_markup():
    wrong = []
    for message in _entries():
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((_singular(message), text))
    assert not wrong, f"Placeholders or markup changed: {wrong}"


def test_the_placeholder_check_finds_a_dropped_placeholder():
    assert sorted(PLACEHOLDER.findall("Call us at %(phone)s.")) != sorted(
        PLACEHOLDER.findall("Llámenos.")
    )
    assert PLACEHOLDER.findall('<a href="%(tel)s">%(phone)s</a>') == [
        '<a href="%(tel)s">',
        "%(phone)s",
        "</a>",
    ]


def glossary() -> list[tuple[str, str]]:
    """(English term, Spanish term) rows of locale/es/GLOSSARY.md's table."""
    rows = []
    for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and cells[0] and not cells[0].startswith("-"):
            if cells[0].lower() == "english":
                continue
            rows.append((cells[0].strip("`"), cells[1].strip("`")))
    return rows


def test_the_glossary_has_the_medical_terms():
    terms = dict(glossary())
    assert terms["isotretinoin"] == "isotretinoína"
    assert terms["cold sore"] == "herpes labial"
    assert terms["keloid"] == "queloide"
    assert len(terms) >= 25


@pytest.mark.parametrize(("english", "spanish"), glossary())
def test_the_catalogue_uses_the_glossary_term(english, spanish):
    """Wherever the English term appears, its Spanish term does: every page says the same."""
    pattern = re.compile(rf"(?<!\w){re.escape(english)}(?!\w)", re.IGNORECASE)
    inconsistent = []
    for message in _entries():
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        uses_term = any(pattern.search(PLACEHOLDER.sub("", source)) for source in sources)
        if uses_term and not all(spanish.lower() in text.lower() for text in strings):
            inconsistent.append((sources[0], strings[0]))
    assert not inconsistent, f"{english!r} is not translated as {spanish!r} in: {inconsistent}"


def test_the_app_reads_the_current_catalogue():
    """The compiled catalogue Django loads says, for every entry, what the .po says (the .mo is
    compiled from the .po before the tests and by `make run`; it is never committed)."""
    stale = []
    with translation.override("es"):
        for message in _entries():
            if isinstance(message.id, tuple):
                got = translation.ngettext(message.id[0], message.id[1], 2)
                expected = message.string[1]
            elif message.context:
                got = translation.pgettext(message.context, message.id)
                expected = message.string
            else:
                got = translation.gettext(message.id)
                expected = message.string
            if got != expected:
                stale.append(message.id)
    assert not stale, f"The compiled catalogue is not the .po's: {stale[:5]}"


def test_a_catalogue_not_compiled_from_its_po_is_named(tmp_path):
    messages = tmp_path / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = messages / "django.po"
    shutil.copyfile(PO_PATH, po)
    assert stale_catalogues(tmp_path) == [po.with_suffix(".mo")]  # never compiled
    compile_catalogues(tmp_path)
    assert stale_catalogues(tmp_path) == []
    po.write_text(
        po.read_text(encoding="utf-8") + '\nmsgid "Dictionary test"\nmsgstr "Prueba"\n',
        encoding="utf-8",
    )
    assert stale_catalogues(tmp_path) == [po.with_suffix(".mo")]


def test_spanish_is_offered_and_english_is_the_clinics_language():
    assert settings.LANGUAGE_CODE == "en"
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_message_that_quotes_an_answer_quotes_it_as_the_page_shows_it(language):
    """“No sé”, “Ninguno de estos”, “No me acuerdo”: a help text or an error that names a choice
    names it in the words of the choice itself, in Spanish too."""
    from screening.questionnaire.versions import DEFINITIONS

    quoted_text = re.compile(r"“([^”]+)”")
    wrong = []
    with translation.override(language):
        remember = translation.gettext("I don't remember")
        for version, definition in DEFINITIONS.items():
            for question in definition.questions.values():
                if not question.choices:
                    continue  # a text answer ("write “None”") quotes no choice
                labels = {str(choice.label) for choice in question.choices} | {remember}
                for text in (question.required_message, question.help_text):
                    for quoted in quoted_text.findall(str(text or "")):
                        if quoted not in labels:
                            wrong.append((version, question.id, quoted))
    assert not wrong
