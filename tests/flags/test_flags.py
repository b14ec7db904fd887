"""Tests of the flag catalogue and engine (screening/flags/) against the clinical contract.

No database: the engine is pure. `TODAY` is a fixed submission date; month_year answers count as
the 15th of their month, so with TODAY = 2026-11-24 the 6-month boundary is 2026-05-24 and the
cautious zone around it runs from 2026-04-23 to 2026-06-24.
"""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from screening import flags
from screening.demo import no_risk_answers_v1
from screening.flags import (
    CATALOGUE,
    RULES_BY_CODE,
    RULES_VERSION,
    Policy,
    RaisedFlag,
    Severity,
    current_policy,
    rules_version,
)
from screening.questionnaire import definition_for
from tests.factories import ABSENT
from tests.factories import full_answers_v2 as full_answers

# These tests read the rules on questionnaire 2026.12 (v2), whose questions ask one thing each;
# 2027.01's gateways are read through the derivation (tests/flags/test_derivation.py) and its
# own rules are tested in tests/flags/test_flags_v3.py.
V2 = "2026.12"


def current():
    return definition_for(V2)


def flags_for(answers, today, policy=None, *, questionnaire_version=V2):
    return flags.flags_for(answers, today, policy, questionnaire_version=questionnaire_version)


def modality_flags_for(answers, modality, today, policy=None, *, questionnaire_version=V2, **kw):
    return flags.modality_flags_for(
        answers, modality, today, policy, questionnaire_version=questionnaire_version, **kw
    )


TODAY = date(2026, 11, 24)

# Every code of rules 2027.02.1 (the first rules, 2026.12.1's, 2027.01.1's and 2027.02.1's), in
# their sections.
CONTRACT_CODES = [
    "ISO_CURRENT",
    "ISO_WITHIN_6M",
    "ISO_6_TO_12M",
    "ISO_OVER_12M",
    "ISO_DATE_UNKNOWN",
    "ISO_FULLY_ABLATIVE",
    "ACITRETIN_RECENT",
    "TOPICAL_RETINOID",
    "HSV_ACTIVE",
    "HSV_HISTORY",
    "HSV_PROPHYLAXIS_POLICY",
    "ACTIVE_INFECTION_OR_WOUND",
    "ACTIVE_ACNE",
    "ACTIVE_DERMATOSIS",
    "ROSACEA_ACTIVE",
    "SUNBURN_NOW",
    "LESION_OF_CONCERN",
    "RECURRENT_SKIN_INFECTION",
    "KELOID_HYPERTROPHIC",
    "SLOW_HEALING",
    "PRIOR_ADVERSE_OUTCOME",
    "RECENT_RESURFACING",
    "RECENT_FACIAL_SURGERY",
    "PRIOR_DEEP_RESURFACING",
    "PRECANCER_FIELD_TREATMENT",
    "NON_FACIAL_AREA",
    "TATTOO_OR_PMU_IN_AREA",
    "IMPLANT_IN_AREA",
    "PERIORBITAL_OR_PRIOR_LOWER_BLEPH",
    "PERIORBITAL_AREA",
    "PHOTOTYPE_IV_VI",
    "PHOTOTYPE_UNSURE",
    "PHOTOTYPE_IV_VI_ABLATIVE",
    "TAN_OR_SUN_RECENT",
    "SUN_WITHIN_4_WEEKS",
    "SUN_1_2_MONTHS",
    "SELF_TANNER_RECENT",
    "SUN_PLANNED_AFTER",
    "MELASMA",
    "PIH_PRONE",
    "HYPOPIGMENTATION_HISTORY",
    "PHOTOSENSITISING_MED",
    "PHOTOSENSITISING_UNSURE",
    "PHOTOSENSITIVITY_DISORDER",
    "PORPHYRIA_OR_XP",
    "HAIR_REMOVAL_RECENT",
    "GOLD_THERAPY",
    "ANTICOAGULANT_RX",
    "ASPIRIN_OR_SUPPLEMENTS",
    "ANTICOAGULANT_UNSURE",
    "BLEEDING_DISORDER",
    "EASY_BRUISING",
    "ALLERGY_LOCAL_ANAESTHETIC",
    "LOCAL_ANAESTHETIC_SIDE_EFFECT",
    "ALLERGY_PERIPROCEDURE_DRUG",
    "CARDIOPULMONARY",
    "ALLERGY_AFTERCARE_PRODUCT",
    "IMPLANTED_ELECTRONIC_DEVICE",
    "LIGHT_TRIGGERED_SEIZURES",
    "ANTIVIRAL_CURRENT",
    "FREE_TEXT_NEEDS_REVIEW",
    "IMMUNOSUPPRESSED",
    "IMMUNE_UNSURE",
    "AUTOIMMUNE_CTD",
    "DIABETES_CONTROLLED",
    "DIABETES_UNCONTROLLED",
    "KIDNEY_OR_LIVER_DISEASE",
    "RADIATION_TO_AREA",
    "KOEBNER_CONDITION",
    "ATOPIC_DERMATITIS",
    "ROSACEA",
    "PREGNANT",
    "BREASTFEEDING",
    "TRYING_TO_CONCEIVE",
    "PREGNANCY_UNKNOWN",
    "SMOKER",
    "RECENT_QUIT_SMOKING",
    "EXPECTATIONS",
    "BODY_IMAGE_CONCERN",
    "LAXITY_OR_DEEP_FOLDS",
    "DOWNTIME_LIMITED",
    "EVENT_DEADLINE",
    "RECENT_FILLER_TOXIN",
    "RECENT_LIGHT_TREATMENT",
    "MINOR",
    "POST_TREATMENT_SCARRING",
    "POST_TREATMENT_HYPOPIGMENTATION",
    "POST_TREATMENT_INFECTION",
    "POST_TREATMENT_HSV",
    "POST_TREATMENT_DELAYED_HEALING",
    "POST_TREATMENT_PIH",
    "PROLONGED_ERYTHEMA",
    "POST_TREATMENT_CONTACT_REACTION",
    "POST_TREATMENT_ACNE_MILIA",
    "RESULT_SEEN_AS_WORSE",
    "UNSURE_SAFETY_ANSWERS",
]


def patient(**changes) -> dict:
    """The no-risk patient (full_answers) with `changes` applied; ABSENT removes an answer."""
    return full_answers(**changes)


def codes(answers: dict, today: date = TODAY, policy: Policy | None = None) -> list[str]:
    return [flag.code for flag in flags_for(answers, today, policy)]


def raised(code: str, answers: dict, today: date = TODAY, policy=None) -> RaisedFlag | None:
    return next((flag for flag in flags_for(answers, today, policy) if flag.code == code), None)


def iso_patient(last_dose: str) -> dict:
    return patient(
        isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose=last_dose
    )


def prior(procedure: str, when: str) -> dict:
    """Changes for a patient whose only past treatment is `procedure`, last done `when`."""
    return {"prior_procedures": [procedure], f"prior_{procedure}_last": when}


def retinoid(kinds: list[str], last_dose: str) -> dict:
    """Changes for a patient who took the oral retinoids `kinds`, last dose `last_dose`."""
    return dict(
        isotretinoin_ever="yes",
        oral_retinoid_type=kinds,
        isotretinoin_current="no",
        isotretinoin_last_dose=last_dose,
    )


def filler(kinds: list[str]) -> dict:
    """Changes for a patient who had filler of `kinds` years ago."""
    return {**prior("filler", "2020-01"), "filler_type": kinds}


def event(when: str) -> dict:
    return {"upcoming_event": "yes", "upcoming_event_date": when}


NEAR_BOUNDARY = "is approximate and near the"


# --- The catalogue -----------------------------------------------------------------------------


def test_catalogue_has_exactly_the_contract_codes_in_order():
    assert [rule.code for rule in CATALOGUE] == CONTRACT_CODES
    assert list(RULES_BY_CODE) == CONTRACT_CODES


def test_every_rule_has_a_reason_a_plain_words_rule_and_well_formed_sources():
    for rule in CATALOGUE:
        assert rule.reason and rule.rule and rule.describe(Policy())
        assert all(source[0] in "SF" and source[1:].isdigit() for source in rule.sources)


