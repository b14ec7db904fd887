"""A follow-up's first state is decided on the server: one that does not apply to the answers the
page shows starts hidden (class js-hidden), so nothing moves when followups.js starts; without
JavaScript noscript.css shows them all (tests/browser/test_followups.py)."""

import re

import pytest

from screening.questionnaire import DEFINITIONS, current
from screening.questionnaire.visit import OnVisit
from tests.factories import full_answers, many_followups_answers
from tests.patient_steps import post_data_for, put_draft, step_url

pytestmark = pytest.mark.django_db

SECTIONS = current().sections_by_key


def wrapper_classes(html: str) -> dict[str, set[str]]:
    """The classes of each question's (and group's) wrapper, by question id or group id."""
    return {
        match[1]: set(match[2].split())
        for match in re.finditer(r'<div id="(?:div_id_)?(\w+)" class="([^"]*)"', html)
    }


def hidden_ids(html: str) -> set[str]:
    return {name for name, classes in wrapper_classes(html).items() if "js-hidden" in classes}


def step_page(client, answers, key, *, done_through=None):
    sections = current().first_visit_sections
    upto = [s.key for s in sections].index(done_through or key) + (1 if done_through else 0)
    put_draft(client, answers, steps=sections[:upto])
    return client.get(step_url(SECTIONS[key])).content.decode()


def test_a_new_step_starts_with_every_follow_up_hidden(client):
    html = step_page(client, full_answers(), "past_treatments")
    follow_ups = {q.id for q in SECTIONS["past_treatments"].questions if q.show_if}
    assert hidden_ids(html) == follow_ups | {"group_prior_procedures"}


def test_the_follow_ups_the_draft_opened_are_shown_from_the_first_paint(client):
    html = step_page(
        client, many_followups_answers(), "past_treatments", done_through="past_treatments"
    )
    shown = {
        "prior_ablative_laser_last",
        "prior_filler_last",
        "filler_type",
        "prior_eyelid_surgery_last",
        "eyelid_surgery_lower",
        "prior_treatment_problems_text",
        "group_prior_procedures",
    }
    follow_ups = {q.id for q in SECTIONS["past_treatments"].questions if q.show_if}
    assert hidden_ids(html) == follow_ups - shown


def test_a_page_with_errors_shows_what_the_posted_answers_open(client):
    put_draft(client, many_followups_answers(), steps=current().first_visit_sections[:4])
    data = post_data_for(SECTIONS["medicines"], many_followups_answers())
    # "Numbing medicine" ticked and its reaction left unanswered: the page comes back.
    data.update(
        isotretinoin_ever="no", isotretinoin_current="no", allergies_list=["numbing", "other"]
    )
    data.pop("numbing_reaction", None)
    response = client.post(step_url(SECTIONS["medicines"]), {**data, "nav": "next", "js": "1"})
    assert response.status_code == 200
    hidden = hidden_ids(response.content.decode())
    # The nested follow-up closes with its parent, as the server's validation reads it.
    assert {"oral_retinoid_type", "isotretinoin_current", "isotretinoin_last_dose"} <= hidden
    assert not {"numbing_reaction", "allergy_other_text"} & hidden
    assert {"allergy_antibiotic_text", "allergies_list_unsure"} <= hidden


def test_the_main_concern_offers_only_the_concerns_picked(client):
    html = step_page(client, many_followups_answers(), "concerns", done_through="concerns")
    block = html[html.index('id="div_id_main_concern"') : html.index('id="div_id_treatment_areas"')]
    offered = re.findall(r'<div class="form-check"><input[^>]*value="(\w+)"', block)
    assert offered == ["acne_scars", "texture", "other"]
    assert (
        block.count('class="form-check js-hidden"')
        == len(current().questions["skin_concerns"].choices) - 3
    )


def test_the_treatment_dates_are_one_titled_group_right_after_their_question(client):
    html = step_page(client, full_answers(), "past_treatments")
    group = html[
        html.index('id="group_prior_procedures"') : html.index(
            'id="div_id_prior_treatment_problems"'
        )
    ]
    assert html.index('id="div_id_prior_procedures"') < html.index('id="group_prior_procedures"')
    assert 'role="group" aria-labelledby="group_prior_procedures_heading"' in group
    assert "About the treatments you chose" in group
    assert group.count('class="question mb-4 followup') == 18  # 16 dates, filler type, lower lids


def test_without_javascript_noscript_css_is_linked_in_the_head(client):
    html = step_page(client, full_answers(), "concerns")
    head = html[: html.index("</head>")]
    assert re.search(
        r'<noscript><link rel="stylesheet" href="[^"]*noscript[^"]*\.css"></noscript>', head
    )


@pytest.mark.parametrize("version", DEFINITIONS)
def test_every_follow_up_depends_on_a_question_of_its_own_step(version):
    """followups.js reads the parent's answer from the page: it must be on the same step."""
    for section in DEFINITIONS[version].sections:
        for question in section.questions:
            # A re-screen question reads the visit, not the page: no follow-up.
            if question.show_if and not isinstance(question.show_if, OnVisit):
                assert question.show_if.question_id in section.question_ids, question.id
