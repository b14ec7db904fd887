"""Without JavaScript, the follow-ups that come to apply are asked on a next page of the same step
(GOV.UK's pattern), built on `show_if` alone: the no-JavaScript path is then no longer than the
path with JavaScript. With JavaScript (followups.js posts js=1) nothing changes."""

import re

import pytest

from screening.questionnaire import current
from tests.factories import full_answers
from tests.patient_steps import put_draft

pytestmark = pytest.mark.django_db

PAST = "/questions/past-treatments/"
MORE = f"{PAST}?more=1"
SECTION = current().sections_by_key["past_treatments"]
HONEYPOT = "website"


def _at_past_treatments(client):
    sections = current().first_visit_sections
    put_draft(client, full_answers(), steps=sections[: sections.index(SECTION)])


def _visible_questions(html: str) -> list[str]:
    """The ids of the question wrappers a browser without JavaScript shows."""
    return [
        match[1]
        for match in re.finditer(r'<div id="div_id_(\w+)" class="([^"]*)"', html)
        if "js-hidden" not in match[2].split() and match[1] != HONEYPOT
    ]


def _asked(html: str) -> list[str]:
    return re.findall(r'name="asked" value="(\w+)"', html)


def test_the_first_page_shows_no_follow_up_that_does_not_apply(client):
    _at_past_treatments(client)
    page = client.get(PAST).content.decode()
    assert _visible_questions(page) == ["prior_procedures", "prior_treatment_problems"]
    assert 'name="js" value=""' in page
    css = (current_static("noscript.css")).read_text()
    assert ".js-hidden" not in css.split("*/", 1)[1]  # no longer shown without JavaScript


def current_static(name):
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "static" / "screening" / name


def test_none_of_these_goes_straight_to_the_next_step(client):
    _at_past_treatments(client)
    response = client.post(
        PAST, {"prior_procedures": ["none"], "prior_treatment_problems": "no", "nav": "next"}
    )
    assert response["Location"] == "/questions/medicines/"


def test_the_follow_ups_that_apply_are_asked_on_a_next_page_of_the_step(client):
    _at_past_treatments(client)
    response = client.post(
        PAST,
        {
            "prior_procedures": ["chemical_peel_light", "filler"],
            "prior_treatment_problems": "yes",
            "nav": "next",
        },
    )
    assert response["Location"] == MORE  # no error for the follow-ups it did not show
    page = client.get(MORE).content.decode()
    assert _visible_questions(page) == [
        "prior_chemical_peel_light_last",
        "prior_filler_last",
        "filler_type",
        "prior_treatment_problems_text",
    ]
    assert "A few more questions about what you chose." in page
    assert 'name="prior_procedures"' not in page  # the answers of the first page are kept
    # Left empty: the errors are this page's, on this page.
    response = client.post(MORE, {"asked": _asked(page), "nav": "next"})
    assert response.status_code == 200
    assert 'id="id_filler_type_error"' in response.content.decode()
    response = client.post(
        MORE,
        {
            "asked": _asked(page),
            "prior_chemical_peel_light_last_month": "3",
            "prior_chemical_peel_light_last_year": "2024",
            "prior_filler_last_unknown": "on",
            "filler_type": ["hyaluronic"],
            "prior_treatment_problems_text": "Redness for a month.",
            "nav": "next",
        },
    )
    assert response["Location"] == "/questions/medicines/"
    answers = client.session["screening_draft"]["answers"]
    assert answers["prior_procedures"] == ["chemical_peel_light", "filler"]
    assert answers["prior_chemical_peel_light_last"] == "2024-03"
    assert answers["prior_filler_last"] == "unknown"
    assert answers["prior_treatment_problems_text"] == "Redness for a month."


def test_back_from_the_next_page_returns_to_the_first_page_with_its_answers(client):
    _at_past_treatments(client)
    client.post(
        PAST,
        {"prior_procedures": ["filler"], "prior_treatment_problems": "no", "nav": "next"},
    )
    response = client.post(MORE, {"nav": "back"})
    assert response["Location"] == PAST
    page = client.get(PAST).content.decode()
    assert 'value="filler" id="id_prior_procedures_7" checked' in page


def test_a_follow_up_shown_and_left_empty_is_an_error_on_its_page_not_asked_again(client):
    _at_past_treatments(client)
    data = {"prior_procedures": ["filler"], "prior_treatment_problems": "no", "nav": "next"}
    client.post(PAST, data)
    page = client.get(PAST).content.decode()  # the filler's questions apply: shown here now
    assert "prior_filler_last" in _asked(page)
    response = client.post(PAST, {**data, "asked": _asked(page)})
    assert response.status_code == 200
    assert "div_id_prior_filler_last" in response.content.decode()


def test_with_javascript_follow_ups_left_empty_are_errors_on_the_same_page(client):
    _at_past_treatments(client)
    response = client.post(
        PAST,
        {
            "prior_procedures": ["filler"],
            "prior_treatment_problems": "no",
            "nav": "next",
            "js": "1",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_the_next_page_without_a_pending_page_goes_back_to_the_step(client):
    _at_past_treatments(client)
    assert client.get(MORE)["Location"] == PAST


def test_an_invitations_first_step_keeps_its_answers_through_the_next_page(client):
    """An invitation's draft is not this device's until its first step is done: the first
    page's answers travel with the next page's record."""
    from tests.invited import invite
    from tests.patient_steps import post_data_for, step_url

    client.get(invite())
    about_you = current().first_visit_sections[0]
    answers = full_answers(preferred_contact_method="email")
    data = {**post_data_for(about_you, answers), "nav": "next"}
    data.pop("unencrypted_contact_consent", None)
    response = client.post(step_url(about_you), data)
    assert response["Location"] == f"{step_url(about_you)}?more=1"
    page = client.get(response["Location"]).content.decode()
    assert _visible_questions(page) == ["unencrypted_contact_consent"]
    response = client.post(
        response["Location"],
        {"asked": _asked(page), "unencrypted_contact_consent": "yes", "nav": "next"},
    )
    assert response["Location"] == step_url(current().first_visit_sections[1])
    from screening.models import SavedDraft

    saved = SavedDraft.objects.get()
    assert saved.answers["first_name"] == answers["first_name"]
    assert saved.answers["unencrypted_contact_consent"] == "yes"