def test_window_rules_describe_themselves_with_the_clinic_policy():
    rule = RULES_BY_CODE["ISO_WITHIN_6M"]
    assert "6 months" in rule.describe(Policy())
    assert "4 months" in rule.describe(Policy(isotretinoin_priority_months=4))


def test_severity_ranks_order_info_below_discuss_below_priority():
    assert Severity.INFO.rank < Severity.DISCUSS.rank < Severity.PRIORITY.rank


def test_the_no_risk_patient_answers_every_asked_required_question_and_no_hidden_one():
    answers = full_answers()
    for question in current().questions.values():
        if question.is_shown(answers):
            assert not question.required or question.id in answers, question.id
        else:
            assert question.id not in answers, question.id


def test_patient_with_no_risk_answers_raises_no_flag():
    # PHOTOTYPE_SELF_REPORT, once raised for everyone, is a standing note on the provider view.
    assert codes(full_answers()) == []


def test_phototype_self_report_is_no_longer_raised_by_anyone():
    assert "PHOTOTYPE_SELF_REPORT" not in RULES_BY_CODE
    assert "PHOTOTYPE_SELF_REPORT" not in codes(patient(skin_type_self="VI"))
    assert "PHOTOTYPE_SELF_REPORT" not in codes({})


# --- Every flag: a patient that raises it and the nearest patient that does not ----------------

# (code, changes that raise it, nearest changes that do not)
RAISE_AND_NEAREST = [
    (
        "ISO_CURRENT",
        dict(isotretinoin_ever="yes", isotretinoin_current="yes"),
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-10"),
    ),
    (
        "ISO_WITHIN_6M",
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-05"),
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-04"),
    ),
    (
        "ISO_6_TO_12M",
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-04"),
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-05"),
    ),
    (
        "ISO_OVER_12M",
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2025-10"),
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2025-11"),
    ),
    (
        "ISO_DATE_UNKNOWN",
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="unknown"),
        dict(isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2020-01"),
    ),
    (
        "TOPICAL_RETINOID",
        dict(topical_retinoid_acid_current="unsure"),
        dict(topical_retinoid_acid_current="no"),
    ),
    ("HSV_ACTIVE", dict(cold_sore_now="yes"), dict(cold_sore_now="no")),
    ("HSV_HISTORY", dict(cold_sores_history="rarely"), dict(cold_sores_history="never")),
    (
        "ACTIVE_INFECTION_OR_WOUND",
        dict(current_skin_problems_area=["open_wound"]),
        dict(current_skin_problems_area=["acne_breakout"]),
    ),
    (
        "ACTIVE_ACNE",
        dict(current_skin_problems_area=["acne_breakout"]),
        dict(current_skin_problems_area=["infection"]),
    ),
    (
        "ACTIVE_DERMATOSIS",
        dict(current_skin_problems_area=["rash_flare"]),
        dict(current_skin_problems_area=["sunburn"]),
    ),
    (
        "SUNBURN_NOW",
        dict(current_skin_problems_area=["sunburn"]),
        dict(current_skin_problems_area=["rash_flare"]),
    ),
    ("LESION_OF_CONCERN", dict(skin_cancer_history="unsure"), dict(skin_cancer_history="no")),
    ("KELOID_HYPERTROPHIC", dict(keloid_history="unsure"), dict(keloid_history="no")),
    ("SLOW_HEALING", dict(slow_healing="yes"), dict(slow_healing="unsure")),
    (
        "PRIOR_ADVERSE_OUTCOME",
        dict(prior_treatment_problems="yes", prior_treatment_problems_text="Scar after a peel"),
        dict(prior_treatment_problems="unsure"),
    ),
    (
        "RECENT_RESURFACING",
        prior("chemical_peel_medium_deep", "2026-05"),
        prior("chemical_peel_medium_deep", "2026-04"),
    ),
    (
        "NON_FACIAL_AREA",
        dict(treatment_areas=["face", "other"], treatment_areas_other="Upper arms"),
        dict(treatment_areas=["face"]),
    ),
    (
        "PERIORBITAL_OR_PRIOR_LOWER_BLEPH",
        dict(**prior("eyelid_surgery", "2019-01"), eyelid_surgery_lower="unsure"),
        dict(**prior("eyelid_surgery", "2019-01"), eyelid_surgery_lower="no"),
    ),
    ("PERIORBITAL_AREA", dict(area_near_eyes="yes"), dict(area_near_eyes="unsure")),
    ("PHOTOTYPE_IV_VI", dict(skin_type_self="IV"), dict(skin_type_self="III")),
    ("PHOTOTYPE_UNSURE", dict(skin_type_self="unsure"), dict(skin_type_self="I")),
    ("TAN_OR_SUN_RECENT", dict(current_tan_or_burn="unsure"), dict(current_tan_or_burn="no")),
    (
        "SUN_WITHIN_4_WEEKS",
        dict(last_significant_sun="within_4_weeks"),
        dict(last_significant_sun="within_4_weeks", current_tan_or_burn="yes"),
    ),
    (
        "SUN_1_2_MONTHS",
        dict(last_significant_sun="1_2_months"),
        dict(last_significant_sun="over_2_months"),
    ),
    ("SELF_TANNER_RECENT", dict(self_tanner_recent="yes"), dict(self_tanner_recent="no")),
    ("SUN_PLANNED_AFTER", dict(sun_planned_after="unsure"), dict(sun_planned_after="no")),
    ("MELASMA", dict(skin_conditions=["melasma"]), dict(skin_conditions=["light_patches"])),
    ("PIH_PRONE", dict(dark_marks_after_injury="yes"), dict(dark_marks_after_injury="unsure")),
    (
        "HYPOPIGMENTATION_HISTORY",
        dict(skin_conditions=["light_patches"]),
        dict(skin_conditions=["melasma"]),
    ),
    (
        "PHOTOSENSITISING_MED",
        dict(photosensitising_meds=["diuretic"]),
        dict(photosensitising_meds=["other_unsure"]),
    ),
    (
        "PHOTOSENSITISING_UNSURE",
        dict(photosensitising_meds=["other_unsure"]),
        dict(photosensitising_meds=["diuretic"]),
    ),
    (
        "PHOTOSENSITIVITY_DISORDER",
        dict(sun_reactions="yes", photosensitivity_dx=["none"]),
        dict(sun_reactions="unsure", photosensitivity_dx=["none"]),
    ),
    ("GOLD_THERAPY", dict(gold_therapy_ever="unsure"), dict(gold_therapy_ever="no")),
    ("ANTICOAGULANT_RX", dict(blood_thinners=["doac"]), dict(blood_thinners=["aspirin_daily"])),
    (
        "ASPIRIN_OR_SUPPLEMENTS",
        dict(blood_thinners=["aspirin_daily"]),
        dict(blood_thinners=["antiplatelet"]),
    ),
    ("ANTICOAGULANT_UNSURE", dict(blood_thinners=["unsure"]), dict(blood_thinners=["none"])),
    ("BLEEDING_DISORDER", dict(bleeding_disorder="unsure"), dict(bleeding_disorder="no")),
    (
        "ALLERGY_LOCAL_ANAESTHETIC",
        dict(allergy_local_anaesthetic="unsure"),
        dict(allergy_local_anaesthetic="no"),
    ),
    (
        "ALLERGY_PERIPROCEDURE_DRUG",
        dict(allergy_antibiotic="yes", allergy_antibiotic_text="Penicillin"),
        dict(allergy_antibiotic="no"),
    ),
    ("CARDIOPULMONARY", dict(heart_lung_conditions="unsure"), dict(heart_lung_conditions="no")),
    ("ANTIVIRAL_CURRENT", dict(antiviral_current="yes"), dict(antiviral_current="no")),
    (
        "FREE_TEXT_NEEDS_REVIEW",
        dict(current_medications_text="Lisinopril 10 mg"),
        dict(current_medications_text="none."),
    ),
    (
        "IMMUNOSUPPRESSED",
        dict(immunosuppressant_meds=["oral_steroid"]),
        dict(immunosuppressant_meds=["unsure"]),
    ),
    ("IMMUNE_UNSURE", dict(immune_conditions="unsure"), dict(immune_conditions="yes")),
    (
        "AUTOIMMUNE_CTD",
        dict(autoimmune_conditions=["rheumatoid_arthritis"]),
        dict(autoimmune_conditions=["none"]),
    ),
    ("DIABETES_CONTROLLED", dict(diabetes="yes_controlled"), dict(diabetes="prediabetes")),
    ("DIABETES_UNCONTROLLED", dict(diabetes="yes_not_controlled"), dict(diabetes="yes_controlled")),
    ("RADIATION_TO_AREA", dict(radiation_to_area="unsure"), dict(radiation_to_area="no")),
    (
        "KOEBNER_CONDITION",
        dict(skin_conditions=["vitiligo"], skin_condition_active="no"),
        dict(skin_conditions=["rosacea"], skin_condition_active="no"),
    ),
    (
        "ROSACEA",
        dict(skin_conditions=["rosacea"], skin_condition_active="no"),
        dict(skin_conditions=["melasma"]),
    ),
    ("PREGNANT", dict(pregnancy_status="pregnant"), dict(pregnancy_status="trying")),
    ("BREASTFEEDING", dict(pregnancy_status="breastfeeding"), dict(pregnancy_status="none")),
    (
        "TRYING_TO_CONCEIVE",
        dict(pregnancy_status="trying"),
        dict(pregnancy_status="not_applicable"),
    ),
    ("PREGNANCY_UNKNOWN", dict(pregnancy_status="prefer_not"), dict(pregnancy_status="none")),
    (
        "SMOKER",
        dict(smoking_status="current_vape_other"),
        dict(smoking_status="former", quit_date="2020-01"),
    ),
    (
        "EXPECTATIONS",
        dict(concern_impact="a_lot", expected_result="unsure"),
        dict(concern_impact="a_lot", expected_result="noticeable"),
    ),
    ("LAXITY_OR_DEEP_FOLDS", dict(skin_concerns=["loose_skin"]), dict(skin_concerns=["wrinkles"])),
    (
        "DOWNTIME_LIMITED",
        dict(recovery_time_available="1_2_days"),
        dict(recovery_time_available="about_week"),
    ),
    ("EVENT_DEADLINE", event("2027-03"), event("2027-04")),
    ("RECENT_FILLER_TOXIN", prior("filler", "2026-10"), prior("filler", "2026-09")),
    ("MINOR", dict(date_of_birth="2008-11-25"), dict(date_of_birth="2008-11-24")),
    ("UNSURE_SAFETY_ANSWERS", dict(slow_healing="unsure"), dict(slow_healing="yes")),
    # --- New in rules 2026.12.1 ---
    # 3 years before TODAY is 2023-11-24: November 2023 (the 15th) is inside the cautious band,
    # October 2023 (40 days before the boundary) is outside.
    ("ACITRETIN_RECENT", retinoid(["acitretin"], "2023-11"), retinoid(["acitretin"], "2023-10")),
    (
        "ROSACEA_ACTIVE",
        dict(skin_conditions=["rosacea"], skin_condition_active="yes"),
        dict(skin_conditions=["rosacea"], skin_condition_active="no"),
    ),
    (
        "RECURRENT_SKIN_INFECTION",
        dict(recurrent_skin_infection="unsure"),
        dict(recurrent_skin_infection="no"),
    ),
    (
        "RECENT_FACIAL_SURGERY",
        prior("facial_surgery", "2026-05"),
        prior("facial_surgery", "2026-04"),
    ),
    ("TATTOO_OR_PMU_IN_AREA", prior("tattoo_pmu", "2015-06"), prior("microneedling", "2015-06")),
    ("IMPLANT_IN_AREA", filler(["unsure"]), filler(["hyaluronic"])),
    (
        "PORPHYRIA_OR_XP",
        dict(sun_reactions="yes", photosensitivity_dx=["xp"]),
        dict(sun_reactions="yes", photosensitivity_dx=["pmle"]),
    ),
    ("HAIR_REMOVAL_RECENT", dict(hair_removal_recent="yes"), dict(hair_removal_recent="no")),
    (
        "ALLERGY_AFTERCARE_PRODUCT",
        dict(allergies_any="yes", allergy_aftercare="unsure"),
        dict(allergies_any="yes", allergy_aftercare="no"),
    ),
    (
        "IMPLANTED_ELECTRONIC_DEVICE",
        dict(energy_device_safety=["other_implant_electronic"]),
        dict(energy_device_safety=["unsure"]),
    ),
    (
        "LIGHT_TRIGGERED_SEIZURES",
        dict(energy_device_safety=["light_seizures"]),
        dict(energy_device_safety=["metal_in_area"]),
    ),
    # 4 weeks before TODAY is 2026-10-27; with the 31-day band a quit month counts when its 15th
    # is on or after 2026-09-26: October 2026 counts, September 2026 does not.
    (
        "RECENT_QUIT_SMOKING",
        dict(smoking_status="former", quit_date="2026-10"),
        dict(smoking_status="former", quit_date="2026-09"),
    ),
    ("RECENT_LIGHT_TREATMENT", prior("ipl", "2026-10"), prior("ipl", "2026-09")),
    ("ATOPIC_DERMATITIS", dict(skin_conditions=["eczema"]), dict(skin_conditions=["psoriasis"])),
    # Outside RECENT_RESURFACING's 6-month window (with its 31-day band) it is still a deep peel.
    (
        "PRIOR_DEEP_RESURFACING",
        prior("chemical_peel_medium_deep", "2026-04"),
        prior("chemical_peel_medium_deep", "2026-05"),
    ),
]
_CASE_IDS = [case[0] for case in RAISE_AND_NEAREST]


