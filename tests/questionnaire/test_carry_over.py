"""The re-screen's carry-over (screening/questionnaire/carry_over.py): the classification of the
v3 bank, and the rules for stale, older-version, "Not sure", past-date, area-scoped and
after-a-problem answers, at their boundaries."""

from datetime import date

import pytest

from screening.demo import no_risk_answers, no_risk_answers_v1, no_risk_answers_v2
from screening.questionnaire import carry_over as co
from screening.questionnaire import current, definition_for
from screening.questionnaire.carry_over import Outcome, Reason

TODAY = date(2027, 4, 20)
FORM_DATE = date(2027, 1, 20)


def previous(answers=None, *, version=None, submitted_on=FORM_DATE, provenance=None, reports=()):
    return co.Previous(
        reference="PREV-1",
        version=version or "2027.01",
        submitted_on=submitted_on,
        answers=no_risk_answers() if answers is None else answers,
        provenance=provenance or {},
        course_reports=tuple(reports),
    )


def plan_for(prev, **kwargs):
    return co.plan(prev, today=kwargs.pop("today", TODAY), definition=current(), **kwargs)


# --- The classification ----------------------------------------------------------------------


def test_the_classification_covers_the_v3_bank_once():
    v3 = definition_for("2027.01")
    carried, reask, unasked = co.CARRIED_IDS, co.REASK_IDS, co.NOT_ASKED_IDS
    assert (len(carried), len(reask), len(unasked)) == (66, 19, 2)
    assert [len(card.ids) for card in co.CARDS] == [9, 14, 5, 21, 5, 12]
    everything = [*carried, *reask, *unasked]
    assert len(set(everything)) == len(everything) == 87
    assert set(everything) == set(v3.questions)


def test_every_card_id_belongs_to_its_section_in_v3():
    v3 = definition_for("2027.01")
    for card in co.CARDS:
        for qid in card.ids:
            assert v3.questions[qid].section_key == card.section_key, qid


def test_the_healthy_patient_carries_every_shown_answer_onto_its_card():
    result = plan_for(previous())
    answers = no_risk_answers()
    for qid in co.CARRIED_IDS:
        if qid in answers:
            assert result.outcomes[qid] is Outcome.CARD, qid
            assert result.carried[qid] == answers[qid]
    # Optional questions left empty are not asked again (Change opens them).
    assert "goals_text" not in result.outcomes
    assert "other_conditions_text" not in result.outcomes
    # Hidden follow-ups (no cold sores, no procedures) are neither listed nor asked.
    assert "prior_filler_last" not in result.outcomes
    assert "numbing_reaction" not in result.outcomes
    assert result.outcomes["date_of_birth"] is Outcome.UNSHOWN
    assert result.outcomes["privacy_notice_ack"] is Outcome.UNSHOWN
    assert result.medicines_listed
    assert result.change_mode == frozenset()
    # Nothing of the re-ask group is carried onto a card.
    assert not set(result.carried) & (set(co.NOW_IDS) | set(co.RETINOID_IDS))


# --- Rule 2: stale answers -------------------------------------------------------------------


def test_add_months_clamps_the_day():
    assert co.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert co.add_months(date(2026, 4, 20), 12) == date(2027, 4, 20)
    assert co.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_exactly_twelve_months_is_not_stale_a_day_more_is():
    assert not co.is_stale(date(2026, 4, 20), TODAY)
    assert co.is_stale(date(2026, 4, 19), TODAY)
    assert co.is_stale(date(2026, 10, 19), TODAY, months=6)


@pytest.mark.parametrize(
    ("submitted_on", "outcome"),
    [(date(2026, 4, 20), Outcome.CARD), (date(2026, 4, 19), Outcome.BLANK)],
)
def test_a_stale_history_answer_is_asked_blank(submitted_on, outcome):
    result = plan_for(previous(submitted_on=submitted_on))
    assert result.outcomes["cold_sores_history"] is outcome
    assert result.outcomes["skin_type_self"] is outcome
    if outcome is Outcome.BLANK:
        assert result.reasons["cold_sores_history"] is Reason.STALE
        assert not result.medicines_listed  # the stored list too
    # About you and the date of birth are exempt.
    assert result.outcomes["first_name"] is Outcome.CARD
    assert result.outcomes["date_of_birth"] is Outcome.UNSHOWN


