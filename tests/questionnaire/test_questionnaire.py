"""The question bank holds exactly its contract: ids, kinds, choice keys."""

import pytest

from screening.questionnaire import (
    CURRENT_VERSION,
    DEFINITIONS,
    RETIRED_IDS,
    AnswerIs,
    Kind,
    Picked,
    PickedMoreThanOne,
    UnknownVersion,
    current,
    definition_for,
)
from screening.questionnaire.versions import ORDER

# The contract of version 2026.11.1 (v1), frozen as it was published.
V1 = definition_for("2026.11.1")
QUESTIONS = V1.questions
SECTIONS = V1.sections

# Copied from the clinical contract; a change here is a change of the contract.
SPEC_CHOICES = {
    "preferred_contact_method": ["email", "phone_call", "text_message"],
    "best_contact_time": ["morning", "afternoon", "evening", "any_time"],
    "skin_concerns": [
        "fine_lines",
        "wrinkles",
        "deep_wrinkles_folds",
        "acne_scars",
        "surgical_injury_scars",
        "sun_damage",
        "age_spots",
        "uneven_tone",
        "texture",
        "enlarged_pores",
        "loose_skin",
        "other",
    ],
    "treatment_areas": ["face", "neck", "chest", "hands", "other"],
    "expected_result": ["subtle", "noticeable", "complete", "unsure"],
    "concern_impact": ["not_at_all", "a_little", "moderately", "a_lot"],
    "recovery_time_available": ["1_2_days", "about_week", "2_weeks_plus", "unsure"],
    "skin_type_self": ["I", "II", "III", "IV", "V", "VI", "unsure"],
    "last_significant_sun": ["within_4_weeks", "1_2_months", "over_2_months", "never_unsure"],
    "prior_procedures": [
        "ablative_laser",
        "nonablative_laser",
        "ipl",
        "chemical_peel_light",
        "chemical_peel_medium_deep",
        "dermabrasion",
        "microneedling",
        "filler",
        "neurotoxin",
        "facial_surgery",
        "eyelid_surgery",
        "none",
    ],
    "photosensitising_meds": [
        "tetracycline_class",
        "other_antibiotic",
        "diuretic",
        "amiodarone",
        "nsaid_regular",
        "st_johns_wort",
        "antifungal",
        "methotrexate",
        "other_unsure",
        "none",
    ],
    "blood_thinners": [
        "warfarin",
        "doac",
        "antiplatelet",
        "aspirin_daily",
        "injectable_anticoag",
        "none",
        "unsure",
    ],
    "immunosuppressant_meds": [
        "oral_steroid",
        "methotrexate_other_dmard",
        "biologic_jak",
        "transplant_meds",
        "chemotherapy",
        "none",
        "unsure",
    ],
    "cold_sores_history": ["never", "rarely", "often", "unsure"],
    "current_skin_problems_area": [
        "open_wound",
        "infection",
        "acne_breakout",
        "rash_flare",
        "sunburn",
        "none",
    ],
    "skin_conditions": [
        "vitiligo",
        "psoriasis",
        "eczema",
        "lichen_planus",
        "rosacea",
        "melasma",
        "light_patches",
        "none",
    ],
    "autoimmune_conditions": [
        "lupus",
        "scleroderma",
        "dermatomyositis",
        "rheumatoid_arthritis",
        "sjogrens",
        "other_autoimmune",
        "none",
    ],
    "diabetes": ["no", "yes_controlled", "yes_not_controlled", "prediabetes"],
    "pregnancy_status": [
        "pregnant",
        "breastfeeding",
        "trying",
        "none",
        "not_applicable",
        "prefer_not",
    ],
    "smoking_status": ["never", "former", "current_cigarettes", "current_vape_other"],
}