def test_every_code_has_a_raise_and_nearest_case_or_a_dedicated_test():
    # PHOTOTYPE_SELF_REPORT (always) and HSV_PROPHYLAXIS_POLICY (modality) are tested below.
    # The modality rules (HSV_PROPHYLAXIS_POLICY, ISO_FULLY_ABLATIVE, PHOTOTYPE_IV_VI_ABLATIVE)
    # and those only 2027.01's questions raise are tested in tests/flags/test_flags_v3.py.
    dedicated = {
        "HSV_PROPHYLAXIS_POLICY",
        "ISO_FULLY_ABLATIVE",
        "PHOTOTYPE_IV_VI_ABLATIVE",
        "BODY_IMAGE_CONCERN",
        "KIDNEY_OR_LIVER_DISEASE",
        "PRECANCER_FIELD_TREATMENT",
        "EASY_BRUISING",
        "LOCAL_ANAESTHETIC_SIDE_EFFECT",
        # Return visits (2027.02.1): every boundary in tests/flags/test_flags_return_visit.py.
        "POST_TREATMENT_SCARRING",
        "POST_TREATMENT_HYPOPIGMENTATION",
        "POST_TREATMENT_INFECTION",
        "POST_TREATMENT_HSV",
        "POST_TREATMENT_DELAYED_HEALING",
        "POST_TREATMENT_PIH",
        "PROLONGED_ERYTHEMA",
        "POST_TREATMENT_CONTACT_REACTION",
        "POST_TREATMENT_ACNE_MILIA",
        "RESULT_SEEN_AS_WORSE",
    }
    assert sorted(_CASE_IDS) == sorted(set(CONTRACT_CODES) - dedicated)


@pytest.mark.parametrize(("code", "changes", "nearest"), RAISE_AND_NEAREST, ids=_CASE_IDS)
def test_patient_raises_the_flag(code, changes, nearest):
    assert code in codes(patient(**changes))


@pytest.mark.parametrize(("code", "changes", "nearest"), RAISE_AND_NEAREST, ids=_CASE_IDS)
def test_nearest_patient_does_not_raise_the_flag(code, changes, nearest):
    assert code not in codes(patient(**nearest))


