"""Rules 2027.01.1 on answers of questionnaire 2027.01: every new or changed rule with the answer
set that raises it and the nearest one that does not (TODAY = 2026-11-24; a month answer counts
as its 15th, with the 31-day caution band either side of a window's edge)."""

from datetime import date

import pytest

from screening.flags import RULES_BY_CODE, Policy, Severity, flags_for, modality_flags_for
from tests.factories import full_answers

TODAY = date(2026, 11, 24)


def codes(answers, policy=None) -> list[str]:
    return [flag.code for flag in flags_for(answers, TODAY, policy)]


def raised(code, answers, policy=None):
    return next(flag for flag in flags_for(answers, TODAY, policy) if flag.code == code)


def vitiligo(active):
    return dict(
        skin_history=["skin_condition"],
        skin_conditions=["vitiligo"],
        skin_condition_active="no",
        vitiligo_active_12m=active,
    )


def numbing(reaction):
    return dict(allergies_list=["numbing"], numbing_reaction=reaction)


def precancer(last):
    return dict(prior_procedures=["precancer_treatment"], prior_precancer_treatment_last=last)


def prior(procedure, last):
    return dict(prior_procedures=[procedure], **{f"prior_{procedure}_last": last})


BOUNDARIES = [
    (
        "UNSURE_SAFETY_ANSWERS",
        dict(skin_history=["not_sure"], skin_history_unsure=["dark_marks"]),
        dict(skin_history=["dark_marks"]),
    ),
    ("UNSURE_SAFETY_ANSWERS", vitiligo("unsure"), vitiligo("no")),
    ("UNSURE_SAFETY_ANSWERS", precancer("unknown"), precancer("2020-01")),
    ("ACTIVE_DERMATOSIS", vitiligo("unsure"), vitiligo("no")),
    ("ACTIVE_DERMATOSIS", vitiligo("yes"), vitiligo("no")),
    (
        "BODY_IMAGE_CONCERN",
        dict(concern_impact="moderately", appearance_time="1_3h", appearance_avoid="no"),
        dict(concern_impact="moderately", appearance_time="under_1h", appearance_avoid="no"),
    ),
    (
        "BODY_IMAGE_CONCERN",
        dict(concern_impact="a_lot", appearance_time="under_1h", appearance_avoid="yes"),
        dict(concern_impact="a_lot", appearance_time="under_1h", appearance_avoid="unsure"),
    ),
    (
        "KIDNEY_OR_LIVER_DISEASE",
        dict(health_conditions=["kidney_liver"]),
        dict(health_conditions=["not_sure"], health_conditions_unsure=["kidney_liver"]),
    ),
    ("PRECANCER_FIELD_TREATMENT", precancer("2019-05"), dict(prior_procedures=["none"])),
    (
        "BLEEDING_DISORDER",
        dict(health_conditions=["not_sure"], health_conditions_unsure=["bleeding_dx"]),
        dict(health_conditions=["not_sure"], health_conditions_unsure=["easy_bruising"]),
    ),
    (
        "EASY_BRUISING",
        dict(health_conditions=["easy_bruising"]),
        dict(health_conditions=["bleeding_dx", "easy_bruising"]),
    ),
    ("ALLERGY_LOCAL_ANAESTHETIC", numbing("other"), numbing("heart_faint")),
    (
        "ALLERGY_LOCAL_ANAESTHETIC",
        dict(allergies_list=["not_sure"], allergies_list_unsure=["numbing"]),
        dict(allergies_list=["not_sure"], allergies_list_unsure=["antibiotic"]),
    ),
    ("LOCAL_ANAESTHETIC_SIDE_EFFECT", numbing("heart_faint"), numbing("unsure")),
    (
        "TAN_OR_SUN_RECENT",
        dict(
            current_skin_problems_area=["not_sure"], current_skin_problems_area_unsure=["tan_now"]
        ),
        dict(last_significant_sun="within_4_weeks"),
    ),
    (
        "SUN_WITHIN_4_WEEKS",
        dict(last_significant_sun="within_4_weeks"),
        dict(last_significant_sun="within_4_weeks", current_skin_problems_area=["tan_now"]),
    ),
    ("PERIORBITAL_AREA", dict(area_near_eyes="yes"), dict(area_near_eyes="unsure")),
    (
        "PERIORBITAL_OR_PRIOR_LOWER_BLEPH",
        dict(**prior("eyelid_surgery", "2019-01"), eyelid_surgery_lower="yes"),
        dict(area_near_eyes="yes"),
    ),
    (
        "ATOPIC_DERMATITIS",
        dict(
            skin_history=["skin_condition"], skin_conditions=["eczema"], skin_condition_active="no"
        ),
        dict(
            skin_history=["skin_condition"], skin_conditions=["rosacea"], skin_condition_active="no"
        ),
    ),
    # 12 months back is 2025-11-24: October 2025 (its 15th 40 days outside) is past the ablative
    # window, November 2025 still inside it (RECENT_RESURFACING then, not this).
    (
        "PRIOR_DEEP_RESURFACING",
        prior("ablative_laser", "2025-10"),
        prior("ablative_laser", "2025-11"),
    ),
]