SPEC_KINDS = {
    Kind.TEXT: [
        "first_name",
        "last_name",
        "preferred_name",
        "skin_concerns_other",
        "treatment_areas_other",
        "goals_text",
        "prior_treatment_problems_text",
        "current_medications_text",
        "allergy_antibiotic_text",
        "allergy_other_text",
        "other_conditions_text",
        "anything_else_text",
        "questions_for_provider_text",
    ],
    Kind.DATE: ["date_of_birth"],
    Kind.EMAIL: ["email"],
    Kind.PHONE: ["phone"],
    Kind.MONTH_YEAR: [
        "upcoming_event_date",
        "isotretinoin_last_dose",
        "quit_date",
        *[f"prior_{key}_last" for key in SPEC_CHOICES["prior_procedures"] if key != "none"],
    ],
    Kind.YES_NO: [
        "ok_voicemail",
        "unencrypted_contact_consent",
        "upcoming_event",
        "self_tanner_recent",
        "isotretinoin_current",
        "bleeding_supplements",
        "antiviral_current",
        "allergies_any",
        "cold_sore_now",
        "skin_condition_active",
        "attest_accurate",
        "privacy_notice_ack",
    ],
    Kind.YES_NO_UNSURE: [
        "area_near_eyes",
        "current_tan_or_burn",
        "sun_planned_after",
        "sun_reactions",
        "eyelid_surgery_lower",
        "prior_treatment_problems",
        "isotretinoin_ever",
        "topical_retinoid_acid_current",
        "gold_therapy_ever",
        "allergy_local_anaesthetic",
        "allergy_antiviral",
        "allergy_antibiotic",
        "shingles_area",
        "changing_spot",
        "skin_cancer_history",
        "keloid_history",
        "slow_healing",
        "dark_marks_after_injury",
        "bleeding_disorder",
        "immune_conditions",
        "radiation_to_area",
        "heart_lung_conditions",
    ],
    Kind.SINGLE: [
        "preferred_contact_method",
        "best_contact_time",
        "main_concern",
        "expected_result",
        "concern_impact",
        "recovery_time_available",
        "skin_type_self",
        "last_significant_sun",
        "cold_sores_history",
        "diabetes",
        "pregnancy_status",
        "smoking_status",
    ],
    Kind.MULTI: [
        "skin_concerns",
        "treatment_areas",
        "prior_procedures",
        "photosensitising_meds",
        "blood_thinners",
        "immunosuppressant_meds",
        "current_skin_problems_area",
        "skin_conditions",
        "autoimmune_conditions",
    ],
}

SPEC_OPTIONAL = {
    "preferred_name",
    "goals_text",
    "other_conditions_text",
    "anything_else_text",
    "questions_for_provider_text",
    "allergy_other_text",
    "privacy_notice_ack",
}


def test_every_question_of_the_spec_exists_with_its_kind_and_nothing_else():
    expected = {qid: kind for kind, ids in SPEC_KINDS.items() for qid in ids}
    assert {qid: question.kind for qid, question in QUESTIONS.items()} == expected


@pytest.mark.parametrize("question_id", sorted(SPEC_CHOICES))
def test_choice_keys_match_the_spec_in_order(question_id):
    assert list(QUESTIONS[question_id].choice_keys) == SPEC_CHOICES[question_id]


def test_yes_no_questions_store_yes_and_no_and_unsure_where_offered():
    for question in QUESTIONS.values():
        if question.kind is Kind.YES_NO:
            assert question.choice_keys == ("yes", "no")
        if question.kind is Kind.YES_NO_UNSURE:
            assert question.choice_keys == ("yes", "no", "unsure")


def test_only_the_spec_optional_questions_are_optional():
    assert {qid for qid, q in QUESTIONS.items() if not q.required} == SPEC_OPTIONAL


def test_seven_sections_in_the_spec_order():
    assert [section.key for section in SECTIONS] == [
        "about_you",
        "concerns",
        "skin_sun",
        "past_treatments",
        "medicines",
        "health",
        "confirm",
    ]
    assert QUESTIONS["first_name"].section_key == "about_you"
    assert QUESTIONS["quit_date"].section_key == "health"


def test_every_follow_up_refers_to_an_earlier_question_with_those_choice_keys():
    seen = set()
    for section in SECTIONS:
        for question in section.questions:
            condition = question.show_if
            if condition is not None:
                assert condition.question_id in seen, question.id
                parent = QUESTIONS[condition.question_id]
                assert set(condition.values) <= set(parent.choice_keys), question.id
            seen.add(question.id)