@pytest.mark.parametrize(("code", "changes", "nearest"), RAISE_AND_NEAREST, ids=_CASE_IDS)
def test_raised_flag_carries_catalogue_severity_reason_sources_and_version(code, changes, nearest):
    flag = raised(code, patient(**changes))
    rule = RULES_BY_CODE[code]
    assert flag.severity is rule.severity
    assert flag.reason.startswith(rule.reason.format(policy=Policy()))
    assert flag.sources == rule.sources
    assert flag.rules_version == RULES_VERSION
    assert flag.questions, "a raised flag shows the answers that raised it"


# Other ways into multi-part rules.
@pytest.mark.parametrize(
    ("code", "changes"),
    [
        ("HSV_HISTORY", dict(cold_sores_history="unsure")),
        ("HSV_HISTORY", dict(shingles_area="yes")),
        ("HSV_HISTORY", dict(cold_sores_history="never", cold_sore_now="yes")),
        ("ACTIVE_DERMATOSIS", dict(skin_conditions=["psoriasis"], skin_condition_active="yes")),
        ("PHOTOSENSITIVITY_DISORDER", dict(sun_reactions="unsure", photosensitivity_dx=["unsure"])),
        ("PHOTOSENSITIVITY_DISORDER", dict(sun_reactions="yes", photosensitivity_dx=["pmle"])),
        ("IMPLANT_IN_AREA", filler(["long_lasting"])),
        ("IMPLANT_IN_AREA", prior("thread_lift", "2024-01")),
        ("IMPLANT_IN_AREA", dict(energy_device_safety=["metal_in_area"])),
        ("IMPLANTED_ELECTRONIC_DEVICE", dict(energy_device_safety=["pacemaker_icd"])),
        ("RECENT_FACIAL_SURGERY", prior("eyelid_surgery", "2026-05")),
        ("RECENT_FACIAL_SURGERY", prior("facial_surgery", "unknown")),
        ("RECENT_QUIT_SMOKING", dict(smoking_status="former", quit_date="unknown")),
        ("RECENT_LIGHT_TREATMENT", prior("nonablative_laser", "unknown")),
        ("RECENT_RESURFACING", prior("laser_unsure", "2025-11")),
        ("RECENT_RESURFACING", prior("fractional_ablative_laser", "2026-05")),
        ("ACITRETIN_RECENT", {**retinoid(["acitretin"], "2020-01"), "isotretinoin_current": "yes"}),
        ("ACITRETIN_RECENT", retinoid(["acitretin"], "unknown")),
        ("ACTIVE_DERMATOSIS", dict(skin_conditions=["psoriasis"], skin_condition_active="yes")),
        ("LESION_OF_CONCERN", dict(skin_cancer_history="yes")),
        ("LESION_OF_CONCERN", dict(changing_spot="unsure")),
        ("NON_FACIAL_AREA", dict(treatment_areas=["face", "hands"])),
        (
            "PERIORBITAL_OR_PRIOR_LOWER_BLEPH",
            dict(
                prior_procedures=["eyelid_surgery"],
                prior_eyelid_surgery_last="2019-06",
                eyelid_surgery_lower="unsure",
            ),
        ),
        ("TAN_OR_SUN_RECENT", dict(current_tan_or_burn="unsure")),
        ("PHOTOSENSITISING_MED", dict(photosensitising_meds=["amiodarone", "other_unsure"])),
        ("PHOTOSENSITISING_UNSURE", dict(photosensitising_meds=["amiodarone", "other_unsure"])),
        ("PHOTOSENSITIVITY_DISORDER", dict(autoimmune_conditions=["lupus"])),
        ("ASPIRIN_OR_SUPPLEMENTS", dict(bleeding_supplements="yes")),
        ("ALLERGY_PERIPROCEDURE_DRUG", dict(allergy_antiviral="unsure")),
        ("IMMUNOSUPPRESSED", dict(immune_conditions="yes")),
        ("IMMUNE_UNSURE", dict(immunosuppressant_meds=["unsure"])),
        ("KOEBNER_CONDITION", dict(skin_conditions=["psoriasis"], skin_condition_active="yes")),
        ("EXPECTATIONS", dict(expected_result="complete")),
        (
            "LAXITY_OR_DEEP_FOLDS",
            dict(skin_concerns=["deep_wrinkles_folds", "texture"], main_concern="texture"),
        ),
        ("RECENT_FILLER_TOXIN", prior("neurotoxin", "2026-11")),
        ("FREE_TEXT_NEEDS_REVIEW", dict(anything_else_text="I faint at the sight of needles")),
        ("FREE_TEXT_NEEDS_REVIEW", dict(allergies_any="yes", allergy_other_text="Latex: hives")),
    ],
)
def test_each_branch_of_a_rule_raises_it(code, changes):
    assert code in codes(patient(**changes))


def test_expectations_need_both_a_lot_of_impact_and_complete_or_unsure_expectations():
    answers = patient(concern_impact="moderately", expected_result="unsure")
    assert "EXPECTATIONS" not in codes(answers)
    flag = raised("EXPECTATIONS", patient(concern_impact="a_lot", expected_result="unsure"))
    assert set(flag.questions) == {"concern_impact", "expected_result"}


def test_koebner_condition_is_raised_whether_or_not_it_is_active():
    # The active flag cannot say which condition flares, so the Koebner flag never disappears.
    active = codes(patient(skin_conditions=["psoriasis", "rosacea"], skin_condition_active="yes"))
    assert {"KOEBNER_CONDITION", "ACTIVE_DERMATOSIS", "ROSACEA"} <= set(active)


def test_eczema_is_atopic_dermatitis_not_a_koebner_condition_and_its_flare_is_active():
    quiet = codes(patient(skin_conditions=["eczema"], skin_condition_active="no"))
    assert "ATOPIC_DERMATITIS" in quiet and "KOEBNER_CONDITION" not in quiet
    assert "ACTIVE_DERMATOSIS" not in quiet
    flaring = codes(patient(skin_conditions=["eczema"], skin_condition_active="yes"))
    assert "ACTIVE_DERMATOSIS" in flaring and "KOEBNER_CONDITION" not in flaring


# --- Isotretinoin windows ----------------------------------------------------------------------

ISO_CODES = {"ISO_CURRENT", "ISO_WITHIN_6M", "ISO_6_TO_12M", "ISO_OVER_12M", "ISO_DATE_UNKNOWN"}


@pytest.mark.parametrize(
    ("last_dose", "expected", "near_boundary"),
    [
        ("2026-11", "ISO_WITHIN_6M", False),  # this month
        ("2026-07", "ISO_WITHIN_6M", False),  # clearly inside 6 months
        ("2026-06", "ISO_WITHIN_6M", True),  # inside, 22 days from the 6-month boundary
        ("2026-05", "ISO_WITHIN_6M", True),  # just outside, cautious side: still priority
        ("2026-04", "ISO_6_TO_12M", False),  # 39 days outside: discuss
        ("2026-01", "ISO_6_TO_12M", False),
        ("2025-12", "ISO_6_TO_12M", True),  # inside 12 months, near the boundary
        ("2025-11", "ISO_6_TO_12M", True),  # just past 12 months, cautious side: still discuss
        ("2025-10", "ISO_OVER_12M", False),  # 40 days past 12 months: info
        ("2019-02", "ISO_OVER_12M", False),
    ],
)
def test_isotretinoin_last_dose_falls_in_exactly_one_window(last_dose, expected, near_boundary):
    raised_iso = [
        flag for flag in flags_for(iso_patient(last_dose), TODAY) if flag.code in ISO_CODES
    ]
    assert [flag.code for flag in raised_iso] == [expected]
    assert (NEAR_BOUNDARY in raised_iso[0].reason) is near_boundary


def test_isotretinoin_stopped_five_months_ago_is_discuss_and_says_so():
    flag = raised("ISO_WITHIN_6M", iso_patient("2026-06"))
    assert flag.severity is Severity.DISCUSS
    assert "The PRIORITY review applies when fully ablative" in flag.reason
    assert "Last dose about 5 months before the submission date (June 2026)." in flag.reason
    assert (
        "The date given (June 2026) is approximate and near the 6-month boundary, so the "
        "more cautious window applies."
    ) in flag.reason
    assert flag.questions == {"isotretinoin_last_dose": "June 2026"}


