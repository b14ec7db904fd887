"""The patient's path through the test client: steps, Back, errors, review, submit, confirmation."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from screening.models import Submission
from screening.questionnaire import current
from tests.factories import full_answers, many_followups_answers
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, put_draft, start, step_url

pytestmark = pytest.mark.django_db

VERDICT_WORDS = re.compile(
    r"\b(candidate|not a candidate|eligible|ineligible|approved|cleared|safe for you|"
    r"not safe for you|you can't have|contraindicated|passed|failed|good news|unfortunately)\b",
    re.IGNORECASE,
)


def submit(client):
    return client.post("/review/", SIGNED)


def test_landing_page_says_what_the_form_is_for_and_how_to_get_help(client, settings):
    settings.CLINIC_EMERGENCY_NUMBER = "112"
    settings.CLINIC_PRIVACY_NOTICE_URL = "https://clinic.example/npp"
    page = client.get("/").content.decode()
    assert "Your answers don't decide whether you can have treatment" in page
    assert "call 112" in page
    assert 'href="https://clinic.example/npp"' in page
    assert 'action="/start/"' in page


def test_a_patient_without_follow_ups_goes_from_start_to_confirmation(client):
    response = answer_all_steps(client, full_answers())
    assert response["Location"] == "/review/"
    review = client.get("/review/")
    assert review.status_code == 200
    response = submit(client)
    assert response.status_code == 302
    assert response["Location"] == "/thank-you/"
    submission = Submission.objects.get()
    assert submission.answers == full_answers()
    assert submission.first_name == "Ana"
    assert str(submission.date_of_birth) == "1980-05-17"
    assert submission.reference in client.get("/thank-you/").content.decode()


def test_a_patient_with_many_follow_ups_has_them_all_stored(client):
    answer_all_steps(client, many_followups_answers())
    submit(client)
    stored = Submission.objects.get().answers
    assert stored["prior_filler_last"] == "unknown"
    assert stored["isotretinoin_last_dose"] == "2026-08"
    assert stored["main_concern"] == "acne_scars"
    assert stored["goals_text"] == "Smoother skin.\nLess visible scars."


def test_steps_show_progress_and_field_names_carry_question_ids(client):
    start(client)
    page = client.get(step_url(current().first_visit_sections[0])).content.decode()
    assert "Step 1 of 6" in page
    for name in ("first_name", "date_of_birth_day", "preferred_contact_method"):
        assert f'name="{name}"' in page
    assert "<legend" in page  # radio groups are fieldsets with a legend


def test_an_error_shows_a_summary_linking_to_the_field_and_keeps_what_was_typed(client):
    start(client)
    data = post_data_for(current().first_visit_sections[0], full_answers(email="not-an-email"))
    response = client.post(step_url(current().first_visit_sections[0]), {**data, "nav": "next"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_email"' in page
    assert 'value="not-an-email"' in page
    assert 'value="Ana"' in page
    assert re.search(r'value="phone_call"[^>]*checked', page)


def test_back_keeps_answers_typed_on_the_page_and_on_earlier_pages(client):
    answers = full_answers()
    start(client)
    client.post(
        step_url(current().first_visit_sections[0]),
        {**post_data_for(current().first_visit_sections[0], answers), "nav": "next"},
    )
    partial = {"goals_text": "Typed, not finished", "skin_concerns": ["wrinkles"]}
    response = client.post(step_url(current().first_visit_sections[1]), {**partial, "nav": "back"})
    assert response["Location"] == step_url(current().first_visit_sections[0])
    first = client.get(step_url(current().first_visit_sections[0])).content.decode()
    assert 'value="ana@example.com"' in first
    second = client.get(step_url(current().first_visit_sections[1])).content.decode()
    assert "Typed, not finished" in second
    assert re.search(r'value="wrinkles"[^>]*checked', second)


def test_a_step_cannot_be_skipped_by_editing_the_url(client):
    start(client)
    response = client.get(step_url(current().first_visit_sections[3]))
    assert response.status_code == 302
    assert response["Location"] == step_url(current().first_visit_sections[0])
    assert client.get("/review/")["Location"] == step_url(current().first_visit_sections[0])


def test_an_unknown_step_is_a_404_page(client):
    start(client)
    response = client.get("/questions/no-such-step/")
    assert response.status_code == 404
    assert "We can" in response.content.decode()


def test_a_changed_answer_drops_the_hidden_follow_up(client):
    answers = many_followups_answers()
    answer_all_steps(client, answers)
    medicines = next(s for s in current().first_visit_sections if s.key == "medicines")
    changed = {**answers, "isotretinoin_ever": "no"}
    response = client.post(
        step_url(medicines), {**post_data_for(medicines, changed), "nav": "next"}
    )
    assert response["Location"] == "/review/"
    submit(client)
    stored = Submission.objects.get().answers
    assert "isotretinoin_last_dose" not in stored
    assert "isotretinoin_current" not in stored


def test_change_link_on_review_returns_to_review_after_the_step(client):
    put_draft(client, full_answers())
    review = client.get("/review/").content.decode()
    assert f'href="{step_url(current().first_visit_sections[2])}#div_id_skin_type_self"' in review
    response = client.post(
        step_url(current().first_visit_sections[2]),
        {
            **post_data_for(current().first_visit_sections[2], full_answers(skin_type_self="IV")),
            "nav": "next",
        },
    )
    assert response["Location"] == "/review/"
    assert "Olive or light brown" in client.get("/review/").content.decode()


def test_submitting_twice_gives_one_submission(client):
    put_draft(client, full_answers())
    first = submit(client)
    replay = submit(client)
    assert first["Location"] == replay["Location"] == "/thank-you/"
    assert Submission.objects.count() == 1


def test_two_tabs_of_one_draft_give_one_submission(client):
    put_draft(client, full_answers())
    session_data = dict(client.session.items())
    submit(client)
    # The second tab still holds the old session state: replay it, then submit again.
    session = client.session
    session.update(session_data)
    session.save()
    submit(client)
    assert Submission.objects.count() == 1


def test_the_confirmation_page_is_the_same_for_very_different_patients():
    from django.test import Client

    pages = []
    for answers in (
        full_answers(),
        many_followups_answers(
            cold_sore_now="yes",
            pregnancy_status="pregnant",
            keloid_history="yes",
            # The same contact choice: the page says whether a receipt was emailed, and only that.
            preferred_contact_method=full_answers()["preferred_contact_method"],
        ),
    ):
        patient = Client()
        put_draft(patient, answers)
        submit(patient)
        reference = Submission.objects.latest("id").reference
        page = patient.get("/thank-you/").content.decode()
        # The language switch's form carries a CSRF token of each session's own.
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", page)
        pages.append(page.replace(reference, "REFERENCE"))
    assert pages[0] == pages[1]
    assert "A qualified provider reviews every submission" in pages[0]


def test_another_session_cannot_open_a_confirmation_page(client):
    from django.test import Client

    put_draft(client, full_answers())
    submit(client)
    reference = Submission.objects.get().reference
    stranger = Client()
    assert stranger.get("/thank-you/").status_code == 404
    assert stranger.get(f"/thank-you/?reference={reference}").status_code == 404


def test_a_post_to_the_confirmation_page_is_refused_and_creates_nothing(client):
    response = client.post("/thank-you/", {"reference": "X"})
    assert response.status_code == 405
    assert Submission.objects.count() == 0


def test_a_missing_csrf_token_gets_a_clear_403_page():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/start/")
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()


def test_an_expired_draft_is_explained_and_the_patient_starts_again(client):
    start(client)
    session = client.session
    draft = session["screening_draft"]
    draft["touched_at"] = "2000-01-01T00:00:00+00:00"
    session["screening_draft"] = draft
    session.save()
    response = client.get(step_url(current().first_visit_sections[0]), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "For your privacy, answers are removed" in response.content.decode()


def test_a_step_without_any_draft_redirects_to_the_start(client):
    response = client.post(step_url(current().first_visit_sections[0]), {"first_name": "Ana"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Submission.objects.count() == 0


def test_fields_the_patient_must_never_set_are_ignored(client, make_staff):
    # Posted with every step and with the final POST: what a patient could forge in a request.
    unrouted = make_staff("Provider", level="physician", is_active=False).provider
    forged = {
        "status": "decided",
        "reviewed": "on",
        "reference": "FORGED1234",
        "draft_key": "00000000-0000-0000-0000-000000000000",
        "assigned_provider": str(unrouted.pk),
        "priority_count": "0",
        "top_severity_rank": "-1",
        "submitted_on": "2000-01-01",
        "rules_version": "forged",
        "questionnaire_version": "forged",
        "erased_at": "2000-01-01T00:00",
        "decision": "proceed",
        "signed_at": "2000-01-01T00:00",
        "declaration_version": "forged",
        "declaration_sha256": "0" * 64,
    }
    answers = full_answers(current_skin_problems_area=["cold_sore"])  # one priority flag
    start(client)
    for section in current().first_visit_sections:
        data = {**post_data_for(section, answers), **forged, "nav": "next"}
        assert client.post(step_url(section), data).status_code == 302, section.key
    assert client.post("/review/", {**forged, **SIGNED})["Location"] == "/thank-you/"
    submission = Submission.objects.get()
    assert submission.status == "submitted"
    assert submission.reviewed is False
    assert submission.reference != forged["reference"]
    assert str(submission.draft_key) != forged["draft_key"]
    assert submission.assigned_provider is None  # the only provider is inactive: never routed to
    assert (submission.priority_count, submission.top_severity_rank) != (0, -1)
    assert submission.submitted_on == timezone.localdate()
    assert "forged" not in (submission.rules_version, submission.questionnaire_version)
    assert submission.erased_at is None
    assert submission.signed_at.date() == timezone.localdate()
    assert submission.declaration_version != "forged"
    assert submission.declaration_sha256 != "0" * 64
    assert not submission.decisions.exists()
    assert set(submission.answers) <= set(current().questions)


def test_free_text_is_stored_as_typed_and_rendered_escaped_on_review(client):
    attack = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    answer_all_steps(client, full_answers(anything_else_text=attack))
    review = client.get("/review/").content.decode()
    assert "<script>alert(2)" not in review
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in review
    submit(client)
    assert Submission.objects.get().answers["anything_else_text"] == attack


@pytest.mark.parametrize("path", ["/", "/privacy/", "REVIEW", "STEPS", "/thank-you/"])
def test_no_verdict_words_on_any_patient_page(client, path):
    put_draft(client, many_followups_answers(cold_sore_now="yes"))
    if path == "STEPS":
        pages = [
            client.get(step_url(section)).content.decode()
            for section in current().first_visit_sections
        ]
    elif path == "REVIEW":
        pages = [client.get("/review/").content.decode()]
    elif path == "/thank-you/":
        submit(client)
        pages = [client.get(path).content.decode()]
    else:
        pages = [client.get(path).content.decode()]
    for page in pages:
        text = re.sub(r"<[^>]+>", " ", page)
        text = text.replace("qualified provider", "")
        assert not VERDICT_WORDS.search(text), VERDICT_WORDS.search(text)


def test_reading_pages_keeps_an_active_draft_alive(client):
    start(client)
    session = client.session
    draft = session["screening_draft"]
    draft["touched_at"] = (timezone.now() - timedelta(minutes=59)).isoformat()
    session["screening_draft"] = draft
    session.save()
    assert client.get(step_url(current().first_visit_sections[0])).status_code == 200
    touched = datetime.fromisoformat(client.session["screening_draft"]["touched_at"])
    assert timezone.now() - touched < timedelta(minutes=1)