@pytest.mark.parametrize(
    ("question_id", "condition"),
    [
        (
            "unencrypted_contact_consent",
            AnswerIs("preferred_contact_method", ("email", "text_message")),
        ),
        ("skin_concerns_other", Picked("skin_concerns", ("other",))),
        ("main_concern", PickedMoreThanOne("skin_concerns")),
        ("treatment_areas_other", Picked("treatment_areas", ("other",))),
        ("area_near_eyes", Picked("treatment_areas", ("face",))),
        ("upcoming_event_date", AnswerIs("upcoming_event", ("yes",))),
        ("prior_filler_last", Picked("prior_procedures", ("filler",))),
        ("eyelid_surgery_lower", Picked("prior_procedures", ("eyelid_surgery",))),
        ("prior_treatment_problems_text", AnswerIs("prior_treatment_problems", ("yes",))),
        ("isotretinoin_current", AnswerIs("isotretinoin_ever", ("yes",))),
        ("isotretinoin_last_dose", AnswerIs("isotretinoin_current", ("no",))),
        ("allergy_antibiotic_text", AnswerIs("allergy_antibiotic", ("yes",))),
        ("allergy_other_text", AnswerIs("allergies_any", ("yes",))),
        (
            "skin_condition_active",
            Picked(
                "skin_conditions", ("vitiligo", "psoriasis", "eczema", "lichen_planus", "rosacea")
            ),
        ),
        ("quit_date", AnswerIs("smoking_status", ("former",))),
        ("allergy_local_anaesthetic", None),
    ],
)
def test_follow_up_conditions_match_the_spec(question_id, condition):
    assert QUESTIONS[question_id].show_if == condition


def test_month_year_questions_that_allow_i_dont_remember():
    allowing = {qid for qid, q in QUESTIONS.items() if q.allow_unknown}
    assert allowing == {"isotretinoin_last_dose"} | {
        f"prior_{key}_last" for key in SPEC_CHOICES["prior_procedures"] if key != "none"
    }


# --- The version registry: ids and keys are a contract across versions -------------------------


def test_every_version_in_the_registry_answers_to_its_own_name():
    for version, definition in DEFINITIONS.items():
        assert definition.version == version
        assert all(q.version == version for q in definition.questions.values())


def test_a_retired_id_appears_only_before_its_retirement_and_a_dropped_id_is_declared_retired():
    position = {version: index for index, version in enumerate(ORDER)}
    assert set(RETIRED_IDS.values()) <= set(ORDER), "retired as of a version the registry lacks"
    seen: set[str] = set()
    for version in ORDER:
        ids = set(DEFINITIONS[version].questions)
        retired_here = {
            qid for qid, as_of in RETIRED_IDS.items() if position[version] >= position[as_of]
        }
        assert not ids & retired_here, f"{version} uses ids retired by then: {ids & retired_here}"
        dropped = seen - ids
        assert dropped <= retired_here, f"{version} drops {dropped} without retiring them"
        seen |= ids


def test_a_retired_id_was_asked_before_it_was_retired():
    """Retiring is for ids that existed: a retired id was published in an earlier version."""
    position = {version: index for index, version in enumerate(ORDER)}
    for qid, as_of in RETIRED_IDS.items():
        earlier = ORDER[: position[as_of]]
        assert any(qid in DEFINITIONS[version].questions for version in earlier), qid


def test_the_registry_check_fails_for_a_retired_id_used_again_in_a_later_version():
    """The rule itself, on a made-up registry: retired as of the 2nd version, used in the 3rd."""
    order = ("a", "b", "c")
    ids = {"a": {"x", "y"}, "b": {"x"}, "c": {"x", "y"}}
    retired = {"y": "b"}
    position = {version: index for index, version in enumerate(order)}
    reused = [
        version
        for version in order
        if {qid for qid, as_of in retired.items() if position[version] >= position[as_of]}
        & ids[version]
    ]
    assert reused == ["c"]


