"""A provider's view of a returning patient's re-screen: exactly what changed since the previous
form first (answers given today that differ, the last session's problems, new and cleared
flags with their notes), then the flags, then the answers with carried ones marked, earlier
sessions' course flags, the carried modality; the queue's "Re-screen" markers."""

from datetime import date

import pytest
from django.utils import timezone

from screening.models import Submission
from screening.questionnaire import definition_for
from screening.staff.decisions import decision_record
from screening.workspace.visit_changes import changed_answers, visit_changes
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
PREVIOUS_DAY = date(2026, 10, 1)
TREATED = date(2026, 10, 8)
NEW_MEDICINE = {
    "medicines_any": ["blood_thinner"],
    "blood_thinners": ["doac"],
    "current_medications_text": "Apixaban 5 mg twice a day",
}
REACTION = {
    "last_session_problems": ["long_redness"],
    "last_session_still_now": "no",
    "last_session_seen_for_it": "no",
}


LONG_REDNESS = "Redness or swelling for longer than you were told"


@pytest.fixture
def series(doctor):
    """A series patient: their first form (pregnant then: a priority flag), a decision to
    proceed with a fractional ablative series, and their session-2 re-screen reporting a
    reaction to session 1 and a new medicine."""
    previous = factories.submission(today=PREVIOUS_DAY, pregnancy_status="pregnant")
    previous.flags.update(acknowledged_by=doctor, acknowledged_at=timezone.now())
    decision_record(
        submission=previous,
        outcome="proceed",
        modality="fractional_ablative",
        notes="",
        actor=doctor,
        provider_skin_type="II",
        next_session_weeks=6,
    )
    rescreen = factories.rescreen_submission(
        previous,
        {
            **NEW_MEDICINE,
            **REACTION,
            "pregnancy_status": "none",
            "since_last_medicines": "yes",
            "since_last_treatments": "no",
        },
        treatment_date=TREATED,
    )
    return previous, rescreen


