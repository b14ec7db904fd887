"""Answer dicts for tests: a complete no-risk patient, and one who opens many follow-ups."""

from screening.demo import no_risk_answers


def full_answers(**overrides) -> dict:
    """A valid, complete answers dict (stored format) with no follow-up questions shown."""
    answers = no_risk_answers()
    answers.update(overrides)
    return answers


def many_followups_answers(**overrides) -> dict:
    """A patient whose answers open most follow-up questions."""
    answers = full_answers(
        preferred_contact_method="text_message",
        unencrypted_contact_consent="yes",
        skin_concerns=["acne_scars", "texture", "other"],
        skin_concerns_other="Redness after shaving",
        main_concern="acne_scars",
        treatment_areas=["face", "neck", "other"],
        treatment_areas_other="Upper back",
        area_near_eyes="unsure",
        goals_text="Smoother skin.\nLess visible scars.",
        upcoming_event="yes",
        upcoming_event_date="2027-06",
        prior_procedures=["ablative_laser", "filler", "eyelid_surgery"],
        prior_ablative_laser_last="2025-01",
        prior_filler_last="unknown",
        filler_type=["hyaluronic"],
        prior_eyelid_surgery_last="2019-04",
        eyelid_surgery_lower="yes",
        prior_treatment_problems="yes",
        prior_treatment_problems_text="Dark patches after a peel.",
        isotretinoin_ever="yes",
        oral_retinoid_type=["isotretinoin"],
        isotretinoin_current="no",
        isotretinoin_last_dose="2026-08",
        allergies_any="yes",
        allergy_antibiotic="yes",
        allergy_aftercare="no",
        allergy_antibiotic_text="Penicillin",
        allergy_other_text="Latex: rash",
        skin_conditions=["psoriasis", "melasma"],
        skin_condition_active="no",
        smoking_status="former",
        quit_date="2020-02",
        other_conditions_text="Knee surgery 2015",
        anything_else_text="Nervous about pain.",
        questions_for_provider_text="How many sessions?",
    )
    answers.update(overrides)
    return answers
