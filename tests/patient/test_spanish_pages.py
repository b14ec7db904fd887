"""Every patient page in Spanish is Spanish: no English text node is left (names, the clinic's
details and what the patient typed aside), and `<html lang>` says so.

The same walk (tests/language_pages.py) is made in English and in Spanish. A text node of the
Spanish page that is also a text node of the English page was not translated, unless it is on
the short list of words that are the same in both languages; and no text node of the Spanish
page may hold common English words ("the", "your", "please" ...), which catches English that
comes from elsewhere (a literal in Python, a setting).
"""

import re

import pytest
from django.conf import settings

from tests.language_pages import answers, patient_pages, text_nodes

# Words and labels spelled the same in both languages.
SAME_IN_BOTH = {"No", "Error:", "Lupus", "Psoriasis", "Diabetes", "Error: Sobre usted"}
# Common English words that are not Spanish words (so "a", "no", "me" are not here).
ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|and|please|with|of|to|is|are|this|that|what|when|have|has|do|does|"
    r"don't|can't|not|for|or|my|we|our|it|will|if|any|which|how|about|before|after|answers?)\b",
    re.IGNORECASE,
)


_WALKS: dict = {}


@pytest.fixture
def walks(db):
    """The walk in each language, made once per test process (it is the slow part): the pages'
    HTML stays true after the database is rolled back."""
    if not _WALKS:
        for language in ("en", "es"):
            _WALKS[language] = patient_pages(language)
    return _WALKS


def _not_the_patients_words() -> set[str]:
    """What may stay as it is: the clinic's details and the answers as typed."""
    typed = {value for value in answers().values() if isinstance(value, str)}
    lines = {" ".join(value.split()) for value in typed}
    return (
        SAME_IN_BOTH
        | typed
        | lines
        | {
            settings.CLINIC_NAME,
            settings.CLINIC_PHONE,
            settings.CLINIC_CONTACT_EMAIL,
            "Ana Ruiz",
            "Firmado: Ana Ruiz",
        }
    )


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


def test_every_patient_page_is_walked_in_both_languages(walks):
    assert walks["en"].keys() == walks["es"].keys()
    statuses = {name: response.status_code for name, response in walks["es"].items()}
    assert statuses["400"] == 400
    assert statuses["403 csrf"] == 403
    assert statuses["404"] == 404
    assert statuses["405"] == 405
    assert statuses["429"] == 429
    assert statuses["410 link expired"] == 410
    assert statuses["link invalid"] == 404
    assert statuses["locked"] == 403
    assert statuses["step about-you with errors"] == 200
    assert statuses["confirmation"] == 200
    assert len(walks["es"]) > 40


@pytest.mark.parametrize("language", ["en", "es"])
def test_html_lang_is_the_language_of_the_text(walks, language):
    for name, response in walks[language].items():
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, name


def test_no_english_text_node_is_left_on_a_spanish_page(walks):
    allowed = _not_the_patients_words()
    left = []
    for name, response in walks["es"].items():
        english = {text for text, _lang in text_nodes(walks["en"][name].content.decode())}
        for text, lang in text_nodes(response.content.decode()):
            if lang == "en" or text in allowed or not _has_letters(text):
                continue  # the switch's "English", marked lang="en"; names; numbers
            if text in english or ENGLISH_WORDS.search(text):
                left.append(f"{name}: {text!r}")
    assert not left, "English left on Spanish pages:\n" + "\n".join(sorted(set(left)))


def test_the_check_finds_english_on_a_spanish_page(walks):
    """The check above can fail: an English sentence in a Spanish page is found."""
    page = (
        walks["es"]["landing"]
        .content.decode()
        .replace("Empezar</button>", "Start</button><p>Please check your answers.</p>")
    )
    found = [text for text, _lang in text_nodes(page) if ENGLISH_WORDS.search(text)]
    assert found == ["Please check your answers."]


def test_the_language_switch_is_on_every_patient_page_but_the_500(walks):
    for name, response in walks["es"].items():
        html = response.content.decode()
        assert 'action="/language/"' in html, name
        # On a step, the switch sends the step's own form, so that what is typed is kept.
        switch = re.compile(
            r'<button type="submit"( form="step-form" name="nav" value="language-en"|'
            r' name="language" value="en") lang="en"'
        )
        assert switch.search(html), name


def test_month_names_are_in_spanish_on_spanish_pages(walks):
    step = walks["es"]["step past-treatments answered"].content.decode()
    assert ">enero<" in step and ">diciembre<" in step
    assert "January" not in step
    review = walks["es"]["review"].content.decode()
    assert "enero de 2025" in review  # an answer of a month and a year, as the patient reads it


# In Spanish too, the pages never say or imply a verdict on candidacy.
SPANISH_VERDICT_WORDS = re.compile(
    r"\b(candidat[oa]s?|no es candidat[oa]|apt[oa]s?|no apt[oa]|elegibles?|aprobad[oa]s?|"
    r"autorizad[oa]s?|segur[oa] para usted|no puede hacerse|contraindicad[oa]s?|"
    r"buenas noticias|lamentablemente|desafortunadamente|aprob[oó]|reprob[oó])\b",
    re.IGNORECASE,
)


def test_no_verdict_words_on_any_spanish_patient_page(walks):
    for name, response in walks["es"].items():
        for text, _lang in text_nodes(response.content.decode()):
            assert not SPANISH_VERDICT_WORDS.search(text), (name, text)


def test_the_spanish_verdict_check_finds_a_verdict():
    assert SPANISH_VERDICT_WORDS.search("Usted es candidata para el tratamiento.")
    assert SPANISH_VERDICT_WORDS.search("Lamentablemente no es apto.")


def test_the_500_page_is_in_the_patients_language(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("es"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="es">' in html
    assert "Lo sentimos, algo salió mal de nuestro lado" in html
    assert not ENGLISH_WORDS.search(re.sub(r"<[^>]+>", " ", html))
