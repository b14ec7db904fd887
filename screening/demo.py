"""Demo answers: a complete patient with no follow-ups and no risk answers (fictional).

`NO_RISK_ANSWERS` is in the current questionnaire version (2027.02, which asks a first visit what
2027.01 asks); `NO_RISK_RESCREEN_ANSWERS` adds a return visit's answers when nothing happened
since the last treatment here (a series session); `NO_RISK_ANSWERS_V2` and
`NO_RISK_ANSWERS_V1` are the same patient as answered on 2026.12 and 2026.11.1, for demo and test
submissions stored on those versions.
"""

import copy

from screening.questionnaire.versions import RETIRED_IDS

NO_RISK_ANSWERS_V1: dict = {
    "first_name": "Ana",
    "last_name": "Patient",
    "date_of_birth": "1980-05-17",
    "email": "ana@example.com",
    "phone": "(555) 010-0123",
    "preferred_contact_method": "phone_call",
    "ok_voicemail": "yes",
    "best_contact_time": "morning",
    "skin_concerns": ["fine_lines"],
    "treatment_areas": ["face"],
    "area_near_eyes": "no",
    "expected_result": "subtle",
    "concern_impact": "a_little",
    "recovery_time_available": "about_week",
    "upcoming_event": "no",
    "skin_type_self": "II",
    "current_tan_or_burn": "no",
    "last_significant_sun": "over_2_months",
    "self_tanner_recent": "no",
    "sun_planned_after": "no",
    "sun_reactions": "no",
    "prior_procedures": ["none"],
    "prior_treatment_problems": "no",
    "isotretinoin_ever": "no",
    "topical_retinoid_acid_current": "no",
    "photosensitising_meds": ["none"],
    "blood_thinners": ["none"],
    "bleeding_supplements": "no",
    "immunosuppressant_meds": ["none"],
    "gold_therapy_ever": "no",
    "antiviral_current": "no",
    "current_medications_text": "None",
    "allergies_any": "no",
    "allergy_local_anaesthetic": "no",
    "allergy_antiviral": "no",
    "allergy_antibiotic": "no",
    "cold_sores_history": "never",
    "cold_sore_now": "no",
    "shingles_area": "no",
    "current_skin_problems_area": ["none"],
    "changing_spot": "no",
    "skin_cancer_history": "no",
    "keloid_history": "no",
    "slow_healing": "no",
    "dark_marks_after_injury": "no",
    "skin_conditions": ["none"],
    "autoimmune_conditions": ["none"],
    "diabetes": "no",
    "bleeding_disorder": "no",
    "immune_conditions": "no",
    "radiation_to_area": "no",
    "heart_lung_conditions": "no",
    "pregnancy_status": "not_applicable",
    "smoking_status": "never",
    "attest_accurate": "yes",
    "privacy_notice_ack": "yes",
}

# Version 2026.12 also asks these of everyone.
NO_RISK_ANSWERS_V2: dict = {
    **NO_RISK_ANSWERS_V1,
    "hair_removal_recent": "no",
    "recurrent_skin_infection": "no",
    "energy_device_safety": ["none"],
}

# Version 2027.01: v2's yes/no questions became items of "Do any of these apply?" lists (the ids
# retired as of 2027.01), each list answered "None of these"; and these questions, kept, are now
# asked only when one of those items is ticked.
_ASKED_ONLY_AFTER_A_GATEWAY_ITEM_V3 = (
    "photosensitising_meds",
    "blood_thinners",
    "immunosuppressant_meds",
    "skin_conditions",
    "autoimmune_conditions",
    "diabetes",
    "energy_device_safety",
)
NO_RISK_ANSWERS: dict = {
    **{
        question_id: answer
        for question_id, answer in NO_RISK_ANSWERS_V2.items()
        if question_id not in RETIRED_IDS and question_id not in _ASKED_ONLY_AFTER_A_GATEWAY_ITEM_V3
    },
    "current_skin_problems_area": ["none"],
    "recent_skin_prep": ["none"],
    "medicines_any": ["none"],
    "allergies_list": ["none"],
    "skin_history": ["none"],
    "health_conditions": ["none"],
}


# A series session after a treatment here, nothing new: no course problem, no other treatment,
# no medicine change (the first visit answered `medicines_any`).
NO_RISK_RESCREEN_ANSWERS: dict = {
    **NO_RISK_ANSWERS,
    "last_session_problems": ["none"],
    "since_last_treatments": "no",
    "since_last_medicines": "no",
}


def no_risk_answers(**overrides) -> dict:
    """A fresh copy of the no-risk answers (current version) with `overrides` applied."""
    return {**copy.deepcopy(NO_RISK_ANSWERS), **overrides}


def no_risk_rescreen_answers(**overrides) -> dict:
    """A fresh copy of a series session's no-risk answers (current version), with `overrides`."""
    return {**copy.deepcopy(NO_RISK_RESCREEN_ANSWERS), **overrides}


def no_risk_answers_v2(**overrides) -> dict:
    """A fresh copy of the no-risk answers as given on questionnaire 2026.12."""
    return {**copy.deepcopy(NO_RISK_ANSWERS_V2), **overrides}


def no_risk_answers_v1(**overrides) -> dict:
    """A fresh copy of the no-risk answers as given on questionnaire 2026.11.1."""
    return {**copy.deepcopy(NO_RISK_ANSWERS_V1), **overrides}
