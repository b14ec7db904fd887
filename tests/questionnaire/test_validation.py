"""validate_answers: clean answers in the stored format, or patient-readable errors by id."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.questionnaire import CURRENT_VERSION, current
from screening.questionnaire.validation import validate_answers
from tests.factories import full_answers, many_followups_answers

TODAY = date(2026, 11, 24)


def errors_of(**overrides):
    return validate_answers(full_answers(**overrides), today=TODAY, version=CURRENT_VERSION).errors


def test_a_complete_patient_without_follow_ups_is_valid_and_stored_as_given():
    result = validate_answers(full_answers(), today=TODAY, version=CURRENT_VERSION)
    assert result.errors == {}
    assert result.answers == full_answers()


def test_a_patient_with_many_follow_ups_is_valid():
    result = validate_answers(many_followups_answers(), today=TODAY, version=CURRENT_VERSION)
    assert result.errors == {}
    assert result.answers["prior_filler_last"] == "unknown"
    assert result.answers["goals_text"] == "Smoother skin.\nLess visible scars."


def test_required_questions_missing_are_each_reported():
    answers = full_answers()
    del answers["email"], answers["skin_concerns"], answers["attest_accurate"]
    errors = validate_answers(answers, today=TODAY, version=CURRENT_VERSION).errors
    assert set(errors) == {"email", "skin_concerns", "attest_accurate"}


def test_optional_questions_may_be_left_out():
    answers = full_answers()
    del answers["privacy_notice_ack"]
    assert validate_answers(answers, today=TODAY, version=CURRENT_VERSION).errors == {}


def test_a_follow_up_is_required_only_when_its_condition_holds():
    assert set(errors_of(upcoming_event="yes")) == {"upcoming_event_date"}
    assert errors_of(upcoming_event="no") == {}


def test_hidden_answers_are_dropped():
    result = validate_answers(
        full_answers(
            upcoming_event="no",
            upcoming_event_date="2027-01",
            quit_date="2020-01",
            isotretinoin_last_dose="2026-01",
            unknown_field="sneaky",
            decision="approved",
            status="decided",
        ),
        today=TODAY,
        version=CURRENT_VERSION,
    )
    assert result.errors == {}
    for dropped in (
        "upcoming_event_date",
        "quit_date",
        "isotretinoin_last_dose",
        "unknown_field",
        "decision",
        "status",
    ):
        assert dropped not in result.answers


def test_a_changed_earlier_answer_drops_its_follow_ups_chain():
    answers = many_followups_answers(isotretinoin_ever="no")
    result = validate_answers(answers, today=TODAY, version=CURRENT_VERSION)
    assert result.errors == {}
    assert "isotretinoin_current" not in result.answers
    assert "isotretinoin_last_dose" not in result.answers


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("preferred_contact_method", "carrier_pigeon"),
        ("ok_voicemail", "maybe"),
        ("ok_voicemail", True),
        ("area_near_eyes", "YES"),
        ("skin_concerns", ["fine_lines", "freckles"]),
        ("skin_concerns", "fine_lines"),  # a single value where a list belongs
        ("best_contact_time", ["morning"]),  # a list where a single value belongs
        ("skin_concerns", ["fine_lines", "fine_lines"]),
        ("skin_concerns", [1, 2]),
    ],
)
def test_unknown_choice_keys_and_wrong_shapes_are_refused(question_id, value):
    assert question_id in errors_of(**{question_id: value})


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("prior_procedures", ["none", "filler"]),
        ("blood_thinners", ["unsure", "warfarin"]),
        ("blood_thinners", ["none", "unsure"]),
        ("skin_conditions", ["rosacea", "none"]),
        ("medicines_any", ["none", "gold"]),
        ("health_conditions", ["not_sure", "none"]),
    ],
)
def test_none_or_unsure_cannot_be_combined_with_other_choices(question_id, value):
    answers = {**SHOWN_BY.get(question_id, {}), question_id: value}
    assert "can't be combined" in str(errors_of(**answers)[question_id])


# 2027.01 asks these only after their gateway item is ticked.
SHOWN_BY = {
    "blood_thinners": {"medicines_any": ["blood_thinner"]},
    "skin_conditions": {"skin_history": ["skin_condition"]},
    "energy_device_safety": {"health_conditions": ["implant_or_seizures"]},
    "photosensitising_meds": {"medicines_any": ["sun_sensitising"]},
}


def test_a_gateways_not_sure_combines_with_its_items_and_asks_which():
    answers = {"skin_history": ["keloid", "not_sure"]}
    assert errors_of(**answers, skin_history_unsure=["shingles"]) == {}
    errors = errors_of(**answers)
    assert str(errors["skin_history_unsure"]) == "Choose the ones you're not sure about."


def test_photosensitising_other_unsure_can_be_combined():
    answers = {
        **SHOWN_BY["photosensitising_meds"],
        "photosensitising_meds": ["diuretic", "other_unsure"],
    }
    assert errors_of(**answers) == {}


def test_multi_choice_answers_are_stored_in_questionnaire_order():
    result = validate_answers(
        full_answers(treatment_areas=["hands", "face"]), today=TODAY, version=CURRENT_VERSION
    )
    assert result.answers["treatment_areas"] == ["face", "hands"]


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("2026-11-24", True),  # born today: a date, not in the future
        ("2026-11-25", False),  # tomorrow
        ("1906-11-24", True),  # exactly 120 years
        ("1906-11-23", False),  # more than 120 years ago
        ("2026-02-30", False),
        ("0000-01-01", False),
        ("1980-5-17", False),
        ("17/05/1980", False),
        ("19800517", False),
        ("", False),
    ],
)
def test_date_of_birth_boundaries(value, accepted):
    assert ("date_of_birth" not in errors_of(date_of_birth=value)) is accepted


@pytest.mark.parametrize(
    ("question_id", "value", "accepted"),
    [
        ("isotretinoin_last_dose", "2026-11", True),  # this month
        ("isotretinoin_last_dose", "2026-12", False),  # next month: in the future
        ("isotretinoin_last_dose", "unknown", True),
        ("isotretinoin_last_dose", "2026-13", False),
        ("isotretinoin_last_dose", "1899-12", False),
        ("isotretinoin_last_dose", "11/2025", True),  # typed where the browser has no month picker
        ("quit_date", "unknown", True),  # v2 offers "I don't remember" (v1 did not)
        ("upcoming_event_date", "2026-11", True),  # later this month
        ("upcoming_event_date", "2026-10", False),  # in the past
    ],
)
def test_month_year_boundaries(question_id, value, accepted):
    answers = many_followups_answers(**{question_id: value})
    errors = validate_answers(answers, today=TODAY, version=CURRENT_VERSION).errors
    assert (question_id not in errors) is accepted


def test_month_year_typed_as_month_slash_year_is_stored_in_the_spec_format():
    result = validate_answers(
        many_followups_answers(isotretinoin_last_dose="3/2025"),
        today=TODAY,
        version=CURRENT_VERSION,
    )
    assert result.answers["isotretinoin_last_dose"] == "2025-03"


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("ana@example.com", True),
        ("ana@example", False),
        ("ana example.com", False),
        ("<script>@x.com", False),
    ],
)
def test_email_format(value, accepted):
    assert ("email" not in errors_of(email=value)) is accepted


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("(555) 010-0123", True),
        ("+44 20 7946 0958", True),
        ("555-0123", True),
        ("12345", False),
        ("call me maybe", False),
        ("1" * 23, False),
    ],
)
def test_phone_format(value, accepted):
    assert ("phone" not in errors_of(phone=value)) is accepted


def test_text_is_trimmed():
    assert (
        validate_answers(
            full_answers(first_name="  Ana  "), today=TODAY, version=CURRENT_VERSION
        ).answers["first_name"]
        == "Ana"
    )


def test_text_beyond_its_length_is_refused_with_the_limit_named():
    message = str(errors_of(first_name="A" * 101)["first_name"])
    assert "100" in message
    assert "current_medications_text" in errors_of(current_medications_text="x" * 100_001)


@pytest.mark.parametrize(
    "value", ["Ana\x00", "Ana\x1b[31m", "Ana\nMaria", "\u202eanA", "A\u2066na"]
)
def test_control_and_bidirectional_characters_are_refused_in_short_text(value):
    assert "first_name" in errors_of(first_name=value)


def test_line_breaks_and_tabs_are_kept_in_long_text():
    text = "Line one\n\tindented\r\nline three"
    result = validate_answers(
        full_answers(anything_else_text=text), today=TODAY, version=CURRENT_VERSION
    )
    assert result.answers["anything_else_text"] == "Line one\n\tindented\nline three"


@pytest.mark.parametrize(
    "value",
    [
        "José Ñúñez",
        "Zoë",
        "李小龍",
        "محمد",
        "O'Brien",
        "\U0001f469\U0001f3fd Dr",  # a zero-width joiner is refused (test_invisible_characters)
    ],
)
def test_accented_non_latin_and_emoji_text_is_kept_exactly(value):
    result = validate_answers(full_answers(last_name=value), today=TODAY, version=CURRENT_VERSION)
    assert result.answers["last_name"] == value


def test_main_concern_must_be_one_of_the_concerns_picked():
    answers = full_answers(skin_concerns=["wrinkles", "texture"], main_concern="acne_scars")
    errors = validate_answers(answers, today=TODAY, version=CURRENT_VERSION).errors
    assert set(errors) == {"main_concern"}


def test_required_tick_box_must_be_ticked():
    assert "attest_accurate" in errors_of(attest_accurate="no")
    assert errors_of(privacy_notice_ack="no") == {}


def test_only_limits_reported_errors_to_one_step():
    answers = {"first_name": "Ana"}
    result = validate_answers(
        answers, today=TODAY, version=CURRENT_VERSION, only={"first_name", "last_name"}
    )
    assert set(result.errors) == {"last_name"}


@pytest.mark.parametrize("not_a_dict", [None, [], "answers", 42])
def test_anything_but_a_dict_is_an_error_not_an_exception(not_a_dict):
    assert validate_answers(not_a_dict, today=TODAY, version=CURRENT_VERSION).errors


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=8,
)
question_ids = st.sampled_from(sorted(current().questions))


@given(st.dictionaries(question_ids | st.text(), json_values, max_size=12))
def test_arbitrary_json_gives_clean_answers_or_errors_never_an_exception(raw):
    result = validate_answers(raw, today=TODAY, version=CURRENT_VERSION)
    assert isinstance(result.errors, dict)
    assert set(result.answers) <= set(current().questions)


@given(st.dictionaries(question_ids, json_values, max_size=12))
def test_arbitrary_values_on_real_ids_never_raise(overrides):
    result = validate_answers(full_answers(**overrides), today=TODAY, version=CURRENT_VERSION)
    if result.is_valid:
        assert (
            validate_answers(result.answers, today=TODAY, version=CURRENT_VERSION).answers
            == result.answers
        )


@pytest.mark.parametrize(
    ("question_id", "message"),
    [
        ("prior_procedures", "Choose the treatments you've had, or “None of these”."),
        ("energy_device_safety", "Choose the ones that apply to you, or “None of these”."),
        ("skin_concerns", "Choose at least one thing you'd like to improve."),
        ("treatment_areas", "Choose at least one area you'd like treated."),
    ],
)
def test_a_multi_choice_left_empty_mentions_none_only_where_there_is_one(question_id, message):
    answers = full_answers(**SHOWN_BY.get(question_id, {}))
    answers.pop(question_id, None)
    errors = validate_answers(answers, today=TODAY, version=CURRENT_VERSION).errors
    assert str(errors[question_id]) == message


def test_a_v1_answer_set_is_valid_under_v1_and_incomplete_under_v2():
    from screening.demo import no_risk_answers_v1

    assert validate_answers(no_risk_answers_v1(), today=TODAY, version="2026.11.1").is_valid
    errors = validate_answers(no_risk_answers_v1(), today=TODAY, version="2026.12").errors
    assert set(errors) == {
        "hair_removal_recent",
        "recurrent_skin_infection",
        "energy_device_safety",
    }


def test_quit_date_i_dont_remember_is_valid_in_v2_only():
    answers = full_answers(smoking_status="former", quit_date="unknown")
    assert validate_answers(answers, today=TODAY, version=CURRENT_VERSION).is_valid
    from screening.demo import no_risk_answers_v1

    v1 = no_risk_answers_v1(smoking_status="former", quit_date="unknown")
    assert "quit_date" in validate_answers(v1, today=TODAY, version="2026.11.1").errors