def test_a_confirmation_does_not_reset_the_clock():
    # The previous submission is recent, but it only confirmed an answer given 13 months ago.
    provenance = {
        "cold_sores_history": {
            "provenance": "confirmed",
            "from_submission": "FIRST-1",
            "answered_on": "2026-03-01",
            "confirmed_on": "2027-01-20",
        }
    }
    result = plan_for(previous(provenance=provenance))
    assert result.outcomes["cold_sores_history"] is Outcome.BLANK
    assert result.reasons["cold_sores_history"] is Reason.STALE
    assert result.outcomes["skin_history"] is Outcome.CARD  # answered on the form date


def test_the_limit_is_a_parameter():
    assert plan_for(previous(), months=2).outcomes["skin_history"] is Outcome.BLANK
    assert plan_for(previous(), months=3).outcomes["skin_history"] is Outcome.CARD


# --- Rule 4: older versions ------------------------------------------------------------------


def test_from_v2_the_gateways_and_prior_procedures_are_asked_with_their_followups():
    answers = no_risk_answers_v2(skin_conditions=["rosacea"], prior_procedures=["filler"])
    answers["prior_filler_last"] = "2026-01"
    result = plan_for(previous(answers, version="2026.12"))
    for qid in ("skin_history", "health_conditions", "allergies_list", "recent_skin_prep"):
        assert result.outcomes[qid] is Outcome.BLANK, qid
    assert result.reasons["prior_procedures"] is Reason.VERSION  # gained precancer_treatment
    assert result.reasons["skin_conditions"] is Reason.PARENT  # follows skin_history
    assert result.outcomes["prior_filler_last"] is Outcome.BLANK
    assert not result.medicines_listed
    # Kept ids of the same kind and keys are carried; no retired id ever is.
    assert result.outcomes["cold_sores_history"] is Outcome.CARD
    assert result.outcomes["first_name"] is Outcome.CARD
    assert "gold_therapy_ever" not in result.carried


def test_from_v1_prior_procedures_is_asked_for_nonablative_laser_changed_meaning():
    assert not co.compatible("prior_procedures", "2026.11.1", current())
    assert co.compatible("prior_procedures", "2027.01", current())
    assert co.compatible("cold_sores_history", "2026.11.1", current())
    result = plan_for(previous(no_risk_answers_v1(), version="2026.11.1"))
    assert result.outcomes["prior_procedures"] is Outcome.BLANK


def test_a_kind_change_or_an_unknown_version_is_not_carried():
    assert not co.compatible("first_name", "1999.01", current())
    assert not co.compatible("no_such_id", "2027.01", current())


# --- Per-item exceptions ---------------------------------------------------------------------


def test_a_carried_not_sure_is_asked_blank_with_its_list():
    answers = no_risk_answers(
        expected_result="unsure", skin_history=["not_sure"], skin_history_unsure=["keloid"]
    )
    result = plan_for(previous(answers))
    assert result.reasons["expected_result"] is Reason.NOT_SURE
    assert result.reasons["skin_history"] is Reason.NOT_SURE
    assert result.outcomes["skin_history_unsure"] is Outcome.BLANK
    assert co.is_not_sure("allergies_list_unsure", ["numbing"])
    assert not co.is_not_sure("allergies_list", ["numbing"])


@pytest.mark.parametrize(
    ("event_date", "outcome"), [("2027-03", Outcome.BLANK), ("2027-04", Outcome.CARD)]
)
def test_an_upcoming_event_in_the_past_is_asked_blank(event_date, outcome):
    answers = no_risk_answers(upcoming_event="yes", upcoming_event_date=event_date)
    result = plan_for(previous(answers))
    assert result.outcomes["upcoming_event"] is outcome
    assert result.outcomes["upcoming_event_date"] is outcome
    if outcome is Outcome.BLANK:
        assert "upcoming_event_date" not in result.carried
        assert result.reasons["upcoming_event"] is Reason.PAST_DATE


