"""The Spanish a US Latino patient would write (locale/es/GLOSSARY.md, "Reviews"): no "o/a"
endings, no "llamemos" that reads as phoning, plain words before a technical term."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

PO = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("What would you like us to call you?", "¿Qué nombre prefiere que usemos?"),
        ("Are you allergic to any antibiotic?", "¿Tiene alergia a algún antibiótico?"),
        (
            "Do you take any medicine that thins the blood or stops clotting?",
            "¿Toma algún medicamento para adelgazar la sangre o evitar coágulos (anticoagulante)?",
        ),
        ("Porphyria", "Una enfermedad de la sangre que hace la piel sensible a la luz (porfiria)"),
    ],
)
def test_the_corrections_are_what_patients_read(english, spanish):
    with translation.override("es"):
        assert gettext(english) == spanish


def test_no_spanish_string_uses_slash_endings_or_the_old_words():
    text = PO.read_text()
    translations = " ".join(re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', text, re.M))
    assert not re.search(r"\w[oa]s?/[ao]s?\b", translations)
    for old in ("llamemos", "sangre más líquida", "estancia en el hospital", "seguro/a"):
        assert old not in translations