def test_isotretinoin_stopped_seven_months_ago_is_info_with_months_since_last_dose():
    flag = raised("ISO_6_TO_12M", iso_patient("2026-04"))
    assert flag.severity is Severity.INFO
    assert "about 7 months before the submission date (April 2026)" in flag.reason


def test_isotretinoin_stopped_two_years_ago_is_info_with_months_since_last_dose():
    flag = raised("ISO_OVER_12M", iso_patient("2024-11"))
    assert flag.severity is Severity.INFO
    assert "about 24 months before the submission date" in flag.reason


def test_isotretinoin_stopped_this_month_says_less_than_a_month():
    assert "less than a month before" in raised("ISO_WITHIN_6M", iso_patient("2026-11")).reason


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 16), "ISO_WITHIN_6M"),  # 2026-04-15 is 31 days before 2026-05-16: cautious
        (date(2026, 11, 17), "ISO_6_TO_12M"),  # 32 days before 2026-05-17: outside the zone
    ],
)
def test_cautious_zone_around_a_boundary_is_exactly_31_days(today, expected):
    found = [code for code in codes(iso_patient("2026-04"), today) if code in ISO_CODES]
    assert found == [expected]


def test_currently_on_isotretinoin_raises_iso_current_and_no_date_flag():
    found = codes(patient(isotretinoin_ever="yes", isotretinoin_current="yes"))
    assert [code for code in found if code in ISO_CODES] == ["ISO_CURRENT"]


def test_isotretinoin_last_dose_not_remembered_is_date_unknown_not_no_risk():
    answers = iso_patient("unknown")
    found = codes(answers)
    assert [code for code in found if code in ISO_CODES] == ["ISO_DATE_UNKNOWN"]
    assert raised("ISO_DATE_UNKNOWN", answers).questions == {
        "isotretinoin_ever": "Yes",
        "isotretinoin_last_dose": "I don't remember",
    }
    assert "isotretinoin_last_dose" in raised("UNSURE_SAFETY_ANSWERS", answers).questions


def test_isotretinoin_ever_unsure_is_date_unknown_because_no_date_is_asked():
    answers = patient(isotretinoin_ever="unsure")
    assert "ISO_DATE_UNKNOWN" in codes(answers)
    assert raised("UNSURE_SAFETY_ANSWERS", answers).questions == {"isotretinoin_ever": "Not sure"}


def test_isotretinoin_ever_yes_with_current_and_date_missing_is_date_unknown():
    assert "ISO_DATE_UNKNOWN" in codes(patient(isotretinoin_ever="yes"))


def test_isotretinoin_never_taken_raises_no_isotretinoin_flag():
    assert not ISO_CODES & set(codes(patient(isotretinoin_ever="no")))


# --- Recent resurfacing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "when", "expected", "near_boundary"),
    [
        # Medium/deep peel and dermabrasion: 6 months (boundary 2026-05-24).
        ("chemical_peel_medium_deep", "2026-07", True, False),
        ("chemical_peel_medium_deep", "2026-06", True, True),
        ("chemical_peel_medium_deep", "2026-05", True, True),  # cautious side
        ("chemical_peel_medium_deep", "2026-04", False, False),
        ("dermabrasion", "2026-06", True, True),
        ("dermabrasion", "2026-04", False, False),
        # Ablative laser: the 12-month ablative-after-ablative window (boundary 2025-11-24).
        ("ablative_laser", "2026-04", True, False),
        ("ablative_laser", "2025-12", True, True),
        ("ablative_laser", "2025-11", True, True),  # cautious side
        ("ablative_laser", "2025-10", False, False),
        # Not aggressive resurfacing: never raises it.
        ("nonablative_laser", "2026-11", False, False),
        ("chemical_peel_light", "2026-11", False, False),
        ("microneedling", "2026-11", False, False),
    ],
)
def test_recent_resurfacing_windows(procedure, when, expected, near_boundary):
    flag = raised("RECENT_RESURFACING", patient(**prior(procedure, when)))
    assert (flag is not None) is expected
    if flag:
        assert (NEAR_BOUNDARY in flag.reason) is near_boundary
        assert list(flag.questions) == [f"prior_{procedure}_last"]


def test_previous_ablative_laser_ten_months_ago_uses_the_12_month_window_and_says_why():
    flag = raised("RECENT_RESURFACING", patient(**prior("ablative_laser", "2026-01")))
    assert "12-month ablative-after-ablative window is applied" in flag.reason
    assert "modality being considered is not known at submission" in flag.reason


def test_peel_ten_months_ago_is_outside_the_6_month_window():
    assert "RECENT_RESURFACING" not in codes(
        patient(**prior("chemical_peel_medium_deep", "2026-01"))
    )


@pytest.mark.parametrize(
    "procedure", ["ablative_laser", "chemical_peel_medium_deep", "dermabrasion"]
)
def test_resurfacing_at_a_date_not_remembered_counts_as_possibly_recent(procedure):
    flag = raised("RECENT_RESURFACING", patient(**prior(procedure, "unknown")))
    assert flag.questions == {f"prior_{procedure}_last": "I don't remember"}
    assert "treated as possibly recent" in flag.reason


def test_resurfacing_picked_without_any_date_counts_as_possibly_recent():
    answers = patient(prior_procedures=["dermabrasion"])
    assert "RECENT_RESURFACING" in codes(answers)
    assert raised("UNSURE_SAFETY_ANSWERS", answers).questions == {
        "prior_dermabrasion_last": flags.NO_ANSWER
    }


def test_several_recent_treatments_show_every_date_that_raised_it():
    answers = patient(
        prior_procedures=["ablative_laser", "dermabrasion", "filler"],
        prior_ablative_laser_last="2026-08",
        prior_dermabrasion_last="unknown",
        prior_filler_last="2024-01",
    )
    flag = raised("RECENT_RESURFACING", answers)
    assert flag.questions == {
        "prior_ablative_laser_last": "August 2026",
        "prior_dermabrasion_last": "I don't remember",
    }


# --- Filler and neurotoxin (2 weeks, month precision) ------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "when", "expected"),
    [
        ("filler", "2026-11", True),  # the 15th is inside the boundary 2026-11-10, and near it
        ("filler", "2026-10", True),  # 26 days outside the boundary (2026-11-10): cautious side
        ("filler", "2026-09", False),  # 56 days outside
        ("neurotoxin", "2026-11", True),
        ("neurotoxin", "2026-10", True),
        ("neurotoxin", "2026-09", False),
        ("filler", "unknown", True),  # unknown never counts as "no"
        ("neurotoxin", "unknown", True),
    ],
)
def test_recent_filler_or_toxin_window_at_month_precision(procedure, when, expected):
    flag = raised("RECENT_FILLER_TOXIN", patient(**prior(procedure, when)))
    assert (flag is not None) is expected
    if flag and when != "unknown":
        assert "near the 2-week boundary" in flag.reason


def test_filler_date_not_remembered_is_not_an_unsure_safety_answer():
    # Filler timing is logistics (2.7), not one of the safety sections 2.1-2.6.
    answers = patient(**prior("filler", "unknown"), filler_type=["hyaluronic"])
    assert "UNSURE_SAFETY_ANSWERS" not in codes(answers)


# --- Upcoming event (3 months ahead) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected", "near_boundary"),
    [
        ("2026-12", True, False),
        ("2027-01", True, False),  # 40 days before the boundary 2027-02-24
        ("2027-02", True, True),  # inside, near
        ("2027-03", True, True),  # just outside, cautious side
        ("2027-04", False, False),  # 50 days outside
        ("2027-11", False, False),
    ],
)
def test_event_deadline_window(when, expected, near_boundary):
    flag = raised("EVENT_DEADLINE", patient(**event(when)))
    assert (flag is not None) is expected
    if flag:
        assert (NEAR_BOUNDARY in flag.reason) is near_boundary
        assert list(flag.questions) == ["upcoming_event", "upcoming_event_date"]


def test_event_with_no_date_given_counts_as_possibly_soon():
    flag = raised("EVENT_DEADLINE", patient(upcoming_event="yes"))
    assert "No event date was given" in flag.reason


