"""Plain labels for the flag codes, grouped by the catalogue's sections (isotretinoin, infection, scarring, ...).

The queue's flag filter and the exports show these beside (never instead of) the code. A test
checks that every catalogue rule has a label, so a new rule cannot appear as a bare code.
"""

from __future__ import annotations

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Isotretinoin and retinoids",
        (
            ("ISO_CURRENT", "Taking isotretinoin now"),
            ("ISO_WITHIN_6M", "Isotretinoin in the last 6 months"),
            ("ISO_6_TO_12M", "Isotretinoin 6 to 12 months ago"),
            ("ISO_OVER_12M", "Isotretinoin more than 12 months ago"),
            ("ISO_DATE_UNKNOWN", "Isotretinoin, last dose unknown"),
            ("ISO_FULLY_ABLATIVE", "Isotretinoin with fully ablative resurfacing"),
            ("ACITRETIN_RECENT", "Acitretin recently"),
            ("TOPICAL_RETINOID", "Topical retinoid or acid"),
        ),
    ),
    (
        "Infection, herpes simplex and the skin surface",
        (
            ("HSV_ACTIVE", "Cold sore now"),
            ("HSV_HISTORY", "Cold sores in the past"),
            ("HSV_PROPHYLAXIS_POLICY", "Antiviral prophylaxis (ablative)"),
            ("ACTIVE_INFECTION_OR_WOUND", "Infection or open wound in the area"),
            ("ACTIVE_ACNE", "Active acne"),
            ("ACTIVE_DERMATOSIS", "Active skin condition in the area"),
            ("ROSACEA_ACTIVE", "Rosacea flaring"),
            ("SUNBURN_NOW", "Sunburn now"),
            ("LESION_OF_CONCERN", "Changing spot or skin cancer"),
            ("RECURRENT_SKIN_INFECTION", "Recurrent skin infections"),
        ),
    ),
    (
        "Scarring and healing",
        (
            ("KELOID_HYPERTROPHIC", "Keloid or raised scars"),
            ("SLOW_HEALING", "Slow healing"),
            ("PRIOR_ADVERSE_OUTCOME", "Problem after an earlier treatment"),
            ("RECENT_RESURFACING", "Recent resurfacing or deep peel"),
            ("PRIOR_DEEP_RESURFACING", "Deep resurfacing in the past"),
            ("PRECANCER_FIELD_TREATMENT", "Treatment for precancers in the area"),
            ("RECENT_FACIAL_SURGERY", "Recent facial surgery"),
            ("NON_FACIAL_AREA", "Area other than the face"),
            ("TATTOO_OR_PMU_IN_AREA", "Tattoo or permanent make-up in the area"),
            ("IMPLANT_IN_AREA", "Implant or thread in the area"),
            ("PERIORBITAL_OR_PRIOR_LOWER_BLEPH", "Earlier lower eyelid surgery"),
            ("PERIORBITAL_AREA", "Skin around the eyes to be treated"),
        ),
    ),
    (
        "Pigment and sun",
        (
            ("PHOTOTYPE_IV_VI", "Skin type IV to VI"),
            ("PHOTOTYPE_IV_VI_ABLATIVE", "Skin type IV to VI with fully ablative resurfacing"),
            ("PHOTOTYPE_UNSURE", "Skin type not known"),
            ("TAN_OR_SUN_RECENT", "Tanned or sunburned now"),
            ("SUN_WITHIN_4_WEEKS", "Sun in the last 4 weeks"),
            ("SUN_1_2_MONTHS", "Sun 1 to 2 months ago"),
            ("SELF_TANNER_RECENT", "Self-tanner recently"),
            ("SUN_PLANNED_AFTER", "Sun planned after treatment"),
            ("MELASMA", "Melasma"),
            ("PIH_PRONE", "Dark marks after injury (PIH)"),
            ("HYPOPIGMENTATION_HISTORY", "Light patches after treatment"),
            ("PHOTOSENSITISING_MED", "Light-sensitising medicine"),
            ("PHOTOSENSITISING_UNSURE", "Light-sensitising medicine unsure"),
            ("PHOTOSENSITIVITY_DISORDER", "Light sensitivity disorder"),
            ("PORPHYRIA_OR_XP", "Porphyria or XP"),
            ("HAIR_REMOVAL_RECENT", "Recent hair removal in the area"),
            ("GOLD_THERAPY", "Gold treatment"),
        ),
    ),
    (
        "Medicines, bleeding and allergies",
        (
            ("ANTICOAGULANT_RX", "Blood thinner"),
            ("ASPIRIN_OR_SUPPLEMENTS", "Aspirin or bleeding-prone supplements"),
            ("ANTICOAGULANT_UNSURE", "Blood thinner unsure"),
            ("BLEEDING_DISORDER", "Bleeding disorder"),
            ("EASY_BRUISING", "Bruises or bleeds easily"),
            ("ALLERGY_LOCAL_ANAESTHETIC", "Allergy to local anaesthetic"),
            ("LOCAL_ANAESTHETIC_SIDE_EFFECT", "Racing heart or faint with a numbing medicine"),
            ("ALLERGY_PERIPROCEDURE_DRUG", "Allergy to an antiviral or antibiotic"),
            ("CARDIOPULMONARY", "Heart or lung condition"),
            ("ALLERGY_AFTERCARE_PRODUCT", "Allergy to an aftercare product"),
            ("IMPLANTED_ELECTRONIC_DEVICE", "Implanted electronic device"),
            ("LIGHT_TRIGGERED_SEIZURES", "Seizures triggered by light"),
            ("ANTIVIRAL_CURRENT", "Taking an antiviral now"),
            ("FREE_TEXT_NEEDS_REVIEW", "Free text to read"),
        ),
    ),
    (
        "Systemic conditions and healing capacity",
        (
            ("IMMUNOSUPPRESSED", "Weakened immune system"),
            ("IMMUNE_UNSURE", "Immune system unsure"),
            ("AUTOIMMUNE_CTD", "Autoimmune or connective-tissue disease"),
            ("DIABETES_CONTROLLED", "Diabetes, controlled"),
            ("DIABETES_UNCONTROLLED", "Diabetes, not controlled"),
            ("KIDNEY_OR_LIVER_DISEASE", "Kidney or liver disease"),
            ("RADIATION_TO_AREA", "Radiotherapy to the area"),
            ("KOEBNER_CONDITION", "Vitiligo, psoriasis or lichen planus"),
            ("ATOPIC_DERMATITIS", "Atopic eczema"),
            ("ROSACEA", "Rosacea"),
            ("PREGNANT", "Pregnant"),
            ("BREASTFEEDING", "Breastfeeding"),
            ("TRYING_TO_CONCEIVE", "Trying to conceive"),
            ("PREGNANCY_UNKNOWN", "Pregnancy not disclosed"),
            ("SMOKER", "Smokes"),
            ("RECENT_QUIT_SMOKING", "Stopped smoking recently"),
        ),
    ),
    (
        "Expectations and logistics",
        (
            ("EXPECTATIONS", "Expectations to discuss"),
            ("BODY_IMAGE_CONCERN", "Preoccupation or avoidance because of the concern"),
            ("LAXITY_OR_DEEP_FOLDS", "Sagging skin or deep folds"),
            ("DOWNTIME_LIMITED", "Little downtime available"),
            ("EVENT_DEADLINE", "Event coming up"),
            ("RECENT_FILLER_TOXIN", "Recent filler or neurotoxin"),
            ("RECENT_LIGHT_TREATMENT", "Recent light procedure"),
            ("MINOR", "Under 18"),
            ("UNSURE_SAFETY_ANSWERS", "Safety answers not known"),
        ),
    ),
    (
        "The last treatment here (return visits)",
        (
            ("POST_TREATMENT_SCARRING", "Scar or thick skin since the last treatment"),
            ("POST_TREATMENT_HYPOPIGMENTATION", "Light patches since the last treatment"),
            ("POST_TREATMENT_INFECTION", "Infection since the last treatment"),
            ("POST_TREATMENT_HSV", "Cold sore since the last treatment"),
            ("POST_TREATMENT_DELAYED_HEALING", "Slow healing after the last treatment"),
            ("POST_TREATMENT_PIH", "Dark patches since the last treatment"),
            ("PROLONGED_ERYTHEMA", "Redness or swelling that lasted"),
            ("POST_TREATMENT_CONTACT_REACTION", "Rash or reaction to aftercare"),
            ("POST_TREATMENT_ACNE_MILIA", "Milia or acne since the last treatment"),
            ("RESULT_SEEN_AS_WORSE", "Patient thinks the skin looks worse"),
        ),
    ),
    (
        "Raised by the provider's input",
        (("SKIN_TYPE_DIFFERS", "Provider's skin type differs from the patient's"),),
    ),
)

# Codes the catalogue no longer raises: their stored flags keep a plain label.
RETIRED_CODES: tuple[tuple[str, str], ...] = (("PHOTOTYPE_SELF_REPORT", "Skin type self-reported"),)

LABELS: dict[str, str] = {
    **dict(RETIRED_CODES),
    **{code: label for _, rows in SECTIONS for code, label in rows},
}


def flag_label(code: str) -> str:
    """The plain label of a flag code (the code itself for one no longer listed)."""
    return LABELS.get(code, code)