def review(client, doctor, submission) -> str:
    client.force_login(doctor)
    response = client.get(f"{QUEUE}{submission.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def panel_of(page: str) -> str:
    return page.split('id="visit-changes-title"')[1].split("</section>")[0]


def test_the_changes_come_first_then_the_flags_then_the_answers(client, doctor, series):
    previous, rescreen = series
    page = review(client, doctor, rescreen)
    changes = page.index('id="visit-changes-title"')
    assert changes < page.index('id="flags-title"') < page.index('id="answers-title"')
    assert "Changes since 2026-10-01" in page
    assert page.index('id="answers-title"') < page.index('id="earlier-sessions-title"')
    assert f"None before this one: {previous.reference} was the first form" in page
    # The first-visit "changes since last time" panel gives way to the re-screen's.
    assert 'id="changes-title"' not in page


def test_the_panel_lists_exactly_the_reaction_the_new_medicine_and_the_flag_changes(
    client, doctor, series
):
    _previous, rescreen = series
    panel = panel_of(review(client, doctor, rescreen))
    assert LONG_REDNESS in panel
    assert "Blood thinner" in panel and "Apixaban 5 mg twice a day" in panel
    # New and no-longer-raised flags against the previous form, with the flag's note.
    assert "New:" in panel and "ANTICOAGULANT_RX" in panel
    assert "New since October 1, 2026 (was: not asked)" in panel  # the rules' own note
    assert "No longer raised:" in panel and "PREGNANT" in panel
    # Exactly: the changed rows and nothing carried.
    changes = visit_changes(rescreen)
    assert [change.question_id for change in changes.answers] == [
        "medicines_any",
        "blood_thinners",
        "current_medications_text",
        "pregnancy_status",
    ]
    assert changes.course_problems == [LONG_REDNESS]
    # The typed medicine list is free text a provider reads: its flag is new too.
    assert {flag.code for flag in changes.new_flags} == {
        "PROLONGED_ERYTHEMA",
        "ANTICOAGULANT_RX",
        "FREE_TEXT_NEEDS_REVIEW",
    }
    assert [flag.code for flag in changes.cleared_flags] == ["PREGNANT"]
    definition = definition_for(rescreen.questionnaire_version)
    for carried in ("skin_type_self", "treatment_areas", "smoking_status"):
        assert str(definition.questions[carried].label) not in panel, carried


def test_a_rescreen_question_reads_with_the_visits_dates(client, doctor, series):
    _previous, rescreen = series
    page = review(client, doctor, rescreen)
    assert "%(" not in page
    assert "Since October 1, have you had any other skin treatment" in page
    assert "Since then, have you started, stopped or changed any medicine" in page
    assert "Are any of these still there now?" in panel_of(page)


def test_todays_rules_read_the_rescreen_with_its_visit(client, doctor, series):
    """The series' modality flag raised at submission is not "no longer raised" today."""
    _previous, rescreen = series
    assert rescreen.flags.filter(code="HSV_PROPHYLAXIS_POLICY", decision__isnull=True).exists()
    assert "Today's rules would flag this differently" not in review(client, doctor, rescreen)


def test_carried_answers_are_marked_apart_from_todays(client, doctor, series):
    previous, rescreen = series
    answers = review(client, doctor, rescreen).split('id="answers-title"')[1]
    assert f"Confirmed on this form; first answered on 2026-10-01 ({previous.reference})" in answers
    assert "Changed on this form" in answers
    assert 'class="prov-confirmed"' in answers and 'class="prov-answered"' in answers
    assert "carried over," in answers  # the sections' counts


def test_a_flag_still_raised_whose_answer_changed_is_listed_with_its_note(client, doctor):
    previous = factories.submission(today=PREVIOUS_DAY, **NEW_MEDICINE)
    rescreen = factories.rescreen_submission(
        previous,
        {"blood_thinners": ["warfarin"], "since_last_medicines": "yes"},
        treatment_date=TREATED,
    )
    panel = panel_of(review(client, doctor, rescreen))
    assert "Still raised, answer changed:" in panel
    assert "New since October 1, 2026 (was: Apixaban (Eliquis)" in panel  # the engine's note
    assert "No longer raised:" not in panel


def test_an_answer_carried_without_being_shown_says_so(client, doctor, series):
    previous, rescreen = series
    provenance = dict(rescreen.provenance)
    provenance["date_of_birth"] = {
        "provenance": "carried",
        "from_submission": previous.reference,
        "answered_on": "2026-10-01",
        "confirmed_on": None,
    }
    Submission.objects.filter(pk=rescreen.pk).update(provenance=provenance)
    page = review(client, doctor, rescreen)
    assert "Carried over, not shown to the patient; answered on 2026-10-01" in page


def test_the_modality_comes_from_the_decision_on_the_previous_form(client, doctor, series):
    previous, rescreen = series
    decided = previous.decisions.get().decided_at
    page = review(client, doctor, rescreen)
    assert (
        f"Modality from the decision of {timezone.localtime(decided):%Y-%m-%d}: "
        "Fractional ablative, provider's skin type II"
    ) in page
    assert "Treated here on 2026-10-08" in page


def test_an_answer_given_today_but_unchanged_is_not_a_change(series):
    previous, rescreen = series
    rescreen.provenance["skin_type_self"] = {"provenance": "answered"}
    assert "skin_type_self" not in [c.question_id for c in changed_answers(rescreen, previous)]


def test_a_confirmed_answer_is_never_a_change_even_if_worded_differently(series):
    previous, rescreen = series
    rescreen.answers["smoking_status"] = "former"  # e.g. an earlier version's answer carried
    assert rescreen.provenance["smoking_status"]["provenance"] == "confirmed"
    assert "smoking_status" not in [c.question_id for c in changed_answers(rescreen, previous)]


def test_nothing_changed_is_said_plainly(client, doctor):
    previous = factories.submission(today=PREVIOUS_DAY)
    rescreen = factories.rescreen_submission(
        previous, {"last_session_problems": ["none"]}, treatment_date=TREATED
    )
    panel = panel_of(review(client, doctor, rescreen))
    assert "Nothing changed" in panel


def test_earlier_sessions_list_the_course_flags_of_earlier_forms(client, doctor, series):
    previous, second = series
    # The reaction to session 1 raised its course flag on the session-2 form.
    assert second.flags.filter(code="PROLONGED_ERYTHEMA").exists()
    third = factories.rescreen_submission(
        second, {"last_session_problems": ["none"]}, treatment_date=date(2026, 11, 20)
    )
    section = review(client, doctor, third).split('id="earlier-sessions-title"')[1]
    section = section.split("</section>")[0]
    assert second.reference in section and "PROLONGED_ERYTHEMA" in section
    assert "after the treatment of 2026-10-08" in section
    # The first form raised no course flag and was no re-screen: not a session to list.
    assert previous.reference not in section


def test_the_queue_marks_a_series_rescreen_and_a_new_consultation(client, doctor, series):
    _previous, _rescreen = series
    other = factories.rescreen_submission(
        factories.submission(today=PREVIOUS_DAY, last_name="Other"),
        {},
        visit_type="new_consultation",
    )
    client.force_login(doctor)
    page = client.get(QUEUE).content.decode()
    assert page.count("Re-screen (series)</span>") == 1
    assert page.count(">Re-screen</span>") == 1
    banner = review(client, doctor, other).split('class="patient-banner"')[1].split("</section>")[0]
    assert "Re-screen" in banner and "change" in banner


def test_the_front_desk_sees_the_marker_but_never_the_changes(client, make_staff, series):
    _previous, rescreen = series
    client.force_login(make_staff("Front desk"))
    page = client.get(f"{QUEUE}{rescreen.pk}/change/").content.decode()
    assert "Re-screen (series)" in page
    for clinical in (
        "visit-changes",
        "Apixaban",
        "Blood thinner",
        "ANTICOAGULANT",
        "Earlier sessions",
    ):
        assert clinical not in page, clinical


def test_the_decision_page_shows_the_changes_above_the_form(client, doctor, series):
    _previous, rescreen = series
    client.force_login(doctor)
    page = client.get(f"{QUEUE}{rescreen.pk}/decide/").content.decode()
    assert page.index('id="visit-changes-title"') < page.index('name="outcome"')
    assert LONG_REDNESS in panel_of(page)


def test_the_print_view_carries_the_changes_and_the_provenance(client, doctor, series):
    _previous, rescreen = series
    client.force_login(doctor)
    page = client.get(f"{QUEUE}{rescreen.pk}/print/").content.decode()
    assert page.index('id="visit-changes-title"') < page.index('id="flags-title"')
    assert "Confirmed on this form" in page