@pytest.mark.parametrize(
    ("today_answers", "grew"),
    [
        ({"treatment_areas": ["face"], "area_near_eyes": "no"}, False),
        ({"treatment_areas": ["face", "chest"]}, True),
        ({"treatment_areas": ["face"], "area_near_eyes": "yes"}, True),
        ({}, False),
    ],
)
def test_area_scoped_answers_are_asked_blank_when_the_areas_grow(today_answers, grew):
    answers = no_risk_answers(
        health_conditions=["implant_or_seizures"], energy_device_safety=["pacemaker_icd"]
    )
    result = plan_for(previous(answers), today_answers=today_answers)
    expected = Outcome.BLANK if grew else Outcome.CARD
    for qid in ("prior_procedures", "prior_treatment_problems", "skin_history", "recent_skin_prep"):
        assert result.outcomes[qid] is expected, qid
    assert result.outcomes["energy_device_safety"] is expected
    assert result.outcomes["health_conditions"] is Outcome.CARD  # not area-scoped
    assert result.outcomes["cold_sores_history"] is Outcome.CARD


def test_the_eyes_already_yes_do_not_count_as_new():
    answers = no_risk_answers(area_near_eyes="yes")
    result = plan_for(previous(answers), today_answers={"area_near_eyes": "yes"})
    assert result.outcomes["skin_history"] is Outcome.CARD


def test_a_course_problem_in_the_chain_asks_the_history_blank():
    redness = co.CourseReport(submitted_on=FORM_DATE, problems=frozenset({"long_redness"}))
    result = plan_for(previous(reports=[redness]))
    assert result.reasons["prior_treatment_problems"] is Reason.COURSE_PROBLEM
    assert result.outcomes["cold_sores_history"] is Outcome.CARD  # not a cold sore
    sore = co.CourseReport(submitted_on=FORM_DATE, problems=frozenset({"cold_sore"}))
    result = plan_for(previous(reports=[sore]))
    assert result.reasons["cold_sores_history"] is Reason.COURSE_PROBLEM


def test_a_problem_reported_before_the_answer_was_given_again_does_not_count():
    provenance = {"prior_treatment_problems": {"answered_on": "2027-01-20"}}
    earlier = co.CourseReport(submitted_on=date(2026, 12, 1), problems=frozenset({"scar"}))
    result = plan_for(previous(provenance=provenance, reports=[earlier]))
    assert result.outcomes["prior_treatment_problems"] is Outcome.CARD
    assert co.course_problems({"last_session_problems": ["none"]}) == frozenset()
    assert co.course_problems(
        {"last_session_problems": ["not_sure"], "last_session_problems_unsure": ["cold_sore"]}
    ) == frozenset({"cold_sore"})


@pytest.mark.parametrize(
    ("today_answers", "cards"),
    [
        ({"last_session_problems": ["rash_itch"]}, {"medicines"}),
        (
            {"last_session_problems": ["not_sure"], "last_session_problems_unsure": ["rash_itch"]},
            {"medicines"},
        ),
        ({"since_last_treatments": "unsure"}, {"past_treatments"}),
        (
            {"since_last_treatments": "yes", "last_session_problems": ["rash_itch"]},
            {"medicines", "past_treatments"},
        ),
        ({"since_last_treatments": "no", "last_session_problems": ["dark_patches"]}, set()),
    ],
)
def test_cards_that_open_in_change_mode(today_answers, cards):
    assert plan_for(previous(), today_answers=today_answers).change_mode == cards


# --- Rule 1: provenance ----------------------------------------------------------------------