def test_no_event_means_no_deadline_flag_even_with_a_stray_date():
    assert "EVENT_DEADLINE" not in codes(
        patient(upcoming_event="no", upcoming_event_date="2026-12")
    )


# --- Age ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ("2008-11-24", False),  # 18 today
        ("2008-11-25", True),  # 18 tomorrow
        ("2010-01-01", True),
        ("1950-06-30", False),
    ],
)
def test_minor_uses_the_exact_date_of_birth(born, expected):
    assert ("MINOR" in codes(patient(date_of_birth=born))) is expected


def test_birthday_on_29_february_turns_adult_on_1_march_in_a_common_year():
    assert "MINOR" in codes(patient(date_of_birth="2008-02-29"), date(2026, 2, 28))
    assert "MINOR" not in codes(patient(date_of_birth="2008-02-29"), date(2026, 3, 1))


@pytest.mark.parametrize("born", [ABSENT, "", "not a date"])
def test_missing_or_unreadable_date_of_birth_counts_as_possibly_minor(born):
    flag = raised("MINOR", patient(date_of_birth=born))
    assert "age could not be checked" in flag.reason


# --- Sun, tan and self-tanner ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_sun", "expected"),
    [
        ("within_4_weeks", {"SUN_WITHIN_4_WEEKS"}),
        ("1_2_months", {"SUN_1_2_MONTHS"}),
        ("over_2_months", set()),
        ("never_unsure", set()),
    ],
)
def test_last_significant_sun_choice_carries_the_sun_windows(last_sun, expected):
    sun_codes = {"TAN_OR_SUN_RECENT", "SUN_WITHIN_4_WEEKS", "SUN_1_2_MONTHS"}
    assert sun_codes & set(codes(patient(last_significant_sun=last_sun))) == expected


def test_never_or_cannot_remember_sun_is_not_an_unsure_safety_answer():
    assert "UNSURE_SAFETY_ANSWERS" not in codes(patient(last_significant_sun="never_unsure"))


# --- Unsure and unknown answers ----------------------------------------------------------------


def test_unsure_safety_answers_lists_every_unsure_answer_with_its_label():
    answers = patient(
        slow_healing="unsure",
        shingles_area="unsure",
        blood_thinners=["unsure"],
        immunosuppressant_meds=["unsure"],
        cold_sores_history="unsure",
        skin_type_self="unsure",
        photosensitising_meds=["other_unsure"],
        pregnancy_status="prefer_not",
        expected_result="unsure",  # not a safety item (2.7)
        recovery_time_available="unsure",  # not a safety item (2.7)
    )
    assert raised("UNSURE_SAFETY_ANSWERS", answers).questions == {
        "cold_sores_history": "Not sure",
        "shingles_area": "Not sure",
        "slow_healing": "Not sure",
        "skin_type_self": "Not sure",
        "photosensitising_meds": "Another medicine, or I'm not sure whether mine counts",
        "blood_thinners": "Not sure",
        "immunosuppressant_meds": "Not sure",
        "pregnancy_status": "Prefer not to say",
    }


@pytest.mark.parametrize(
    "question_id",
    [
        "isotretinoin_ever",
        "topical_retinoid_acid_current",
        "shingles_area",
        "changing_spot",
        "skin_cancer_history",
        "keloid_history",
        "slow_healing",
        "prior_treatment_problems",
        "area_near_eyes",
        "current_tan_or_burn",
        "sun_planned_after",
        "dark_marks_after_injury",
        "sun_reactions",
        "gold_therapy_ever",
        "bleeding_disorder",
        "allergy_local_anaesthetic",
        "allergy_antiviral",
        "allergy_antibiotic",
        "heart_lung_conditions",
        "immune_conditions",
        "radiation_to_area",
    ],
)
def test_every_unsure_yes_no_safety_answer_is_rolled_up(question_id):
    follow_up = {"photosensitivity_dx": ["none"]} if question_id == "sun_reactions" else {}
    flag = raised("UNSURE_SAFETY_ANSWERS", patient(**{question_id: "unsure"}, **follow_up))
    assert flag.questions == {question_id: "Not sure"}


@pytest.mark.parametrize(
    "question_id",
    [
        "cold_sore_now",
        "bleeding_disorder",
        "diabetes",
        "current_skin_problems_area",
        "skin_type_self",
    ],
)
def test_an_asked_safety_question_left_unanswered_never_counts_as_no(question_id):
    flag = raised("UNSURE_SAFETY_ANSWERS", patient(**{question_id: ABSENT}))
    assert flag.questions == {question_id: flags.NO_ANSWER}


def test_a_hidden_follow_up_left_out_is_not_an_unanswered_question():
    # skin_condition_active is asked only for vitiligo/psoriasis/eczema/lichen planus/rosacea.
    assert "UNSURE_SAFETY_ANSWERS" not in codes(patient(skin_conditions=["melasma"]))
    flag = raised("UNSURE_SAFETY_ANSWERS", patient(skin_conditions=["psoriasis"]))
    assert flag.questions == {"skin_condition_active": flags.NO_ANSWER}


# --- Free text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "   ", "None", " none ", "NONE.", "N/A", "na", "nil", "No", "nothing"]
)
def test_free_text_saying_none_needs_no_review(text):
    assert "FREE_TEXT_NEEDS_REVIEW" not in codes(patient(current_medications_text=text))


@pytest.mark.parametrize("text", ["Metformin", "none except vitamin D", "no allergies but..."])
def test_free_text_saying_anything_else_needs_review(text):
    flag = raised("FREE_TEXT_NEEDS_REVIEW", patient(current_medications_text=text))
    assert flag.questions == {"current_medications_text": text}


def test_free_text_review_shows_every_free_text_answer_given():
    answers = patient(
        current_medications_text="Metformin",
        other_conditions_text="Asthma",
        allergy_antibiotic="yes",
        allergy_antibiotic_text="Penicillin",
    )
    assert raised("FREE_TEXT_NEEDS_REVIEW", answers).questions == {
        "current_medications_text": "Metformin",
        "other_conditions_text": "Asthma",
        "allergy_antibiotic_text": "Penicillin",
    }


# --- HSV prophylaxis needs the provider's modality ---------------------------------------------


def test_hsv_prophylaxis_policy_is_never_raised_at_submission():
    assert "HSV_PROPHYLAXIS_POLICY" not in codes(patient(cold_sores_history="never"))
    assert RULES_BY_CODE["HSV_PROPHYLAXIS_POLICY"].needs_modality


@pytest.mark.parametrize(
    ("modality", "history", "expected"),
    [
        ("ablative", "never", True),
        ("fractional_ablative", "never", True),
        ("nonablative", "never", False),
        ("ablative", "rarely", False),  # HSV_HISTORY covers it
        ("ablative", "unsure", False),  # HSV_HISTORY covers it
    ],
)
def test_hsv_prophylaxis_policy_needs_an_ablative_modality_and_no_hsv_history(
    modality, history, expected
):
    found = modality_flags_for(patient(cold_sores_history=history), modality, TODAY)
    assert [flag.code for flag in found] == (["HSV_PROPHYLAXIS_POLICY"] if expected else [])
    if expected:
        assert found[0].questions == {"cold_sores_history": "Never", "cold_sore_now": "No"}
        assert found[0].severity is Severity.INFO


# --- Sorting and display -----------------------------------------------------------------------


def _many_flags_patient() -> dict:
    return patient(
        isotretinoin_ever="yes",
        oral_retinoid_type=["isotretinoin"],
        isotretinoin_current="no",
        isotretinoin_last_dose="2026-08",
        blood_thinners=["warfarin", "aspirin_daily"],
        skin_type_self="V",
        recovery_time_available="1_2_days",
        treatment_areas=["face", "neck"],
        skin_conditions=["rosacea", "melasma"],
        skin_condition_active="no",
        pregnancy_status="breastfeeding",
        keloid_history="yes",
        sun_planned_after="yes",
    )