def test_an_id_keeps_its_kind_and_its_choice_keys_in_every_later_version():
    first_seen = {}
    for version in ORDER:
        for question in DEFINITIONS[version].questions.values():
            earlier = first_seen.setdefault(question.id, question)
            assert question.kind is earlier.kind, (version, question.id)
            assert set(earlier.choice_keys) <= set(question.choice_keys), (version, question.id)


def test_an_unknown_version_is_refused_loudly():
    with pytest.raises(UnknownVersion):
        definition_for("1999.1")


def test_new_patients_answer_the_newest_version():
    assert current().version == ORDER[-1] == CURRENT_VERSION


# --- Version 2026.12 (v2) -------------------------------------------------------------------------

V2 = definition_for("2026.12")
V2_NEW_IDS = {
    "hair_removal_recent",
    "photosensitivity_dx",
    "prior_fractional_ablative_laser_last",
    "prior_laser_unsure_last",
    "prior_thread_lift_last",
    "prior_tattoo_pmu_last",
    "filler_type",
    "oral_retinoid_type",
    "allergy_aftercare",
    "recurrent_skin_infection",
    "energy_device_safety",
}


def test_v2_adds_exactly_the_eleven_new_ids_and_keeps_every_v1_id():
    assert set(V2.questions) == set(QUESTIONS) | V2_NEW_IDS
    assert len(V2_NEW_IDS) == 11


def test_v2_asks_three_new_questions_of_everyone():
    assert {qid for qid in V2_NEW_IDS if V2.questions[qid].show_if is None} == {
        "hair_removal_recent",
        "recurrent_skin_infection",
        "energy_device_safety",
    }


def test_v2_prior_procedures_adds_keys_after_the_existing_ones_in_order():
    keys = V2.questions["prior_procedures"].choice_keys
    v1_keys = [key for key in QUESTIONS["prior_procedures"].choice_keys if key != "none"]
    assert list(keys[: len(v1_keys)]) == v1_keys
    assert keys[len(v1_keys) :] == (
        "fractional_ablative_laser",
        "laser_unsure",
        "thread_lift",
        "tattoo_pmu",
        "none",
    )


@pytest.mark.parametrize(
    ("question_id", "after"),
    [
        ("hair_removal_recent", "self_tanner_recent"),
        ("filler_type", "prior_filler_last"),
        ("oral_retinoid_type", "isotretinoin_ever"),
        ("recurrent_skin_infection", "current_skin_problems_area"),
        ("energy_device_safety", "heart_lung_conditions"),
    ],
)
def test_v2_places_new_questions_where_the_contract_says(question_id, after):
    ids = list(V2.questions)
    assert ids.index(question_id) == ids.index(after) + 1


def test_v2_allergy_aftercare_comes_before_the_other_allergies_text():
    ids = list(V2.questions)
    assert ids.index("allergy_aftercare") + 1 == ids.index("allergy_other_text")


def test_v2_quit_date_allows_i_dont_remember_and_v1_did_not():
    assert V2.questions["quit_date"].allow_unknown
    assert not QUESTIONS["quit_date"].allow_unknown


def test_v2_tattoo_date_has_its_own_wording():
    assert str(V2.questions["prior_tattoo_pmu_last"].label) == (
        "About when did you get your most recent tattoo or permanent makeup in that area?"
    )


def test_v2_labels_say_non_ablative_only_and_v1_keeps_its_words():
    v2_label = str(V2.questions["prior_procedures"].choice_label("nonablative_laser"))
    v1_label = str(QUESTIONS["prior_procedures"].choice_label("nonablative_laser"))
    assert "fractional" not in v2_label.lower()
    assert v1_label.startswith("Non-ablative or fractional laser")


def test_every_v2_patient_facing_string_is_marked_for_translation():
    from django.utils.functional import Promise

    for question in V2.questions.values():
        assert isinstance(question.label, Promise), question.id
        assert not question.help_text or isinstance(question.help_text, Promise), question.id
        for choice in question.choices:
            assert isinstance(choice.label, Promise), (question.id, choice.key)