@pytest.mark.parametrize(("code", "raising", "nearest"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_the_answer_set_raises_the_flag_and_the_nearest_does_not(code, raising, nearest):
    assert code in codes(full_answers(**raising))
    assert code not in codes(full_answers(**nearest))


@pytest.mark.parametrize(("code", "raising", "nearest"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_a_raised_flag_carries_its_rules_severity_and_reason(code, raising, nearest):
    flag = raised(code, full_answers(**raising))
    rule = RULES_BY_CODE[code]
    assert flag.severity is rule.severity
    assert flag.reason.startswith(rule.reason.format(policy=Policy()))


def test_severities_of_the_quieter_flags():
    expected = {
        "ISO_CURRENT": Severity.DISCUSS,
        "ISO_WITHIN_6M": Severity.DISCUSS,
        "ISO_6_TO_12M": Severity.INFO,
        "DIABETES_CONTROLLED": Severity.INFO,
        "PERIORBITAL_OR_PRIOR_LOWER_BLEPH": Severity.DISCUSS,
        "PERIORBITAL_AREA": Severity.INFO,
        "KOEBNER_CONDITION": Severity.DISCUSS,
        "ISO_FULLY_ABLATIVE": Severity.PRIORITY,
        "PHOTOTYPE_IV_VI_ABLATIVE": Severity.PRIORITY,
    }
    assert {code: RULES_BY_CODE[code].severity for code in expected} == expected


def test_the_healthy_v3_patient_raises_no_flag():
    assert codes(full_answers()) == []


def test_precancer_treatment_within_four_weeks_or_unknown_adds_the_still_inflamed_sentence():
    still = "The skin may still be inflamed."
    # 4 weeks back is 2026-10-27; with the band, October 2026 counts, September 2026 does not.
    assert still in raised("PRECANCER_FIELD_TREATMENT", full_answers(**precancer("2026-10"))).reason
    assert (
        still
        not in raised("PRECANCER_FIELD_TREATMENT", full_answers(**precancer("2026-09"))).reason
    )
    assert still in raised("PRECANCER_FIELD_TREATMENT", full_answers(**precancer("unknown"))).reason
    longer = Policy(precancer_treatment_weeks=12)
    assert (
        still
        in raised("PRECANCER_FIELD_TREATMENT", full_answers(**precancer("2026-09")), longer).reason
    )


def test_a_numbing_reaction_is_shown_with_the_flag():
    flag = raised("ALLERGY_LOCAL_ANAESTHETIC", full_answers(**numbing("allergic")))
    assert flag.questions == {
        "allergies_list": "A numbing medicine, such as lidocaine, numbing cream or a dental shot",
        "numbing_reaction": "Rash, hives, swelling or trouble breathing",
    }


def test_the_vitiligo_part_of_active_dermatosis_says_why():
    flag = raised("ACTIVE_DERMATOSIS", full_answers(**vitiligo("yes")))
    assert "Koebner positivity tracks vitiligo activity over months" in flag.reason


# --- Reasons state the clinic's window, not the default -----------------------------------------


def test_a_three_month_isotretinoin_policy_never_prints_six_to_twelve_months():
    policy = Policy(isotretinoin_priority_months=3)
    answers = full_answers(
        isotretinoin_ever="yes",
        oral_retinoid_type=["isotretinoin"],
        isotretinoin_current="no",
        isotretinoin_last_dose="2026-06",  # 5 months: past a 3-month window
    )
    flag = raised("ISO_6_TO_12M", answers, policy)
    assert "clinic's 3- and 12-month windows" in flag.reason
    assert "6–12" not in flag.reason and "6-month" not in flag.reason
    within = raised(
        "ISO_WITHIN_6M", full_answers(**{**answers, "isotretinoin_last_dose": "2026-10"}), policy
    )
    assert "clinic's 3-month window" in within.reason
    quit_flag = raised(
        "RECENT_QUIT_SMOKING",
        full_answers(smoking_status="former", quit_date="unknown"),
        Policy(recent_quit_weeks=8),
    )
    assert "8-week window" in quit_flag.reason and "59 days" not in quit_flag.reason


# --- The modality pair --------------------------------------------------------------------------

ISO = dict(isotretinoin_ever="yes", oral_retinoid_type=["isotretinoin"])


def modality_codes(answers, modality, **options):
    return [f.code for f in modality_flags_for(full_answers(**answers), modality, TODAY, **options)]


@pytest.mark.parametrize(
    ("answers", "modality", "expected"),
    [
        ({**ISO, "isotretinoin_current": "yes"}, "ablative", True),
        ({**ISO, "isotretinoin_current": "yes"}, "fractional_ablative", False),
        ({**ISO, "isotretinoin_current": "yes"}, "non_ablative", False),
        # 6 months back is 2026-05-24: May 2026 is inside the band, April 2026 is not.
        (
            {**ISO, "isotretinoin_current": "no", "isotretinoin_last_dose": "2026-05"},
            "ablative",
            True,
        ),
        (
            {**ISO, "isotretinoin_current": "no", "isotretinoin_last_dose": "2026-04"},
            "ablative",
            False,
        ),
        (
            {**ISO, "isotretinoin_current": "no", "isotretinoin_last_dose": "unknown"},
            "ablative",
            True,
        ),
        (dict(isotretinoin_ever="no"), "ablative", False),
    ],
)
def test_iso_fully_ablative_is_raised_only_for_fully_ablative_within_the_window(
    answers, modality, expected
):
    assert ("ISO_FULLY_ABLATIVE" in modality_codes(answers, modality)) is expected
    # Never at submission: the patient cannot say what will be planned.
    assert "ISO_FULLY_ABLATIVE" not in codes(full_answers(**answers))


@pytest.mark.parametrize(
    ("self_reported", "provider", "expected"),
    [
        ("IV", "", True),
        ("unsure", "", True),
        ("III", "", False),
        ("II", "IV", True),
        ("V", "III", False),
    ],
)
def test_phototype_iv_vi_ablative_prefers_the_providers_assessment(
    self_reported, provider, expected
):
    found = modality_codes(
        dict(skin_type_self=self_reported), "ablative", provider_skin_type=provider
    )
    assert ("PHOTOTYPE_IV_VI_ABLATIVE" in found) is expected
    fractional = modality_codes(
        dict(skin_type_self=self_reported), "fractional_ablative", provider_skin_type=provider
    )
    assert "PHOTOTYPE_IV_VI_ABLATIVE" not in fractional
