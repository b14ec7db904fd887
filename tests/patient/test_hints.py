"""A question's hint comes before the options or the box it explains, and every question with
tick boxes says "Choose all that apply" (once: not where its own words already say it)."""

import re

import pytest
from django.utils import translation

from screening.patient.forms import ReviewForm, StepForm
from screening.questionnaire import Kind, current

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "section", current().first_visit_sections, ids=lambda section: section.slug
)
def test_every_hint_comes_before_the_options_or_the_box(section):
    from crispy_forms.utils import render_crispy_form

    page = render_crispy_form(StepForm(section))
    for question in section.step_questions:
        if not question.help_text or question.checkbox:
            continue
        start = page.index(f'id="div_id_{question.id}"')
        hint = page.index(f'id="id_{question.id}_helptext"', start)
        control = page.index(f'name="{question.id}', start)
        assert hint < control, question.id


def test_every_multiple_choice_question_says_choose_all_that_apply_once():
    from crispy_forms.utils import render_crispy_form

    for section in current().first_visit_sections:
        page = render_crispy_form(StepForm(section))
        for question in section.step_questions:
            if question.kind is not Kind.MULTI:
                continue
            start = page.index(f'id="div_id_{question.id}"')
            end = page.find('<div id="div_id_', start + 1)
            block = page[start : end if end > 0 else None]
            assert len(re.findall("Choose all that apply", block)) == 1, question.id


def test_choose_all_that_apply_in_spanish():
    from crispy_forms.utils import render_crispy_form

    with translation.override("es"):
        pages = "".join(
            render_crispy_form(StepForm(section)) for section in current().first_visit_sections
        )
    assert "Elija todas las que correspondan." in pages
    assert "Choose all that apply" not in pages


def test_the_signature_hint_is_where_the_box_is():
    from crispy_forms.utils import render_crispy_form

    page = render_crispy_form(ReviewForm(current()))
    start = page.index('id="div_id_signature_name"')
    assert page.index('id="id_signature_name_helptext"', start) < page.index(
        'name="signature_name"', start
    )
