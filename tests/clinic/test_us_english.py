"""The patient's pages and messages are in US English ("color", "vacation", "check"), as a US
clinic's patients write it. The published questionnaires (v2026_11, v2026_12) are frozen: their
wording changes with the next version, and is not scanned here."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [
    *sorted((ROOT / "templates" / "screening").rglob("*.html")),
    ROOT / "templates" / "base.html",
    *sorted((ROOT / "screening" / "patient").glob("*.py")),
    *sorted((ROOT / "screening" / "mail").glob("*.py")),
    ROOT / "screening" / "questionnaire" / "answer_types.py",
    ROOT / "screening" / "questionnaire" / "date_display.py",
    *sorted((ROOT / "static" / "screening").glob("*.js")),
]
BRITISH = re.compile(
    r"\b(colour\w*|holiday\w*|tick(ed|s)?\b|untick\w*|organis\w*|behaviour\w*|centre\w*|"
    r"favour\w*|honour\w*|licence)",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", SCANNED, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_british_spelling_in_what_patients_read(path):
    text = path.read_text()
    if path.suffix == ".py":  # the strings marked for translation: what patients read
        strings = re.findall(
            r'\b(?:_|gettext|ngettext|gettext_lazy)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', text
        )
    else:
        strings = [text]
    if path.suffix == ".html":
        strings = [re.sub(r"\{#.*?#\}", "", text, flags=re.S)]
    found = {match[0] for text in strings for match in BRITISH.finditer(text)}
    assert not found, f"{path.name}: {sorted(found)}"
