"""The returning patient's re-screen pages (screening/patient/rescreen): the link and its
date-of-birth check, the three steps, Still true and Change, Back, errors, sending."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from screening.models import Invitation, SavedDraft, Submission
from screening.patient import drafts
from tests import factories
from tests.patient.rescreen_helpers import (
    CHECK,
    NOTHING_CHANGED_1,
    NOTHING_CHANGED_2,
    STEP_1,
    STEP_2,
    STEP_3,
    has,
    open_rescreen,
    post,
    rescreen_invitation,
    walk_nothing_changed,
)

pytestmark = pytest.mark.django_db

needs_v2027_02 = pytest.mark.skipif(
    not has("last_session_problems"), reason="the re-screen's questions come with 2027.02"
)


@pytest.fixture
def previous():
    today = timezone.localdate()
    return factories.submission(today=today.replace(day=1) if today.day > 1 else today)


def test_the_link_asks_the_date_of_birth_first_on_every_device(client, previous):
    invitation, link = rescreen_invitation(previous)
    response = client.get(link)
    assert response["Location"] == "/continue/"
    page = client.get("/continue/")
    assert "date_of_birth_day" in page.content.decode()
    assert previous.first_name not in page.content.decode()
    saved = SavedDraft.objects.get(invitation=invitation)
    assert saved.answers == {"date_of_birth": previous.answers["date_of_birth"]}


def test_after_the_check_the_welcome_page_names_the_form_date(client, previous):
    open_rescreen(client, previous)
    response = client.get("/continue/")
    assert response["Location"] == "/again/"
    page = client.get("/again/").content.decode()
    assert "Welcome back" in page
    assert "You last filled in our form on" in page
    # The whole questionnaire's steps lead here too.
    assert client.get("/questions/about-you/")["Location"] == "/again/"
    assert client.get("/review/")["Location"] == "/again/"


def test_without_a_rescreen_draft_the_pages_send_the_patient_away(client):
    assert client.get(STEP_1).status_code == 302
    assert client.get(CHECK).status_code == 302
    assert client.get("/again/").status_code == 302
    assert client.get("/again/no-such-step/").status_code == 404


def test_steps_cannot_be_skipped(client, previous):
    open_rescreen(client, previous)
    assert client.get(STEP_3)["Location"] == STEP_1
    assert client.get(CHECK)["Location"] == STEP_1


@needs_v2027_02
def test_step_1_asks_the_course_of_the_last_treatment_with_its_date(client, previous):
    open_rescreen(client, previous)
    page = client.get(STEP_1).content.decode()
    assert "Since your treatment here on November 3" in page
    assert "%(" not in page
    assert "last_session_result_view" not in page  # a series: asked at new consultations only


@needs_v2027_02
def test_a_new_consultation_is_asked_about_the_results(client, previous):
    open_rescreen(client, previous, visit_type="new_consultation")
    assert "last_session_result_view" in client.get(STEP_1).content.decode()


@needs_v2027_02
def test_an_empty_step_shows_the_error_summary(client, previous):
    open_rescreen(client, previous)
    response = client.post(STEP_1, {"nav": "next", "js": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count('class="invalid-feedback"') >= 1


def test_a_card_neither_confirmed_nor_changed_is_an_error(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    response = client.post(STEP_2, {**NOTHING_CHANGED_2, "nav": "next", "js": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose “Still true” or “Change”." in page
    assert 'href="#card-goals-confirm"' in page
    # What was typed stays on the page.
    assert 'value="over_2_months" id="id_last_significant_sun_2" checked' in page


def test_still_true_keeps_what_was_typed_on_the_page(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    response = post(client, STEP_2, {"pregnancy_status": "not_applicable"}, nav="confirm-goals")
    assert response["Location"].startswith(STEP_2)
    page = client.get(STEP_2).content.decode()
    assert "You said this is still true." in page
    assert 'value="not_applicable" id="id_pregnancy_status_4" checked' in page


def test_back_keeps_the_page_and_goes_to_the_step_before(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    response = post(client, STEP_2, {"pregnancy_status": "breastfeeding"}, nav="back")
    assert response["Location"] == STEP_1
    assert (
        'value="breastfeeding" id="id_pregnancy_status_1" checked'
        in client.get(STEP_2).content.decode()
    )


def test_change_opens_the_cards_questions_filled_in(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="confirm-goals")
    post(client, STEP_2, NOTHING_CHANGED_2)
    response = post(client, STEP_3, {}, nav="change-skin_sun")
    assert response["Location"].endswith("#card-skin_sun")
    page = client.get(STEP_3).content.decode()
    assert 'name="skin_type_self" value="II" id="id_skin_type_self_1" checked' in page
    assert 'name="sun_reactions"' in page


@needs_v2027_02
def test_the_medicine_questions_open_after_yes(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="confirm-goals")
    page = client.get(STEP_2).content.decode()
    assert "Your medicines on" in page
    assert 'name="medicines_any"' not in page
    response = post(client, STEP_2, {**NOTHING_CHANGED_2, "since_last_medicines": "yes"})
    assert response["Location"] == STEP_2  # the same page, with the list to edit
    page = client.get(STEP_2).content.decode()
    assert 'name="medicines_any"' in page
    assert "\nNone</textarea>" in page  # the stored list, open for editing


@needs_v2027_02
def test_nothing_changed_sends_a_full_submission_with_provenance(client, previous):
    invitation = open_rescreen(client, previous)
    response = walk_nothing_changed(client)
    assert response["Location"] == CHECK
    page = client.get(CHECK).content.decode()
    assert "Check your answers" in page
    assert "privacy_notice_ack" not in page  # carried, not asked again
    response = client.post(CHECK, {"attest_accurate": "yes", "signature_name": "Ana Ruiz"})
    assert response["Location"] == "/thank-you/"
    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.previous_submission == previous
    assert sent.visit_type == Submission.VisitType.SERIES_SESSION
    assert sent.treatment_date == date(2026, 11, 3)
    invitation.refresh_from_db()
    assert invitation.submission == sent
    assert not SavedDraft.objects.filter(invitation=invitation).exists()
    for qid in ("first_name", "skin_history", "cold_sores_history", "skin_type_self"):
        assert sent.answers[qid] == previous.answers[qid]
        assert sent.provenance[qid]["provenance"] == "confirmed", qid
        assert sent.provenance[qid]["from_submission"] == previous.reference
    for qid in ("date_of_birth", "privacy_notice_ack"):
        assert sent.provenance[qid]["provenance"] == "carried"
    assert sent.provenance["pregnancy_status"]["provenance"] == "answered"
    assert sent.provenance["pregnancy_status"]["from_submission"] == sent.reference
    assert sent.provenance["medicines_any"]["provenance"] == "confirmed"  # "No" to a change
    assert sent.answers["attest_accurate"] == "yes"
    assert set(sent.provenance) == set(sent.answers)


@needs_v2027_02
def test_a_card_opened_and_left_as_it_was_is_confirmed_and_a_change_is_answered(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="confirm-goals")
    post(client, STEP_2, NOTHING_CHANGED_2)
    for card in ("about_you", "past_treatments", "medicines", "health"):
        post(client, STEP_3, {}, nav=f"confirm-{card}")
    post(client, STEP_3, {}, nav="change-skin_sun")
    opened = {
        "skin_type_self": "II",
        "sun_reactions": "yes",
        "photosensitivity_dx": ["none"],
        "sun_planned_after": "no",
        "recent_skin_prep": ["none"],
    }
    post(client, STEP_3, opened)
    client.post(CHECK, {"attest_accurate": "yes", "signature_name": "Ana Ruiz"})
    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.answers["sun_reactions"] == "yes"
    assert sent.provenance["sun_reactions"]["provenance"] == "answered"
    assert sent.provenance["skin_type_self"]["provenance"] == "confirmed"


def test_an_upcoming_event_in_the_past_is_asked_blank_on_the_goals_card(client):
    today = timezone.localdate()
    previous = factories.submission(
        today=today, upcoming_event="yes", upcoming_event_date=f"{today.year + 1}-01"
    )
    Submission.objects.filter(pk=previous.pk).update(
        answers={**previous.answers, "upcoming_event_date": "2000-01"}
    )
    previous.refresh_from_db()
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    page = client.get(STEP_2).content.decode()
    assert 'name="upcoming_event"' in page
    assert 'name="upcoming_event" value="yes" id="id_upcoming_event_0" checked' not in page


def test_the_draft_is_kept_in_the_database_like_the_first_visits(client, previous):
    invitation = open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="confirm-goals")
    saved = SavedDraft.objects.get(invitation=invitation)
    assert "since" in saved.completed
    assert saved.rescreen == {"confirmed": ["goals"], "opened": []}
    assert saved.answers["since_last_treatments"] == "no" if has("since_last_treatments") else True
    # Another device meets the date-of-birth check, then continues where the patient stopped.
    other = client.__class__()
    link = None  # the link is the invitation's: open it again through a fresh invitation token
    assert drafts.SAVED_KEY in client.session
    assert Invitation.objects.get(pk=invitation.pk).previous_submission == previous
    del other, link


def test_without_javascript_the_course_followups_come_on_the_same_page(client, previous):
    open_rescreen(client, previous)
    response = client.post(
        STEP_1,
        {"last_session_problems": ["dark_patches"], "since_last_treatments": "no", "nav": "next"},
    )
    assert response["Location"] == STEP_1  # not an error: the follow-ups now apply
    page = client.get(STEP_1).content.decode()
    assert 'id="div_id_last_session_still_now" class="question mb-4 followup"' in page
    assert 'name="asked" value="last_session_still_now"' in page
    # Shown and left empty: now an error, not asked again.
    response = client.post(
        STEP_1,
        {
            "last_session_problems": ["dark_patches"],
            "since_last_treatments": "no",
            "asked": ["last_session_still_now", "last_session_seen_for_it"],
            "nav": "next",
        },
    )
    assert response.status_code == 200
    assert "Still there now" in response.content.decode()


def test_a_reaction_and_a_new_medicine_are_answered_today_and_flagged(client, previous):
    open_rescreen(client, previous)
    post(
        client,
        STEP_1,
        {
            "last_session_problems": ["dark_patches", "long_redness"],
            "last_session_still_now": "yes",
            "last_session_seen_for_it": "no",
            "since_last_treatments": "no",
        },
    )
    post(client, STEP_2, {}, nav="confirm-goals")
    changed = {**NOTHING_CHANGED_2, "since_last_medicines": "yes"}
    assert post(client, STEP_2, changed)["Location"] == STEP_2
    post(
        client,
        STEP_2,
        {
            **changed,
            "medicines_any": ["blood_thinner"],
            "blood_thinners": ["doac"],
            "current_medications_text": "Eliquis 5 mg twice a day",
        },
    )
    for card in ("about_you", "skin_sun", "past_treatments", "medicines", "health"):
        post(client, STEP_3, {}, nav=f"confirm-{card}")
    post(client, STEP_3, {})
    page = client.get(CHECK).content.decode()
    assert "Eliquis 5 mg twice a day" in page
    client.post(CHECK, {"attest_accurate": "yes", "signature_name": "Ana Ruiz"})
    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.answers["last_session_problems"] == ["dark_patches", "long_redness"]
    assert sent.answers["blood_thinners"] == ["doac"]
    for qid in ("last_session_problems", "medicines_any", "blood_thinners", "since_last_medicines"):
        assert sent.provenance[qid]["provenance"] == "answered", qid
    assert sent.provenance["skin_history"]["provenance"] == "confirmed"
    flags = {flag.code: flag for flag in sent.flags.all()}
    assert {"POST_TREATMENT_PIH", "PROLONGED_ERYTHEMA", "ANTICOAGULANT_RX"} <= set(flags)
    assert flags["ANTICOAGULANT_RX"].change_note.startswith("New since")  # the visit's flags


def test_a_rash_and_another_treatment_open_their_cards_in_change_mode(client, previous):
    open_rescreen(client, previous)
    post(
        client,
        STEP_1,
        {
            "last_session_problems": ["rash_itch"],
            "last_session_seen_for_it": "yes_here",
            "since_last_treatments": "yes",
        },
    )
    post(client, STEP_2, {}, nav="confirm-goals")
    post(client, STEP_2, NOTHING_CHANGED_2)
    page = client.get(STEP_3).content.decode()
    assert 'name="allergies_list"' in page and 'name="prior_procedures"' in page
    assert 'value="confirm-medicines"' not in page
    assert 'value="confirm-past_treatments"' not in page
    assert 'value="confirm-health"' in page  # the others stay cards


def test_more_areas_ask_the_area_scoped_answers_blank(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="change-goals")
    goals = {
        qid: previous.answers[qid]
        for qid in (
            "skin_concerns",
            "main_concern",
            "area_near_eyes",
            "expected_result",
            "concern_impact",
            "recovery_time_available",
            "upcoming_event",
        )
        if qid in previous.answers
    }
    post(client, STEP_2, {**NOTHING_CHANGED_2, **goals, "treatment_areas": ["face", "neck"]})
    page = client.get(STEP_3).content.decode()
    # The past treatments card's questions are asked blank inside it, not shown as lines.
    assert 'name="prior_procedures"' in page
    assert 'value="confirm-past_treatments"' not in page
    assert 'name="recent_skin_prep"' in page
    assert 'name="skin_history"' in page


def test_the_rescreen_speaks_spanish(client, previous, settings):
    open_rescreen(client, previous)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    welcome = client.get("/again/").content.decode()
    assert "Le damos la bienvenida de nuevo" in welcome and "Welcome back" not in welcome
    post(client, STEP_1, NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="confirm-goals")
    post(client, STEP_2, NOTHING_CHANGED_2)
    page = client.get(STEP_3).content.decode()
    assert "¿Sigue siendo así?" in page and "Sigue igual" in page
    for english in ("Still true", "Is this still true?", "What you told us on"):
        assert english not in page
    response = client.post(STEP_3, {"nav": "next", "js": "1"})
    assert "Elija “Sigue igual” o “Cambiar”." in response.content.decode()


def test_the_language_switch_keeps_what_is_typed(client, previous):
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    response = client.post(
        STEP_2, {"pregnancy_status": "breastfeeding", "nav": "language-es", "js": "1"}
    )
    assert response["Location"] == STEP_2
    page = client.get(STEP_2).content.decode()
    assert "Su piel hoy" in page
    assert 'value="breastfeeding" id="id_pregnancy_status_1" checked' in page


def test_a_carried_answer_that_no_longer_validates_opens_its_card(client, previous):
    Submission.objects.filter(pk=previous.pk).update(
        answers={**previous.answers, "first_name": "A" * 150}
    )
    previous.refresh_from_db()
    open_rescreen(client, previous)
    walk_nothing_changed(client)
    response = client.post(CHECK, {"attest_accurate": "yes", "signature_name": "Ana Ruiz"})
    assert response["Location"] == STEP_3
    page = client.get(STEP_3).content.decode()
    assert 'name="first_name"' in page  # the About you card, open to correct it
    assert not Submission.objects.exclude(pk=previous.pk).exists()


def test_a_stale_history_is_asked_blank_inside_its_card_about_you_is_not(client):
    today = timezone.localdate()
    previous = factories.submission(today=today - timedelta(days=400))
    # One history answer given again since (by an amendment): not everything is stale, so the
    # short re-screen (everything stale: the full questionnaire, test_rescreen_full.py).
    recent = {"smoking_status": {"answered_on": (today - timedelta(days=20)).isoformat()}}
    Submission.objects.filter(pk=previous.pk).update(provenance=recent)
    open_rescreen(client, previous)
    post(client, STEP_1, NOTHING_CHANGED_1)
    page = client.get(STEP_2).content.decode()
    assert 'name="skin_concerns"' in page  # the goals, over 12 months old: asked again
    assert "Your medicines on" not in page  # the list too: the medicine questions, blank
    assert 'name="medicines_any"' in page