def test_flags_are_sorted_most_severe_first_then_in_catalogue_order():
    found = flags_for(_many_flags_patient(), TODAY)
    ranks = [flag.severity.rank for flag in found]
    assert ranks == sorted(ranks, reverse=True)
    order = {code: index for index, code in enumerate(CONTRACT_CODES)}
    for severity in Severity:
        same = [order[flag.code] for flag in found if flag.severity is severity]
        assert same == sorted(same)
    assert [flag.code for flag in found] == [
        "KELOID_HYPERTROPHIC",
        "ISO_WITHIN_6M",
        "NON_FACIAL_AREA",
        "PHOTOTYPE_IV_VI",
        "MELASMA",
        "ANTICOAGULANT_RX",
        "BREASTFEEDING",
        "SUN_PLANNED_AFTER",
        "ASPIRIN_OR_SUPPLEMENTS",
        "ROSACEA",
        "DOWNTIME_LIMITED",
    ]


def test_questions_show_the_answers_as_the_patient_saw_them():
    answers = _many_flags_patient()
    assert raised("ANTICOAGULANT_RX", answers).questions == {
        "blood_thinners": "Warfarin (Coumadin, Jantoven); Daily aspirin"
    }
    assert raised("PHOTOTYPE_IV_VI", answers).questions == {
        "skin_type_self": "Brown. Very rarely burns, tans very easily"
    }
    assert raised("ISO_WITHIN_6M", answers).questions == {"isotretinoin_last_dose": "August 2026"}
    assert raised("ISO_OVER_12M", iso_patient("2025-03")).questions == {
        "isotretinoin_last_dose": "March 2025"
    }
    assert raised("SUN_PLANNED_AFTER", answers).questions == {"sun_planned_after": "Yes"}


def test_raised_flag_serialises_to_json_ready_dict():
    flag = raised("KELOID_HYPERTROPHIC", patient(keloid_history="yes"))
    assert flag.as_json() == {
        "code": "KELOID_HYPERTROPHIC",
        "severity": "priority",
        "reason": flag.reason,
        "sources": ["S7", "S9", "S22", "S5"],
        "questions": {"keloid_history": "Yes"},
        "rules_version": RULES_VERSION,
    }


def test_flags_for_does_not_change_the_answers():
    answers = _many_flags_patient()
    before = {
        key: list(value) if isinstance(value, list) else value for key, value in answers.items()
    }
    flags_for(answers, TODAY)
    assert answers == before


def test_malformed_answers_do_not_crash_the_engine():
    answers = patient(
        isotretinoin_ever="yes",
        isotretinoin_current="no",
        isotretinoin_last_dose="2026-13",
        diabetes=["yes_controlled"],
        blood_thinners="warfarin",
        prior_procedures=["filler"],
        prior_filler_last="last spring",
    )
    found = codes(answers)
    assert "ISO_DATE_UNKNOWN" in found
    assert "RECENT_FILLER_TOXIN" in found


# --- Policy and rules version ------------------------------------------------------------------


def test_default_policy_matches_the_contract_windows():
    assert Policy() == Policy(
        isotretinoin_priority_months=6,
        isotretinoin_discuss_months=12,
        recent_sun_weeks=4,
        sun_caution_months=2,
        self_tanner_weeks=2,
        recent_resurfacing_months=6,
        ablative_after_ablative_months=12,
        filler_toxin_weeks=2,
        event_horizon_months=3,
        adult_age_years=18,
        recent_light_procedure_weeks=4,
        facial_surgery_months=6,
        recent_quit_weeks=4,
        acitretin_years=3,
        hair_removal_weeks=2,
    )


def test_default_policy_carries_the_plain_rules_version():
    assert RULES_VERSION == "2027.02.1"
    assert rules_version(Policy()) == RULES_VERSION


def test_changing_a_window_changes_the_rules_version_stably():
    shorter = rules_version(Policy(isotretinoin_priority_months=4))
    assert shorter.startswith(RULES_VERSION + "+policy.")
    assert shorter == rules_version(Policy(isotretinoin_priority_months=4))
    assert shorter != rules_version(Policy(isotretinoin_priority_months=5))
    assert shorter != rules_version(Policy(event_horizon_months=4))


def test_policy_setting_absent_or_empty_gives_the_defaults(settings):
    del settings.SCREENING_FLAG_POLICY
    assert current_policy() == Policy()
    settings.SCREENING_FLAG_POLICY = {}
    assert current_policy() == Policy()
    assert flags_for(full_answers(area_near_eyes="yes"), TODAY)[0].rules_version == RULES_VERSION


def test_policy_override_changes_the_window_and_the_version_new_flags_carry(settings):
    answers = iso_patient("2026-06")  # 5 months: priority by default
    assert "ISO_WITHIN_6M" in codes(answers)
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 3}
    assert current_policy().isotretinoin_priority_months == 3
    found = flags_for(answers, TODAY)
    assert "ISO_6_TO_12M" in [flag.code for flag in found]
    assert "ISO_WITHIN_6M" not in [flag.code for flag in found]
    assert {flag.rules_version for flag in found} == {
        rules_version(Policy(isotretinoin_priority_months=3))
    }


def test_explicit_policy_argument_overrides_the_settings(settings):
    settings.SCREENING_FLAG_POLICY = {"adult_age_years": 21}
    answers = patient(date_of_birth="2006-01-01")  # 20 years old
    assert "MINOR" in codes(answers)
    assert "MINOR" not in codes(answers, policy=Policy())


@pytest.mark.parametrize(
    ("overrides", "code", "changes"),
    [
        (
            {"recent_resurfacing_months": 3},
            "RECENT_RESURFACING",
            prior("chemical_peel_medium_deep", "2026-07"),
        ),
        (
            {"ablative_after_ablative_months": 6},
            "RECENT_RESURFACING",
            prior("ablative_laser", "2026-03"),
        ),
        ({"filler_toxin_weeks": 0}, "RECENT_FILLER_TOXIN", prior("filler", "2026-10")),
        ({"event_horizon_months": 1}, "EVENT_DEADLINE", event("2027-02")),
        (
            {"isotretinoin_discuss_months": 8},
            "ISO_6_TO_12M",
            dict(
                isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-01"
            ),
        ),
    ],
)
def test_shorter_windows_stop_raising_a_flag_the_defaults_raise(settings, overrides, code, changes):
    answers = patient(**changes)
    assert code in codes(answers)
    settings.SCREENING_FLAG_POLICY = overrides
    assert code not in codes(answers)


def test_longer_event_horizon_raises_the_deadline_for_a_later_event():
    answers = patient(**event("2027-06"))
    assert "EVENT_DEADLINE" not in codes(answers)
    assert "EVENT_DEADLINE" in codes(answers, policy=Policy(event_horizon_months=6))


def test_rules_version_without_a_policy_reads_the_setting(settings):
    settings.SCREENING_FLAG_POLICY = {"event_horizon_months": 6}
    assert rules_version() == rules_version(Policy(event_horizon_months=6)) != RULES_VERSION


def test_a_valid_cached_policy_does_not_hide_an_equal_but_invalid_value(settings):
    settings.SCREENING_FLAG_POLICY = {"adult_age_years": 1}
    assert current_policy().adult_age_years == 1
    settings.SCREENING_FLAG_POLICY = {"adult_age_years": True}  # True == 1 in Python
    with pytest.raises(ImproperlyConfigured):
        current_policy()


@pytest.mark.parametrize(
    "overrides",
    [
        {"isotretinoin_months": 6},  # unknown key
        {"isotretinoin_priority_months": "six"},  # not a number
        {"isotretinoin_priority_months": True},  # not a number of months
        {"adult_age_years": -1},
        {"isotretinoin_priority_months": 13},  # beyond the 12-month discuss window
        {"ablative_after_ablative_months": 3},  # shorter than the 6-month general window
        {"recent_sun_weeks": [4]},  # unhashable
        ["isotretinoin_priority_months"],  # not a dict
    ],
)
def test_bad_policy_setting_is_improperly_configured(settings, overrides):
    settings.SCREENING_FLAG_POLICY = overrides
    with pytest.raises(ImproperlyConfigured):
        current_policy()


# --- Questionnaire v2 (rules 2026.12.1): the changed readings -----------------------------------

V1 = "2026.11.1"