def test_record_says_answered_confirmed_or_carried():
    prev = previous(
        provenance={"skin_history": {"from_submission": "FIRST-1", "answered_on": "2026-09-01"}}
    )
    carry = plan_for(prev)
    answered = {
        "pregnancy_status": "not_applicable",
        "skin_type_self": "II",  # an opened card's line left as it was: confirmed
        "sun_reactions": "yes",  # changed: answered
    }
    answers, provenance = co.record(
        prev, carry, today=TODAY, answered=answered, confirmed={"skin_history", "first_name"}
    )
    assert answers["skin_history"] == ["none"]
    assert provenance["skin_history"] == {
        "provenance": "confirmed",
        "from_submission": "FIRST-1",
        "answered_on": "2026-09-01",
        "confirmed_on": "2027-04-20",
    }
    assert provenance["first_name"]["from_submission"] == "PREV-1"
    assert provenance["first_name"]["answered_on"] == "2027-01-20"
    assert provenance["skin_type_self"]["provenance"] == "confirmed"
    assert provenance["sun_reactions"] == {
        "provenance": "answered",
        "from_submission": None,
        "answered_on": "2027-04-20",
        "confirmed_on": None,
    }
    assert provenance["pregnancy_status"]["provenance"] == "answered"
    assert provenance["date_of_birth"]["provenance"] == "carried"
    assert provenance["date_of_birth"]["confirmed_on"] is None
    assert "cold_sores_history" not in answers  # neither confirmed nor answered


def test_the_medicine_list_is_shown_whole_or_asked_blank():
    answers = no_risk_answers(medicines_any=["blood_thinner"], blood_thinners=["unsure"])
    result = plan_for(previous(answers))
    assert result.reasons["blood_thinners"] is Reason.NOT_SURE
    assert not result.medicines_listed
    assert result.outcomes["medicines_any"] is Outcome.BLANK
    listed = plan_for(
        previous(no_risk_answers(medicines_any=["blood_thinner"], blood_thinners=["doac"]))
    )
    assert listed.medicines_listed and listed.outcomes["blood_thinners"] is Outcome.CARD


def test_an_answer_whose_key_is_no_longer_offered_is_asked_blank():
    result = plan_for(previous(no_risk_answers(smoking_status="retired_key")))
    assert result.reasons["smoking_status"] is Reason.VERSION


# --- The privacy acknowledgement (section 1: "offered again only if the notice changed") -------


@pytest.mark.parametrize(
    ("acknowledged", "today_version", "outcome"),
    [
        ("", None, Outcome.UNSHOWN),  # not compared (no version given)
        ("", "", Outcome.UNSHOWN),  # unversioned then and now
        ("2027-01", "2027-01", Outcome.UNSHOWN),
        ("2027-01", "2027-03", Outcome.BLANK),
        ("", "2027-03", Outcome.BLANK),  # acknowledged before the clinic versioned its notice
    ],
)
def test_the_privacy_acknowledgement_is_asked_again_only_when_the_notice_changed(
    acknowledged, today_version, outcome
):
    prev = co.Previous(
        reference="PREV-1",
        version="2027.01",
        submitted_on=FORM_DATE,
        answers=no_risk_answers(),
        privacy_notice_version=acknowledged,
    )
    result = plan_for(prev, notice_version=today_version)
    assert result.outcomes["privacy_notice_ack"] is outcome
    if outcome is Outcome.BLANK:
        assert result.reasons["privacy_notice_ack"] is Reason.NOTICE_CHANGED
        assert "privacy_notice_ack" not in result.carried
    assert result.outcomes["date_of_birth"] is Outcome.UNSHOWN  # identity stays carried


def test_an_unticked_privacy_acknowledgement_is_offered_again_whatever_the_version():
    prev = co.Previous(
        reference="PREV-1",
        version="2027.01",
        submitted_on=FORM_DATE,
        answers={**no_risk_answers(), "privacy_notice_ack": "no"},
    )
    result = plan_for(prev, notice_version="")
    assert result.outcomes["privacy_notice_ack"] is Outcome.BLANK
    assert result.reasons["privacy_notice_ack"] is Reason.MISSING
