"""Which words the pages that load Bootstrap may use as class names: the input of `make css`
(assets/trim_bootstrap.mjs keeps the Bootstrap rules whose selectors only name these words) and
of tests/bench/test_bootstrap_trim.py (every Bootstrap class among these words must be in the trimmed
stylesheet).

    python -m assets.bootstrap_usage     # prints the words, one a line

Words, not parsed class attributes, like PurgeCSS's own extractor: a class written in a
template's text, a Python string or a script is kept even when it is assembled (`"form-control" +
(" is-invalid" if errors else "")`). Keeping a rule by mistake costs a few bytes; dropping one
breaks a page.

The sources are the pages that load Bootstrap (every template but the admin's, which draw with
the admin's own CSS), the crispy-forms templates those pages render (CRISPY_TEMPLATES; the test
renders every patient page and fails when one renders a crispy template not listed here), Django's
form widget templates (the elements fields render: Bootstrap styles `textarea.form-control`), the
Python strings of the app (form widgets' attrs, crispy layouts, HTML built in layout.py) and the
patient pages' scripts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_BOOTSTRAP = ROOT / "assets" / "bootstrap" / "bootstrap.min.css"
TRIMMED_BOOTSTRAP = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"

# The crispy-forms templates (crispy_bootstrap5's templates/ folder) that the patient pages render.
CRISPY_TEMPLATES = [
    "bootstrap5/display_form.html",
    "bootstrap5/errors.html",
    "bootstrap5/field.html",
    "bootstrap5/inputs.html",
    "bootstrap5/layout/div.html",
    "bootstrap5/layout/field_errors.html",
    "bootstrap5/layout/help_text.html",
    "bootstrap5/layout/help_text_and_errors.html",
    "bootstrap5/whole_uni_form.html",
]

WORD = re.compile(r"[A-Za-z0-9_-]+")
# A class in a stylesheet: a dot, then a name that does not start with a digit (0.5rem is not one).
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
CSS_NOISE = re.compile(r"url\([^)]*\)|/\*.*?\*/", re.S)  # data URLs (w3.org) and comments


def template_files() -> list[Path]:
    templates = ROOT / "templates"
    return sorted(
        path for path in templates.rglob("*.html") if templates / "admin" not in path.parents
    )


def crispy_template_files() -> list[Path]:
    import crispy_bootstrap5

    folder = Path(crispy_bootstrap5.__file__).parent / "templates"
    return [folder / name for name in CRISPY_TEMPLATES]


def django_widget_files() -> list[Path]:
    """Django's own form widget templates: the elements a field renders (a `textarea`, a
    `select`), which Bootstrap styles by tag name (`textarea.form-control`)."""
    import django

    folder = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms" / "widgets"
    return sorted(folder.glob("*.html"))


def python_strings(path: Path) -> list[str]:
    """The string literals of a module (f-strings' literal parts included), docstrings left out:
    where Python code writes a class, and not its comments, docs or names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def python_files() -> list[Path]:
    app = ROOT / "screening"
    return sorted(path for path in app.rglob("*.py") if "migrations" not in path.parts)


def script_files() -> list[Path]:
    return sorted((ROOT / "static" / "screening").glob("*.js"))


def used_words() -> set[str]:
    texts = [path.read_text(encoding="utf-8") for path in template_files()]
    texts += [path.read_text(encoding="utf-8") for path in crispy_template_files()]
    texts += [path.read_text(encoding="utf-8") for path in django_widget_files()]
    texts += [text for path in python_files() for text in python_strings(path)]
    texts += [path.read_text(encoding="utf-8") for path in script_files()]
    return {word for text in texts for word in WORD.findall(text)}


def css_classes(css: str) -> set[str]:
    return set(CSS_CLASS.findall(CSS_NOISE.sub("", css)))


if __name__ == "__main__":
    print("\n".join(sorted(used_words())))