def v1_codes(**changes) -> list[str]:
    """Codes the current rules raise for a v1 (2026.11.1) submission with `changes`."""
    answers = {**no_risk_answers_v1(), **changes}
    return [flag.code for flag in flags_for(answers, TODAY, questionnaire_version=V1)]


def test_acitretin_alone_raises_no_isotretinoin_flag_only_acitretin_recent():
    found = codes(patient(**retinoid(["acitretin"], "2026-08")))
    assert "ACITRETIN_RECENT" in found
    assert not ISO_CODES & set(found)


def test_both_retinoids_raise_the_iso_flag_with_a_note_and_acitretin_recent():
    answers = patient(**retinoid(["isotretinoin", "acitretin"], "2026-08"))
    iso = raised("ISO_WITHIN_6M", answers)
    assert iso.reason.endswith("The last-dose date may refer to acitretin; see ACITRETIN_RECENT.")
    assert iso.questions["oral_retinoid_type"] == (
        "Isotretinoin (Accutane or similar), usually for acne; Acitretin (Soriatane), usually for "
        "psoriasis"
    )
    assert "ACITRETIN_RECENT" in codes(answers)


def test_isotretinoin_alone_has_no_acitretin_note():
    iso = raised("ISO_WITHIN_6M", patient(**retinoid(["isotretinoin"], "2026-08")))
    assert "acitretin" not in iso.reason.lower()


def test_a_missing_retinoid_type_keeps_the_v1_reading_of_the_isotretinoin_windows():
    assert "ISO_WITHIN_6M" in v1_codes(
        isotretinoin_ever="yes", isotretinoin_current="no", isotretinoin_last_dose="2026-08"
    )


def test_a_cold_sore_now_with_no_history_is_hsv_history_not_no_reported_history():
    answers = patient(cold_sores_history="never", cold_sore_now="yes")
    assert {"HSV_ACTIVE", "HSV_HISTORY"} <= set(codes(answers))
    assert modality_flags_for(answers, "ablative", TODAY) == []


def test_shingles_in_the_area_means_no_hsv_prophylaxis_policy_flag():
    answers = patient(cold_sores_history="never", shingles_area="yes")
    assert modality_flags_for(answers, "ablative", TODAY) == []


def test_a_rosacea_flare_gets_no_koebner_reason():
    found = codes(patient(skin_conditions=["rosacea"], skin_condition_active="yes"))
    assert "ROSACEA_ACTIVE" in found
    assert "ACTIVE_DERMATOSIS" not in found
    assert "KOEBNER_CONDITION" not in found


def test_rosacea_with_psoriasis_active_is_active_dermatosis_not_rosacea_active():
    found = codes(patient(skin_conditions=["psoriasis", "rosacea"], skin_condition_active="yes"))
    assert "ACTIVE_DERMATOSIS" in found
    assert "ROSACEA_ACTIVE" not in found


def test_somewhere_else_shows_where_with_the_non_facial_flag():
    flag = raised(
        "NON_FACIAL_AREA", patient(treatment_areas=["other"], treatment_areas_other="Upper back")
    )
    assert flag.questions == {
        "treatment_areas": "Somewhere else",
        "treatment_areas_other": "Upper back",
    }


def test_tattoo_flag_shows_when_it_was_done():
    flag = raised("TATTOO_OR_PMU_IN_AREA", patient(**prior("tattoo_pmu", "2026-10")))
    assert flag.questions == {
        "prior_procedures": "Tattoo, microblading or permanent makeup (such as brows, eyeliner or "
        "lip liner)",
        "prior_tattoo_pmu_last": "October 2026",
    }


@pytest.mark.parametrize(
    ("procedure", "when", "expected", "note"),
    [
        ("laser_unsure", "2025-11", True, "unsure which laser"),
        ("laser_unsure", "2025-10", False, ""),
        ("laser_unsure", "unknown", True, "unsure which laser"),
        (
            "fractional_ablative_laser",
            "2026-05",
            True,
            "Fractional ablative is held to the 6-month",
        ),
        ("fractional_ablative_laser", "2026-04", False, ""),
        ("nonablative_laser", "2026-05", False, ""),  # v2's choice is non-ablative only
    ],
)
def test_recent_resurfacing_reads_the_new_laser_choices(procedure, when, expected, note):
    flag = raised("RECENT_RESURFACING", patient(**prior(procedure, when)))
    assert (flag is not None) is expected
    if expected:
        assert note in flag.reason


@pytest.mark.parametrize(
    ("when", "expected"), [("2026-05", True), ("2026-04", False), ("unknown", True)]
)
def test_v1_non_ablative_or_fractional_laser_is_read_as_possibly_fractional(when, expected):
    found = v1_codes(prior_procedures=["nonablative_laser"], prior_nonablative_laser_last=when)
    assert ("RECENT_RESURFACING" in found) is expected
    if expected:
        flag = next(
            flag
            for flag in flags_for(
                {**no_risk_answers_v1(), **prior("nonablative_laser", when)},
                TODAY,
                questionnaire_version=V1,
            )
            if flag.code == "RECENT_RESURFACING"
        )
        assert "v1 form: this choice also covered fractional lasers." in flag.reason


def test_a_v1_submission_is_not_missing_the_questions_v1_did_not_ask():
    # Not asked is not missing: no UNSURE_SAFETY_ANSWERS for hair removal, devices, infections.
    assert v1_codes() == []


def test_the_same_answers_under_v2_miss_the_new_questions():
    answers = no_risk_answers_v1()
    flag = raised("UNSURE_SAFETY_ANSWERS", answers)
    assert set(flag.questions) == {"recurrent_skin_infection", "energy_device_safety"}


def test_device_unsure_raises_only_the_unsure_roll_up():
    found = codes(patient(energy_device_safety=["unsure"]))
    assert "UNSURE_SAFETY_ANSWERS" in found
    assert not {"IMPLANT_IN_AREA", "IMPLANTED_ELECTRONIC_DEVICE", "LIGHT_TRIGGERED_SEIZURES"} & set(
        found
    )


def test_laser_unsure_is_not_itself_an_unsure_safety_answer():
    assert "UNSURE_SAFETY_ANSWERS" not in codes(patient(**prior("laser_unsure", "2020-01")))


@pytest.mark.parametrize(
    ("changes", "question_id"),
    [
        (
            dict(
                isotretinoin_ever="yes", oral_retinoid_type=["unsure"], isotretinoin_current="yes"
            ),
            "oral_retinoid_type",
        ),
        (prior("facial_surgery", "unknown"), "prior_facial_surgery_last"),
        (prior("fractional_ablative_laser", "unknown"), "prior_fractional_ablative_laser_last"),
        (dict(smoking_status="former", quit_date="unknown"), "quit_date"),
        (filler(["unsure"]), "filler_type"),
        (dict(sun_reactions="yes", photosensitivity_dx=["unsure"]), "photosensitivity_dx"),
        (dict(allergies_any="yes", allergy_aftercare="unsure"), "allergy_aftercare"),
    ],
)
def test_new_unsure_answers_are_rolled_up(changes, question_id):
    assert question_id in raised("UNSURE_SAFETY_ANSWERS", patient(**changes)).questions


@pytest.mark.parametrize(
    "changes",
    [prior("tattoo_pmu", "unknown"), prior("thread_lift", "unknown"), prior("ipl", "unknown")],
)
def test_dates_no_safety_rule_reads_are_not_unsure_safety_answers(changes):
    assert "UNSURE_SAFETY_ANSWERS" not in codes(patient(**changes))


def test_cardiopulmonary_is_now_discuss():
    assert RULES_BY_CODE["CARDIOPULMONARY"].severity is Severity.DISCUSS


def test_new_windows_are_clinic_policy(settings):
    answers = patient(**prior("ipl", "2026-08"))
    assert "RECENT_LIGHT_TREATMENT" not in codes(answers)
    assert "RECENT_LIGHT_TREATMENT" in codes(
        answers, policy=Policy(recent_light_procedure_weeks=16)
    )
    assert rules_version(Policy(recent_quit_weeks=8)).startswith("2027.02.1+policy.")
