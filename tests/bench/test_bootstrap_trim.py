"""The trimmed Bootstrap (`make css`) holds every class the pages use.

static/vendor/bootstrap/bootstrap.min.css is the full Bootstrap build (assets/bootstrap/) with the
rules no page uses taken out. These tests fail when a template, a crispy-forms template, a Python
string or a script starts using a Bootstrap class the trimmed file lacks: run `make css`.
"""

import gzip
import re

import pytest

from assets.bootstrap_usage import (
    CRISPY_TEMPLATES,
    FULL_BOOTSTRAP,
    TRIMMED_BOOTSTRAP,
    css_classes,
    used_words,
)
from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import SIGNED, answer_all_steps, start, step_url

FULL = FULL_BOOTSTRAP.read_text(encoding="utf-8")
TRIMMED = TRIMMED_BOOTSTRAP.read_text(encoding="utf-8")
CUSTOM_PROPERTY_READ = re.compile(r"var\((--[\w-]+)\)")  # read with no fallback
CUSTOM_PROPERTY_SET = re.compile(r"(--[\w-]+)\s*:")


def test_every_bootstrap_class_the_pages_use_is_in_the_trimmed_stylesheet():
    used_bootstrap_classes = used_words() & css_classes(FULL)
    missing = used_bootstrap_classes - css_classes(TRIMMED)
    assert not missing, f"Bootstrap classes used but trimmed away (run `make css`): {missing}"


def test_the_words_include_classes_written_in_python_and_in_crispy_templates():
    words = used_words()
    assert "is-invalid" in words  # screening/patient/layout.py adds it to a control with an error
    assert "invalid-feedback" in words  # crispy_bootstrap5's field_errors.html


def test_the_trimmed_stylesheet_leaves_out_what_no_page_uses():
    for unused in ("navbar", "carousel", "modal", "table-striped", "dropdown-menu"):
        assert unused in css_classes(FULL) and unused not in css_classes(TRIMMED), unused
    assert len(gzip.compress(TRIMMED.encode())) < 6 * 1024  # the full build: 30.8 KB


def test_every_custom_property_read_by_bootstrap_or_site_css_is_still_defined():
    """PurgeCSS drops the custom properties it finds unused; a read with no fallback would then
    make a rule silently void."""
    from django.conf import settings

    site_css = (settings.BASE_DIR / "static" / "screening" / "site.css").read_text()
    defined = set(CUSTOM_PROPERTY_SET.findall(TRIMMED + site_css))
    read = set(CUSTOM_PROPERTY_READ.findall(TRIMMED + site_css))
    # Bootstrap itself leaves a few undefined on purpose (--bs-body-text-align: no alignment).
    missing = (read & set(CUSTOM_PROPERTY_SET.findall(FULL))) - defined
    assert not missing, f"custom properties read but trimmed away: {missing}"


@pytest.mark.django_db
def test_the_patient_pages_render_only_the_crispy_templates_the_trim_reads(client):
    """Each step and the review, empty (with every error shown) and answered, and the
    confirmation: a crispy template they render but CRISPY_TEMPLATES lacks would go unread."""
    rendered = set()

    def visit(response):
        rendered.update(template.name for template in response.templates if template.name)

    start(client)
    for section in current().first_visit_sections:
        visit(client.get(step_url(section)))
        visit(client.post(step_url(section), {"nav": "next"}))
    answer_all_steps(client, full_answers())
    visit(client.get("/review/"))
    visit(client.post("/review/", {}))
    client.post("/review/", SIGNED)
    visit(client.get("/thank-you/"))
    crispy = {name for name in rendered if name.startswith("bootstrap5/")}
    assert crispy, "no crispy template rendered: the page set above is wrong"
    assert crispy <= set(CRISPY_TEMPLATES), crispy - set(CRISPY_TEMPLATES)
