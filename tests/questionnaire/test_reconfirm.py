"""What is re-confirmed before the visit, and when (questionnaire/reconfirm.py): pure rules."""

from datetime import date

from screening.questionnaire import current, definition_for, reconfirm
from tests.factories import full_answers

SENT = date(2026, 11, 24)


def test_exactly_the_days_after_is_not_due_one_more_is():
    assert not reconfirm.is_due(SENT, date(2026, 12, 8), days=14)  # 14 days
    assert reconfirm.is_due(SENT, date(2026, 12, 9), days=14)  # 15 days


def test_no_appointment_is_never_due():
    assert not reconfirm.is_due(SENT, None, days=14)


def test_the_contracts_items_in_its_order():
    ids = [qid for item in reconfirm.ITEMS for qid in item.question_ids]
    assert ids[:2] == ["pregnancy_status", "current_skin_problems_area"]
    for required in (
        "last_significant_sun",
        "recent_skin_prep",
        "isotretinoin_ever",
        "isotretinoin_current",
        "isotretinoin_last_dose",
        "since_last_medicines",
        "since_last_treatments",
        "skin_condition_active",
        "vitiligo_active_12m",
        "last_session_problems",
    ):
        assert required in ids
    assert {"since_last_medicines", "since_last_treatments"} == reconfirm.SINCE_IDS


def test_items_shown_are_those_the_submission_answered():
    shown = [item.key for item in reconfirm.confirm_items(full_answers())]
    assert shown == ["pregnancy", "skin_now", "sun", "skin_prep", "isotretinoin"]
    with_condition = full_answers(
        skin_history=["skin_condition"], skin_conditions=["vitiligo"], vitiligo_active_12m="no"
    )
    assert "vitiligo" in [item.key for item in reconfirm.confirm_items(with_condition)]


def test_a_change_asks_the_item_and_its_follow_ups_in_the_forms_order():
    definition = current()
    ids = reconfirm.change_ids(["isotretinoin", "pregnancy"], {}, definition)
    assert ids == (
        "isotretinoin_ever",
        "oral_retinoid_type",
        "isotretinoin_current",
        "isotretinoin_last_dose",
        "pregnancy_status",
    )


def test_yes_or_not_sure_to_a_since_question_opens_what_it_is_about():
    definition = current()
    medicines = reconfirm.change_ids([], {"since_last_medicines": "unsure"}, definition)
    assert "medicines_any" in medicines and "blood_thinners" in medicines
    assert "allergies_list" not in medicines
    treatments = reconfirm.change_ids([], {"since_last_treatments": "yes"}, definition)
    assert "prior_procedures" in treatments and "prior_treatment_problems" in treatments
    assert reconfirm.change_ids([], {"since_last_treatments": "no"}, definition) == ()


def test_an_older_versions_missing_ids_are_left_out():
    v1 = definition_for("2026.11.1")
    assert all(qid in v1.questions for qid in reconfirm.change_ids(["skin_now"], {}, v1))
