"""The flag catalogue as data: one `Rule` per flag (docs/data-dictionary/ lists them all).

Each rule holds its code, severity, provider-facing reason (as the clinical lead wrote it), sources, its
condition (built from `conditions`), its plain-words description and a standing note. The engine
applies the rules; the admin looks a stored flag's description and note up here by code.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.flags.base import (
    ABLATIVE_MODALITIES,
    ABLATIVE_WINDOW_NOTE,
    ANTICOAGULANT_NOTE,
    DISCUSS,
    EVENT_DATE_UNKNOWN_NOTE,
    FULLY_ABLATIVE_MODALITIES,
    INFO,
    ISO_SOURCES_NOTE,
    PRIORITY,
    TREATMENT_DATE_UNKNOWN_NOTE,
    Condition,
    Severity,
)
from screening.flags.conditions import (
    age_under,
    all_of,
    always,
    answer_is,
    any_of,
    before_version,
    course_problem,
    date_unknown,
    date_window,
    has_any,
    has_other_than,
    noted_if,
    picks_exactly,
    prior_treatment_date_unknown,
    prior_treatment_within,
    procedures_picked,
    provider_type_or_self_report,
    question_ids_read,
    text_given,
    under_version,
    unless,
    unsure_answers,
    unsure_with_nothing_added,
    windows_used,
    with_note,
)
from screening.flags.derivation import questions_behind, reads_gateways
from screening.flags.policy import Policy, current_policy
from screening.flags.return_visit import COURSE_IDS
from screening.questionnaire import UNKNOWN, prior_procedure_last_id
from screening.questionnaire.v2027_01 import GATEWAYS


@dataclass(frozen=True)
class Rule:
    """One flag: code, severity, reason (verbatim), sources and condition.

    `rule` is the condition in plain words for the provider view, with `{policy.<field>}` for ⚙
    windows (see `describe`). `note` is standing text to show next to the flag where sources
    disagree. `modalities` is set for rules that need the modality a provider is considering:
    `flags_for` never raises those, `modality_flags_for` does.
    """

    code: str
    severity: Severity
    reason: str
    sources: tuple[str, ...]
    condition: Condition
    rule: str = ""
    note: str = ""
    modalities: frozenset[str] = frozenset()

    @property
    def needs_modality(self) -> bool:
        return bool(self.modalities)

    def describe(self, policy: Policy | None = None) -> str:
        """The rule in plain words, with the windows of `policy` (default: the clinic's)."""
        return self.rule.format(policy=policy if policy is not None else current_policy())

    def reads(self, version: str | None = None) -> tuple[str, ...]:
        """The ids of the questions whose answers the rule looks at; with `version`, those it
        looks at on answers of that questionnaire version (`conditions.question_ids_read`)."""
        read = question_ids_read(self.condition, version)
        if version is None or not reads_gateways(version):
            return read
        # 2027.01 on: the rules' inputs are derived from the gateways the patient answered.
        return tuple(dict.fromkeys(qid for each in read for qid in questions_behind(each)))

    @property
    def windows(self) -> tuple[str, ...]:
        """The ⚙ Policy fields the rule measures dates with (`conditions.windows_used`)."""
        return windows_used(self.condition)


# The roll-up of UNSURE_SAFETY_ANSWERS: every question read by a rule of the safety sections
# (isotretinoin to health conditions), with the answers that mean "not known" for it. Any of them asked but left
# empty also counts (missing never counts as "no"). Decisions:
# - Included even where the answer raises its own flag too (e.g. cold_sores_history "unsure"
#   raises HSV_HISTORY; blood_thinners "unsure" raises ANTICOAGULANT_UNSURE; skin_type_self
#   "unsure" raises PHOTOTYPE_UNSURE), because the roll-up exists so that all open questions can
#   be resolved in one conversation.
# - "I don't remember" dates of 2.1/2.3 rules count as unsure answers; filler/neurotoxin dates
#   (2.7, logistics) do not.
# - pregnancy_status "prefer_not" counts: not disclosed is not "no" (PREGNANCY_UNKNOWN too).
# - last_significant_sun "never_unsure" does NOT count: the choice merges "never" with "can't
#   remember", most patients who never tan pick it, and current_tan_or_burn separately asks
#   about the skin's state now (with its own "unsure").
# - diabetes "yes_not_controlled" ("not well controlled or I'm not sure") does NOT count: it
#   already raises DIABETES_UNCONTROLLED, a priority flag, which is the cautious reading.
# - Questions without an unsure-type answer are listed with () so that a missing answer counts.
# - Free text is excluded: FREE_TEXT_NEEDS_REVIEW covers it.
UNSURE = ("unsure",)
_GATEWAY_UNSURE_LISTS_IDS = (
    "current_skin_problems_area_unsure",
    "medicines_any_unsure",
    "allergies_list_unsure",
    "skin_history_unsure",
    "health_conditions_unsure",
)
# Every item key of each gateway's "not sure" list.
_GATEWAY_ITEM_KEYS = {
    f"{gateway}_unsure": tuple(key for key, _label in items) for gateway, items in GATEWAYS.items()
}
UNSURE_SAFETY_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # 2.1 Isotretinoin and retinoids
    ("isotretinoin_ever", UNSURE),
    ("oral_retinoid_type", UNSURE),
    ("isotretinoin_current", ()),
    ("isotretinoin_last_dose", (UNKNOWN,)),
    ("topical_retinoid_acid_current", UNSURE),
    # 2.2 Infection, HSV and the skin surface
    ("cold_sores_history", UNSURE),
    ("cold_sore_now", ()),
    ("shingles_area", UNSURE),
    ("current_skin_problems_area", ()),
    ("recurrent_skin_infection", UNSURE),
    ("skin_condition_active", ()),
    ("changing_spot", UNSURE),
    ("skin_cancer_history", UNSURE),
    # 2.3 Scarring and healing
    ("keloid_history", UNSURE),
    ("slow_healing", UNSURE),
    ("prior_treatment_problems", UNSURE),
    ("prior_procedures", ()),
    (prior_procedure_last_id("ablative_laser"), (UNKNOWN,)),
    (prior_procedure_last_id("chemical_peel_medium_deep"), (UNKNOWN,)),
    (prior_procedure_last_id("dermabrasion"), (UNKNOWN,)),
    (prior_procedure_last_id("fractional_ablative_laser"), (UNKNOWN,)),
    (prior_procedure_last_id("laser_unsure"), (UNKNOWN,)),
    (prior_procedure_last_id("facial_surgery"), (UNKNOWN,)),
    (prior_procedure_last_id("eyelid_surgery"), (UNKNOWN,)),
    ("filler_type", UNSURE),
    ("treatment_areas", ()),
    ("area_near_eyes", UNSURE),
    ("eyelid_surgery_lower", UNSURE),
    # 2.4 Pigment and sun
    ("skin_type_self", UNSURE),
    ("current_tan_or_burn", UNSURE),
    ("last_significant_sun", ()),  # "never_unsure" excluded: see above
    ("self_tanner_recent", ()),
    ("sun_planned_after", UNSURE),
    ("skin_conditions", ()),
    ("dark_marks_after_injury", UNSURE),
    ("photosensitising_meds", ("other_unsure",)),
    ("sun_reactions", UNSURE),
    ("photosensitivity_dx", UNSURE),
    ("gold_therapy_ever", UNSURE),
    # 2.5 Medicines, bleeding and allergies
    ("blood_thinners", UNSURE),
    ("bleeding_supplements", ()),
    ("bleeding_disorder", UNSURE),
    ("allergy_local_anaesthetic", UNSURE),
    ("allergy_antiviral", UNSURE),
    ("allergy_antibiotic", UNSURE),
    ("heart_lung_conditions", UNSURE),
    ("energy_device_safety", UNSURE),
    ("allergy_aftercare", UNSURE),
    ("antiviral_current", ()),
    # 2.6 Systemic conditions and healing capacity
    ("immunosuppressant_meds", UNSURE),
    ("immune_conditions", UNSURE),
    ("autoimmune_conditions", ()),
    ("diabetes", ()),  # "yes_not_controlled" excluded: see above
    ("radiation_to_area", UNSURE),
    ("pregnancy_status", ("prefer_not",)),
    ("smoking_status", ()),
    ("quit_date", (UNKNOWN,)),
)

# Asked from 2027.01: the follow-ups whose answer can be "not sure" or "I don't remember". (The
# items of the gateways' "not sure" lists are counted by UNSURE_SAFETY_ANSWERS directly.)
UNSURE_SAFETY_ITEMS_V3: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vitiligo_active_12m", UNSURE),
    ("numbing_reaction", UNSURE),
    (prior_procedure_last_id("precancer_treatment"), (UNKNOWN,)),
    # Any item listed counts, and so does the list asked ("not sure" ticked) but left empty.
    *((question_id, _GATEWAY_ITEM_KEYS[question_id]) for question_id in _GATEWAY_UNSURE_LISTS_IDS),
)

# Asked from 2027.02, on a return visit: the course items listed as "not sure" that raise no flag
# of their own (scar, light patches, infection and cold sore do, "or unsure"), and "still there
# now" not known. (`since_last_treatments` "not sure" counts only when nothing was added to the
# past treatments: `unsure_with_nothing_added`.)
COURSE_ITEMS_WITHOUT_A_FLAG_WHEN_UNSURE = (
    "slow_healing",
    "dark_patches",
    "long_redness",
    "rash_itch",
    "bumps_acne",
)
UNSURE_SAFETY_ITEMS_RETURN_VISIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("last_session_problems_unsure", COURSE_ITEMS_WITHOUT_A_FLAG_WHEN_UNSURE),
    ("last_session_still_now", UNSURE),
)

# Free text a human must read (FREE_TEXT_NEEDS_REVIEW). The first rules listed five
# fields; allergy_antibiotic_text ("Which antibiotic?") is free medical text added with the
# yes_no_unsure + text pair of v1, so it is read by a human too.
FREE_TEXT_QUESTIONS = (
    "current_medications_text",
    "other_conditions_text",
    "anything_else_text",
    "allergy_other_text",
    "prior_treatment_problems_text",
    "allergy_antibiotic_text",
)

_ISO_DOSE = "isotretinoin_last_dose"
_RETINOID = "oral_retinoid_type"
# Conditions whose flare is an active dermatosis (eczema among them); Koebnerising conditions
# (eczema not among them: its concerns are contact dermatitis and eczema herpeticum).
_FLARING_CONDITIONS = ("vitiligo", "psoriasis", "eczema", "lichen_planus")
_KOEBNER_CONDITIONS = ("vitiligo", "psoriasis", "lichen_planus")
VITILIGO_ACTIVE_NOTE = (
    "Vitiligo with new or growing patches in the last 12 months (or unsure). Koebner "
    "positivity tracks vitiligo activity over months, not only 'right now'."
)
_LIGHT_PROCEDURES = ("microneedling", "chemical_peel_light", "ipl", "nonablative_laser")
ACITRETIN_TOO_NOTE = "The last-dose date may refer to acitretin; see ACITRETIN_RECENT."
LASER_UNSURE_NOTE = "The patient was unsure which laser it was, so the ablative window applies."
FRACTIONAL_ABLATIVE_NOTE = (
    "Fractional ablative is held to the {policy.recent_resurfacing_months}-month window: "
    "fractional series are often spaced weeks apart, so the interval is the provider's call "
    "(expert opinion)."
)
V1_FRACTIONAL_NOTE = "v1 form: this choice also covered fractional lasers."
# v1 asked "Non-ablative or fractional laser" as one choice; v2 asks them apart.
V1 = "2026.11.1"


def _iso(condition: Condition) -> Condition:
    """An ISO_* condition under v2: not when the only retinoid pill was acitretin (a missing
    oral_retinoid_type, as in v1, keeps the v1 reading), noted when acitretin was taken too."""
    # The date condition first: it fails for most patients, and all_of stops at the first miss.
    return all_of(
        noted_if(condition, has_any(_RETINOID, "acitretin"), ACITRETIN_TOO_NOTE),
        unless(picks_exactly(_RETINOID, "acitretin")),
    )


_YES_UNSURE = ("yes", "unsure")
# The versions whose answers are read through gateways (2027.01 on) ask some things differently.
V3 = "2027.01"
ISO_MODALITY_SENTENCE = (
    "Per consensus, no delay is needed for superficial peels, non-ablative or fractional "
    "(including fractional ablative) lasers. The PRIORITY review applies when fully ablative "
    "resurfacing or mechanical dermabrasion is planned (ISO_FULLY_ABLATIVE)."
)
_ISO_CURRENT = _iso(answer_is("isotretinoin_current", "yes"))
_ISO_WITHIN = _iso(
    date_window(_ISO_DOSE, within="isotretinoin_priority_months", elapsed="Last dose")
)
_ISO_UNKNOWN = _iso(
    all_of(
        answer_is("isotretinoin_ever", *_YES_UNSURE),
        unless(answer_is("isotretinoin_current", "yes")),
        date_unknown(_ISO_DOSE),
    )
)
_TAN_NOW = answer_is("current_tan_or_burn", *_YES_UNSURE)
_BLEEDING_V3 = any_of(
    has_any("health_conditions", "bleeding_dx"), has_any("health_conditions_unsure", "bleeding_dx")
)
_BLEEDING = any_of(before_version(V3, answer_is("bleeding_disorder", *_YES_UNSURE)), _BLEEDING_V3)
# Deep resurfacing, with the window RECENT_RESURFACING holds it to.
_DEEP_RESURFACING = (
    ("ablative_laser", "ablative_after_ablative_months"),
    ("chemical_peel_medium_deep", "recent_resurfacing_months"),
    ("dermabrasion", "recent_resurfacing_months"),
)


def _rule(
    code: str,
    severity: Severity,
    sources: str,
    condition: Condition,
    rule: str,
    reason: str,
    **options,
) -> Rule:
    """One catalogue row; `sources` is the Sources column ("S1, S2"; "" for none)."""
    return Rule(
        code=code,
        severity=severity,
        reason=reason,
        sources=tuple(source.strip() for source in sources.split(",") if source.strip()),
        condition=condition,
        rule=rule,
        **options,
    )


CATALOGUE: tuple[Rule, ...] = (
    # --- 2.1 Isotretinoin and retinoids ---
    _rule(
        "ISO_CURRENT",
        DISCUSS,
        "S1, S2",
        _ISO_CURRENT,
        "Currently taking isotretinoin (isotretinoin_current is yes).",
        "Currently on systemic isotretinoin. Consensus statements still advise against fully "
        "ablative resurfacing and mechanical dermabrasion in this setting, while non-ablative "
        "and fractional procedures are no longer routinely delayed. " + ISO_MODALITY_SENTENCE,
        note=ISO_SOURCES_NOTE,
    ),
    _rule(
        "ISO_WITHIN_6M",
        DISCUSS,
        "S1, S3",
        _ISO_WITHIN,
        "Last isotretinoin dose {policy.isotretinoin_priority_months} months ago or less.",
        "Within the clinic's {policy.isotretinoin_priority_months}-month window (the US "
        "package insert, as described by ASDS, uses 6 months and the Health Canada monograph "
        "5–6 months). This matters most if fully ablative resurfacing is being considered. "
        + ISO_MODALITY_SENTENCE,
        note=ISO_SOURCES_NOTE,
    ),
    _rule(
        "ISO_6_TO_12M",
        INFO,
        "S5, S22, S1, S2",
        _iso(
            date_window(
                _ISO_DOSE,
                within="isotretinoin_discuss_months",
                beyond="isotretinoin_priority_months",
                elapsed="Last dose",
            )
        ),
        "Last isotretinoin dose more than {policy.isotretinoin_priority_months} and at most "
        "{policy.isotretinoin_discuss_months} months ago.",
        "Between the clinic's {policy.isotretinoin_priority_months}- and "
        "{policy.isotretinoin_discuss_months}-month windows. "
        'Some sources use a 12-month window (Mayo Clinic says "during the previous year"; '
        'consent forms say "in the past year"). Recent consensus finds insufficient evidence '
        "to delay non-ablative or fractional treatment.",
        note=ISO_SOURCES_NOTE,
    ),
    _rule(
        "ISO_OVER_12M",
        INFO,
        "S32, S7",
        _iso(date_window(_ISO_DOSE, beyond="isotretinoin_discuss_months", elapsed="Last dose")),
        "Last isotretinoin dose more than {policy.isotretinoin_discuss_months} months ago.",
        "Past isotretinoin use, outside the clinic's {policy.isotretinoin_discuss_months}-month "
        "window. A few sources still cite 18 months or 1–2 years.",
        note=ISO_SOURCES_NOTE,
    ),
    _rule(
        "ISO_DATE_UNKNOWN",
        DISCUSS,
        "",
        _ISO_UNKNOWN,
        "Isotretinoin ever taken (yes or unsure), not current, and no last-dose date.",
        "Timing is unknown, so the window cannot be assessed. Confirm the last dose.",
        note=ISO_SOURCES_NOTE,
    ),
    _rule(
        "ISO_FULLY_ABLATIVE",
        PRIORITY,
        "S1, S2",
        any_of(_ISO_CURRENT, _ISO_WITHIN, _ISO_UNKNOWN),
        "Fully ablative resurfacing recorded by the provider, and isotretinoin current, last "
        "taken {policy.isotretinoin_priority_months} months ago or less, or at an unknown date.",
        "Fully ablative resurfacing is planned while isotretinoin is current, within the "
        "clinic's {policy.isotretinoin_priority_months}-month window, or of unknown timing. The "
        "ASDS and JAMA Dermatology consensus statements still advise against fully ablative "
        "laser and mechanical dermabrasion in this setting.",
        note=ISO_SOURCES_NOTE,
        modalities=FULLY_ABLATIVE_MODALITIES,
    ),
    _rule(
        "ACITRETIN_RECENT",
        DISCUSS,
        "S55",
        all_of(
            has_any(_RETINOID, "acitretin"),
            any_of(
                answer_is("isotretinoin_current", "yes"),
                date_window(_ISO_DOSE, within="acitretin_years", elapsed="Last dose"),
                date_unknown(_ISO_DOSE),
            ),
        ),
        "Acitretin among the retinoid pills, and taking one now, or the last dose "
        "{policy.acitretin_years} years ago or less, or at an unknown date.",
        "Current or recent acitretin. The isotretinoin windows do not apply. The US labelling "
        "requires avoiding pregnancy during treatment and for at least 3 years after the last "
        "dose (one UK formulary page gives 2 years). Check pregnancy status and plans (PREGNANT / "
        "TRYING_TO_CONCEIVE), and involve the prescriber if relevant. No resurfacing-specific "
        "evidence on acitretin was found: handling it like a systemic retinoid is expert "
        "opinion. Psoriasis, its usual indication, also raises KOEBNER_CONDITION.",
    ),
    _rule(
        "TOPICAL_RETINOID",
        INFO,
        "S30, S34",
        answer_is("topical_retinoid_acid_current", *_YES_UNSURE),
        "Topical retinoid or acid in use (yes or unsure).",
        "Active topical retinoid or acid use. Some protocols stop these 1–2 weeks before "
        "resurfacing.",
    ),
    # --- 2.2 Infection, herpes simplex and the skin surface ---
    _rule(
        "HSV_ACTIVE",
        PRIORITY,
        "S5, S10, S34",
        answer_is("cold_sore_now", "yes"),
        "Cold sore or tingling now.",
        "Active or prodromal HSV lesion reported. Resurfacing can spread or worsen an "
        "outbreak, leading to delayed healing and scarring.",
    ),
    _rule(
        "HSV_HISTORY",
        DISCUSS,
        "S6, S10, S11",
        any_of(
            answer_is("cold_sores_history", "rarely", "often", "unsure"),
            answer_is("cold_sore_now", "yes"),
            answer_is("shingles_area", "yes"),
        ),
        "Cold sores rarely, often or unsure; a cold sore or tingling now; or shingles in a "
        "treatment area.",
        "History of orofacial HSV (a sore or tingling reported now counts as history), or "
        "zoster in a treatment area. Mayo notes antiviral prophylaxis is prescribed for "
        "ablative resurfacing, and for non-ablative resurfacing when there is an HSV history. "
        "Regimens vary (famciclovir or valacyclovir, starting 1–2 days before, for roughly "
        "5–14 days).",
    ),
    _rule(
        "HSV_PROPHYLAXIS_POLICY",
        INFO,
        "S30, S10",
        all_of(
            answer_is("cold_sores_history", "never"),
            answer_is("cold_sore_now", "no"),
            unless(answer_is("shingles_area", "yes")),
            # 2027.02.1: a cold sore since the last treatment here (or unsure) is a reported HSV:
            # POST_TREATMENT_HSV applies instead.
            unless(
                any_of(
                    has_any("last_session_problems", "cold_sore"),
                    has_any("last_session_problems_unsure", "cold_sore"),
                )
            ),
        ),
        "Ablative treatment under consideration (recorded by the provider), no cold sores ever, "
        "none now, no shingles in a treatment area, and no cold sore since the last treatment "
        "here (or unsure).",
        "No cold sores reported, past or present, and no shingles in the area. Several sources "
        "still give prophylaxis to all ablative patients, because reactivation can occur "
        "without a known history.",
        modalities=ABLATIVE_MODALITIES,
    ),
    _rule(
        "ACTIVE_INFECTION_OR_WOUND",
        PRIORITY,
        "S8, S22, S33",
        has_any("current_skin_problems_area", "open_wound", "infection"),
        "Open wound or infection in the area now.",
        "Active infection or open wound in the intended area. Most sources list this as a "
        "contraindication until resolved.",
    ),
    _rule(
        "ACTIVE_ACNE",
        DISCUSS,
        "S24, S25",
        has_any("current_skin_problems_area", "acne_breakout"),
        "Active acne breakout in the area now.",
        "Active acne. ASPS and Cleveland Clinic describe it as making laser resurfacing a less "
        "suitable choice at that time.",
    ),
    _rule(
        "ACTIVE_DERMATOSIS",
        PRIORITY,
        "S7, S8",
        any_of(
            has_any("current_skin_problems_area", "rash_flare"),
            all_of(
                answer_is("skin_condition_active", "yes"),
                has_any("skin_conditions", *_FLARING_CONDITIONS),
            ),
            with_note(answer_is("vitiligo_active_12m", *_YES_UNSURE), VITILIGO_ACTIVE_NOTE),
        ),
        "Rash or flare in the area now, or vitiligo, psoriasis, eczema or lichen planus with a "
        "listed skin condition active now, or new or growing vitiligo patches in the last 12 "
        "months (yes or unsure).",
        "Active inflammatory dermatosis in the area, or a Koebnerising condition reported as "
        "active. If several conditions were picked, the answers do not say which one is flaring "
        "(it may be rosacea). There is a Koebner/flare risk, and active psoriasis or vitiligo is "
        "a listed relative contraindication.",
    ),
    _rule(
        "ROSACEA_ACTIVE",
        DISCUSS,
        "S5",
        all_of(
            answer_is("skin_condition_active", "yes"),
            has_any("skin_conditions", "rosacea"),
            unless(has_any("skin_conditions", *_FLARING_CONDITIONS)),
        ),
        "A listed skin condition active now, and rosacea is the only one of them that can flare.",
        "Rosacea is the only listed condition that can be flaring. A flare adds to "
        "post-treatment redness and sensitivity (Mayo: pre-existing rosacea can contribute to "
        "redness). The Koebner concern does not apply.",
    ),
    _rule(
        "SUNBURN_NOW",
        PRIORITY,
        "S34",
        has_any("current_skin_problems_area", "sunburn"),
        "Sunburn in the area now.",
        "Sunburn in the area at present.",
    ),
    _rule(
        "LESION_OF_CONCERN",
        PRIORITY,
        "S22, S33, S34",
        any_of(
            answer_is("changing_spot", *_YES_UNSURE),
            answer_is("skin_cancer_history", *_YES_UNSURE),
        ),
        "New or changing spot, or skin cancer in the area before (yes or unsure).",
        "A new or changing lesion, or previous skin cancer (or the patient is unsure), in the "
        "area. Lesions should be evaluated before resurfacing. Sources list skin cancer or "
        "suspicious lesions in the area as contraindications.",
    ),
    _rule(
        "RECURRENT_SKIN_INFECTION",
        DISCUSS,
        "S52, S53, S54",
        answer_is("recurrent_skin_infection", *_YES_UNSURE),
        "MRSA or skin infections that keep coming back (yes or unsure).",
        "MRSA or recurrent bacterial skin infection. Ablative resurfacing leaves an open wound, "
        "and infection rates of up to 7.6% (ablative) vs 1.9% (fractional ablative) are cited. "
        "S. aureus, including MRSA, is a common organism, and a history of recurrent skin "
        "infection is listed as a patient risk factor. Toxic shock syndrome after S. aureus "
        "infection following resurfacing has been reported. Relevant to the choice of "
        "antibiotic prophylaxis; decolonisation evidence is mixed (intranasal mupirocin did not "
        "help in one study).",
    ),
    # --- 2.3 Scarring and healing ---
    _rule(
        "KELOID_HYPERTROPHIC",
        PRIORITY,
        "S7, S9, S22, S5",
        answer_is("keloid_history", *_YES_UNSURE),
        "Keloid or thick raised scar (yes or unsure).",
        "Keloid or hypertrophic scarring tendency. Listed as a contraindication in consent "
        "forms and as a relative contraindication in texts. Conservative settings or test "
        "spots are suggested.",
    ),
    _rule(
        "SLOW_HEALING",
        DISCUSS,
        "S7, S8",
        answer_is("slow_healing", "yes"),
        "Cuts usually heal much more slowly than normal.",
        "The patient reports impaired wound healing. Look for a cause (see the immune, "
        "diabetes and CTD flags).",
    ),
    _rule(
        "PRIOR_ADVERSE_OUTCOME",
        DISCUSS,
        "S33, S7",
        answer_is("prior_treatment_problems", "yes"),
        "Problems after a previous skin treatment.",
        "Previous scarring, dyspigmentation, infection or slow healing after a procedure.",
    ),
    # The patient cannot say which modality is planned, so a previous ablative laser is held to
    # the longer ablative-after-ablative window (cautious), and the reason says so. A picked
    # treatment with an unknown date counts: unknown never counts as outside the window.
    _rule(
        "RECENT_RESURFACING",
        DISCUSS,
        "S33, S7",
        procedures_picked(
            (
                "ablative_laser",
                "laser_unsure",
                "fractional_ablative_laser",
                "chemical_peel_medium_deep",
                "dermabrasion",
                "nonablative_laser",
            ),
            any_of(
                with_note(
                    prior_treatment_within("ablative_laser", "ablative_after_ablative_months"),
                    ABLATIVE_WINDOW_NOTE,
                ),
                with_note(
                    any_of(
                        prior_treatment_within("laser_unsure", "ablative_after_ablative_months"),
                        prior_treatment_date_unknown("laser_unsure"),
                    ),
                    LASER_UNSURE_NOTE,
                ),
                with_note(
                    any_of(
                        prior_treatment_within(
                            "fractional_ablative_laser", "recent_resurfacing_months"
                        ),
                        prior_treatment_date_unknown("fractional_ablative_laser"),
                    ),
                    FRACTIONAL_ABLATIVE_NOTE,
                ),
                prior_treatment_within("chemical_peel_medium_deep", "recent_resurfacing_months"),
                prior_treatment_within("dermabrasion", "recent_resurfacing_months"),
                under_version(
                    V1,
                    with_note(
                        any_of(
                            prior_treatment_within(
                                "nonablative_laser", "recent_resurfacing_months"
                            ),
                            prior_treatment_date_unknown("nonablative_laser"),
                        ),
                        V1_FRACTIONAL_NOTE,
                    ),
                ),
                with_note(
                    any_of(
                        *(
                            prior_treatment_date_unknown(procedure)
                            for procedure in (
                                "ablative_laser",
                                "laser_unsure",
                                "fractional_ablative_laser",
                                "chemical_peel_medium_deep",
                                "dermabrasion",
                            )
                        ),
                        under_version(V1, prior_treatment_date_unknown("nonablative_laser")),
                    ),
                    TREATMENT_DATE_UNKNOWN_NOTE,
                ),
            ),
        ),
        "Ablative laser, or a laser of unknown kind, within "
        "{policy.ablative_after_ablative_months} months; fractional ablative laser, medium/deep "
        "peel or dermabrasion within {policy.recent_resurfacing_months} months; any of them at "
        "an unknown date; or (v1 form only) a non-ablative or fractional laser within "
        "{policy.recent_resurfacing_months} months or at an unknown date.",
        "Recent aggressive resurfacing. One source lists deep peel, dermabrasion or laser "
        "within 6 months as a contraindication. A previous deep peel reduces adnexal reserve.",
    ),
    _rule(
        "RECENT_FACIAL_SURGERY",
        PRIORITY,
        "S38, S39, S40, S5",
        procedures_picked(
            ("facial_surgery", "eyelid_surgery"),
            any_of(
                prior_treatment_within("facial_surgery", "facial_surgery_months"),
                prior_treatment_within("eyelid_surgery", "facial_surgery_months"),
                with_note(
                    any_of(
                        prior_treatment_date_unknown("facial_surgery"),
                        prior_treatment_date_unknown("eyelid_surgery"),
                    ),
                    TREATMENT_DATE_UNKNOWN_NOTE,
                ),
            ),
        ),
        "Facial or eyelid surgery within {policy.facial_surgery_months} months, or at an "
        "unknown date.",
        "Facial or eyelid surgery in the intended area within the window. Skin lifted "
        "(undermined) in a facelift has a reduced blood supply. One surgeon states that lasers, "
        "dermabrasion and peels are not used on that skin at the time of the lift. Once it has "
        "healed, lighter peels and fractional lasers can generally be done within a month of "
        "the lift (the page's interval for more aggressive treatments was not available). "
        "Another notes that skin over the flaps is treated least and stays red longest. Others "
        "report same-session or day-10 fractional CO2. Ask what was undermined and when, and "
        "involve the surgeon if needed. Resurfacing soon after lower-lid surgery adds to the "
        "ectropion risk (see PERIORBITAL_OR_PRIOR_LOWER_BLEPH). The 6-month default is expert "
        "opinion.",
    ),
    _rule(
        "PRIOR_DEEP_RESURFACING",
        INFO,
        "S7, S33, S5, S30",
        procedures_picked(
            tuple(procedure for procedure, _window in _DEEP_RESURFACING),
            any_of(
                *(
                    all_of(
                        has_any("prior_procedures", procedure),
                        always(prior_procedure_last_id(procedure)),
                        unless(prior_treatment_within(procedure, window)),
                        unless(prior_treatment_date_unknown(procedure)),
                    )
                    for procedure, window in _DEEP_RESURFACING
                )
            ),
        ),
        "Fully ablative laser, medium or deep peel, or dermabrasion before, outside the window "
        "of RECENT_RESURFACING ({policy.ablative_after_ablative_months} months for ablative "
        "laser, {policy.recent_resurfacing_months} months for the others).",
        "Previous deep resurfacing in the area (outside the recent window). A deep peel or "
        "fully ablative laser reduces adnexal reserve for life, and late hypopigmentation can "
        "follow fully ablative CO2. Examine for hypopigmentation and scarring.",
    ),
    _rule(
        "PRECANCER_FIELD_TREATMENT",
        DISCUSS,
        "S71",
        noted_if(
            all_of(
                has_any("prior_procedures", "precancer_treatment"),
                always(prior_procedure_last_id("precancer_treatment")),
            ),
            any_of(
                prior_treatment_within("precancer_treatment", "precancer_treatment_weeks"),
                prior_treatment_date_unknown("precancer_treatment"),
            ),
            "The skin may still be inflamed. After ALA-PDT, treated skin is photosensitive to "
            "sunlight and bright indoor light for at least 40 hours.",
        ),
        "Cream or light (PDT) treatment for precancers in the area; the last one within "
        "{policy.precancer_treatment_weeks} weeks or at an unknown date adds a sentence.",
        "Field treatment for actinic keratoses in the area (5-FU, imiquimod or PDT), which "
        "points to field cancerisation. Examine for residual AK or skin cancer before "
        "resurfacing (see LESION_OF_CONCERN).",
    ),
    _rule(
        "NON_FACIAL_AREA",
        DISCUSS,
        "S29, S30",
        any_of(
            has_any("treatment_areas", "neck", "chest", "hands"),
            # The site of "Somewhere else" is in the follow-up: shown with the flag.
            all_of(has_any("treatment_areas", "other"), always("treatment_areas_other")),
        ),
        "Neck, chest, hands or somewhere else (not the face) among the treatment areas.",
        "Neck, chest and hands heal less well than the face and are more prone to thickening "
        "or scarring after resurfacing. Some experts prefer non-ablative fractional treatment "
        "off the face. For other areas, the site is in treatment_areas_other. Off-face sites "
        "such as the arms, legs and back were not covered by the sources found. Grouping them "
        "with neck, chest and hands (fewer skin appendages, slower healing) is expert opinion.",
    ),
    _rule(
        "TATTOO_OR_PMU_IN_AREA",
        DISCUSS,
        "S35, S36, S37",
        all_of(
            has_any("prior_procedures", "tattoo_pmu"),
            always(prior_procedure_last_id("tattoo_pmu")),
        ),
        "Tattoo, microblading or permanent makeup in the area.",
        "Tattoo or permanent makeup in the area. Ablative and fractional ablative resurfacing "
        "can fade or remove the ink: CO2 vaporisation removed cosmetic eyeliner and lip-liner "
        "tattoos in a case series, and CO2 fractional resurfacing removed them in an animal "
        "model. Pigment-specific lasers can darken cosmetic inks that contain iron oxide or "
        "titanium dioxide; IPL may act the same way (expert opinion). Tattoo ink absorbs light "
        "energy, with reported burning, scarring and pigment change, and one text advises "
        "avoiding lasing tattooed skin. A recent tattoo (see the date) is still healing. "
        "Discuss treating around it, and record consent to any change.",
    ),
    _rule(
        "IMPLANT_IN_AREA",
        DISCUSS,
        "S45, S46, S47, S28",
        any_of(
            has_any("filler_type", "long_lasting", "unsure"),
            has_any("prior_procedures", "thread_lift"),
            has_any("energy_device_safety", "metal_in_area"),
        ),
        "Long-lasting or permanent filler (or the type is unknown), a thread lift, or metal "
        "under the skin of a treatment area.",
        "Long-lasting or permanent filler (or the type is unknown), threads, or metal under the "
        "skin in the area. Permanent and semi-permanent fillers (silicone, PMMA, PLLA) can form "
        "granulomas months to years later, and some late granulomas are linked to biofilm. No "
        "source was found on resurfacing over them, so whether heat or inflammation triggers "
        "these reactions is expert opinion. Threads and metal matter mainly for radiofrequency "
        "and other heat-based devices used alongside lasers (expert opinion). Hyaluronic-acid "
        "filler alone is handled by RECENT_FILLER_TOXIN.",
    ),
    _rule(
        "PERIORBITAL_OR_PRIOR_LOWER_BLEPH",
        DISCUSS,
        "S5",
        answer_is("eyelid_surgery_lower", *_YES_UNSURE),
        "Lower eyelid surgery (yes or unsure).",
        "Ablative resurfacing near the lower eyelid can, rarely, cause ectropion. Assess lid "
        "laxity and surgical history.",
    ),
    _rule(
        "PERIORBITAL_AREA",
        INFO,
        "S5",
        answer_is("area_near_eyes", "yes"),
        "Skin around the eyes to be treated.",
        "Periorbital skin is to be treated. Assess lower-lid laxity (snap test) at the exam; "
        "ectropion risk rises with laxity and previous lower blepharoplasty.",
    ),
    # --- 2.4 Pigment and sun ---
    _rule(
        "PHOTOTYPE_IV_VI",
        DISCUSS,
        "S12, S13, S14, S5, S24",
        answer_is("skin_type_self", "IV", "V", "VI"),
        "Self-reported skin type IV, V or VI.",
        "Higher risk of post-inflammatory hyperpigmentation and, with ablative treatment, "
        "hypopigmentation. PIH occurred in 68% of type IV patients after facial resurfacing "
        "in one series. NAFL has a favourable evidence base in IV–VI with appropriate "
        "settings.",
    ),
    _rule(
        "PHOTOTYPE_UNSURE",
        INFO,
        "S23",
        answer_is("skin_type_self", "unsure"),
        "Skin type: not sure.",
        "Self-assessment not given. Phototype must be established in person.",
    ),
    # PHOTOTYPE_SELF_REPORT (raised for everyone) is retired: its sentence is a standing note
    # beside the self-reported skin type (provider_checks.SELF_REPORT_NOTE).
    _rule(
        "PHOTOTYPE_IV_VI_ABLATIVE",
        PRIORITY,
        "S12, S13, S5, S30",
        provider_type_or_self_report(("IV", "V", "VI"), ("IV", "V", "VI", "unsure")),
        "Fully ablative resurfacing recorded by the provider, and skin type IV, V or VI by the "
        "provider's assessment, or (none recorded) self-reported IV, V, VI or not sure.",
        "Fully ablative resurfacing in skin type IV–VI (or not yet established). PIH is common "
        "(68% in one type IV series), and delayed, sometimes permanent hypopigmentation is the "
        "main concern. NAFL has the better evidence base in IV–VI.",
        modalities=FULLY_ABLATIVE_MODALITIES,
    ),
    # The sun and self-tanner windows are fixed by the question wording (see Policy).
    _rule(
        "TAN_OR_SUN_RECENT",
        PRIORITY,
        "S6, S21, S20, S19",
        _TAN_NOW,
        "Tanned or sunburned now (yes or unsure).",
        "Current tan or recent UV exposure. Sources advise no tanning for about 4 weeks "
        "before treatment. Mayo warns that heavy sun up to 2 months before can cause "
        "permanent irregular pigmentation and can reactivate HSV.",
    ),
    _rule(
        "SUN_WITHIN_4_WEEKS",
        DISCUSS,
        "S6, S21",
        all_of(answer_is("last_significant_sun", "within_4_weeks"), unless(_TAN_NOW)),
        "Last tan or sunburn within 4 weeks, and not tanned or sunburned now.",
        "Tan, sunburn or tanning bed within 4 weeks but not now. Confirm on the treatment "
        "day; sources advise about 4 weeks without tanning.",
    ),
    _rule(
        "SUN_1_2_MONTHS",
        DISCUSS,
        "S6",
        answer_is("last_significant_sun", "1_2_months"),
        "Last tan or sunburn 1–2 months ago.",
        "UV exposure within Mayo's 2-month caution window.",
    ),
    _rule(
        "SELF_TANNER_RECENT",
        DISCUSS,
        "S19, S20, S33",
        answer_is("self_tanner_recent", "yes"),
        "Self-tanner, bronzer or spray tan in the last 2 weeks.",
        "Self-tanner or bronzer within the last 2 weeks. Intake forms and contraindication "
        "lists treat this as a reason to defer or re-check.",
    ),
    _rule(
        "SUN_PLANNED_AFTER",
        INFO,
        "S9, S6",
        answer_is("sun_planned_after", *_YES_UNSURE),
        "A lot of sun expected in the next 2 months (yes or unsure).",
        "Post-treatment sun avoidance may be hard. Discuss timing and aftercare.",
    ),
    _rule(
        "MELASMA",
        DISCUSS,
        "S15",
        has_any("skin_conditions", "melasma"),
        "Melasma.",
        "Melasma is prone to relapse and to worsening with heat. A review cautions that "
        "ablative fractional lasers carry a very high risk of PIH or hypopigmentation in "
        "melasma.",
    ),
    _rule(
        "PIH_PRONE",
        DISCUSS,
        "S9",
        answer_is("dark_marks_after_injury", "yes"),
        "Dark marks lasting months after injuries.",
        "The patient reports a tendency to persistent post-inflammatory hyperpigmentation. "
        "Patients with this history are at greater PIH risk.",
    ),
    _rule(
        "HYPOPIGMENTATION_HISTORY",
        DISCUSS,
        "S5, S30",
        has_any("skin_conditions", "light_patches"),
        "Light or white patches after a previous treatment.",
        "Prior treatment-related hypopigmentation.",
    ),
    _rule(
        "PHOTOSENSITISING_MED",
        DISCUSS,
        "S9, S26, S20",
        has_other_than("photosensitising_meds", "none", "other_unsure"),
        "A listed photosensitising medicine.",
        "Photosensitising medicine reported. Texts recommend careful screening.",
    ),
    # "other_unsure" may be picked together with listed medicines, so "contains" not "equals".
    _rule(
        "PHOTOSENSITISING_UNSURE",
        INFO,
        "S26",
        has_any("photosensitising_meds", "other_unsure"),
        "Another medicine, or unsure whether a medicine is photosensitising.",
        "The patient is unsure whether a medicine is photosensitising. Review the medication list.",
    ),
    _rule(
        "PHOTOSENSITIVITY_DISORDER",
        DISCUSS,
        "S9, S33",
        any_of(
            answer_is("sun_reactions", "yes"),
            has_any("autoimmune_conditions", "lupus"),
            has_any("photosensitivity_dx", "pmle", "other_light", "unsure"),
        ),
        "Unusual reactions to sunlight, lupus, or a light-sensitivity condition (polymorphic "
        "light eruption, another, or not sure).",
        "Possible photosensitivity disorder (e.g. lupus, polymorphic light eruption). The "
        "diagnosis the patient gave, if any, is shown.",
    ),
    _rule(
        "PORPHYRIA_OR_XP",
        PRIORITY,
        "S48, S49",
        has_any("photosensitivity_dx", "porphyria", "xp"),
        "Porphyria or xeroderma pigmentosum.",
        "Porphyria or xeroderma pigmentosum reported. In porphyria, porphyrins absorb "
        "blue-violet light (around 400 nm) and cause phototoxic injury. In EPP even bright "
        "lights (e.g. operating lights) can burn, and PCT causes fragile, blistering skin. This "
        "matters for IPL and other visible-light devices and for post-treatment light exposure; "
        "CO2 and erbium wavelengths are far from porphyrin absorption. XP is a DNA-repair defect "
        "with extreme UV sensitivity and a high skin-cancer burden. Specialist input is "
        "advised; the drug safety of peri-procedural medicines in porphyria should be checked "
        "(expert opinion).",
    ),
    _rule(
        "HAIR_REMOVAL_RECENT",
        INFO,
        "S59",
        answer_is("hair_removal_recent", "yes"),
        "Waxing, threading, hair-removal cream or electrolysis on a treatment area in the last "
        "2 weeks.",
        "Waxing, threading, depilatory cream or electrolysis in the area within 2 weeks. The "
        "skin may be irritated or broken; re-check it at the visit. One CO2 pre-treatment "
        "protocol asks for about 2 weeks without these.",
    ),
    _rule(
        "GOLD_THERAPY",
        DISCUSS,
        "S16, S33",
        answer_is("gold_therapy_ever", *_YES_UNSURE),
        "Gold injections or tablets ever (yes or unsure).",
        "Any past systemic gold. Laser-induced chrysiasis (permanent blue-grey discolouration) "
        "has been reported up to 26 years after the last gold dose, mainly with Q-switched "
        "lasers. This matters if pigment lasers are combined with resurfacing.",
    ),
    # --- 2.5 Medicines, bleeding and allergies ---
    _rule(
        "ANTICOAGULANT_RX",
        DISCUSS,
        "S9, S22, S27",
        has_any("blood_thinners", "warfarin", "doac", "antiplatelet", "injectable_anticoag"),
        "Warfarin, a DOAC, an antiplatelet or an injectable anticoagulant.",
        "Prescribed anticoagulant or antiplatelet. Expect more pinpoint bleeding or bruising. "
        "Sources differ (see note). Any change to therapy needs the prescriber.",
        note=ANTICOAGULANT_NOTE,
    ),
    _rule(
        "ASPIRIN_OR_SUPPLEMENTS",
        INFO,
        "S21, S9",
        any_of(
            has_any("blood_thinners", "aspirin_daily"), answer_is("bleeding_supplements", "yes")
        ),
        "Daily aspirin, or supplements that affect bleeding.",
        "Aspirin or supplements that affect bleeding. Some consent forms ask patients to "
        "avoid aspirin, ibuprofen and vitamin E for 10 days if medically appropriate.",
    ),
    _rule(
        "ANTICOAGULANT_UNSURE",
        INFO,
        "",
        has_any("blood_thinners", "unsure"),
        "Not sure about blood thinners.",
        "Unknown anticoagulant status. Check the medication list.",
    ),
    _rule(
        "BLEEDING_DISORDER",
        PRIORITY,
        "S33, S22",
        _BLEEDING,
        "Bleeding or clotting problem (yes or unsure); before 2027.01 one question that also "
        "asked about easy bruising.",
        "Coagulopathy or easy bleeding is listed among contraindications to resurfacing.",
    ),
    _rule(
        "EASY_BRUISING",
        DISCUSS,
        "S9, S21",
        all_of(
            any_of(
                has_any("health_conditions", "easy_bruising"),
                has_any("health_conditions_unsure", "easy_bruising"),
            ),
            unless(_BLEEDING),
        ),
        "Bruises or bleeds very easily (ticked or not sure), without a bleeding or clotting "
        "disorder.",
        "Easy bruising or bleeding reported, without a known bleeding disorder. Common causes "
        "include age, antiplatelet drugs, SSRIs and supplements; check the medicine list. "
        "Expect more purpura. A provider may still want a history or tests.",
    ),
    _rule(
        "ALLERGY_LOCAL_ANAESTHETIC",
        PRIORITY,
        "S8, S17",
        any_of(
            before_version(V3, answer_is("allergy_local_anaesthetic", *_YES_UNSURE)),
            all_of(
                has_any("allergies_list", "numbing"),
                answer_is("numbing_reaction", "allergic", "other", "unsure"),
            ),
            has_any("allergies_list_unsure", "numbing"),
        ),
        "Bad reaction to a numbing medicine (yes or unsure); from 2027.01, an allergic, other "
        "or unknown reaction, or not sure about a reaction.",
        "Possible allergy or reaction to local or topical anaesthetic, which affects the "
        "pain-control plan. FDA warns about systemic toxicity of topical anaesthetics used "
        "over large areas for cosmetic procedures.",
    ),
    _rule(
        "LOCAL_ANAESTHETIC_SIDE_EFFECT",
        DISCUSS,
        "S17",
        all_of(has_any("allergies_list", "numbing"), answer_is("numbing_reaction", "heart_faint")),
        "A racing heart, shakiness or fainting with a numbing medicine.",
        "A racing heart, shakiness or fainting with a numbing medicine. This usually means "
        "adrenaline (epinephrine) effects or a faint rather than an allergy, but confirm the "
        "drug, dose and setting, because early systemic toxicity can look similar. Relevant to "
        "the anaesthetic plan.",
    ),
    _rule(
        "ALLERGY_PERIPROCEDURE_DRUG",
        DISCUSS,
        "S8, S30",
        any_of(
            answer_is("allergy_antiviral", *_YES_UNSURE),
            answer_is("allergy_antibiotic", *_YES_UNSURE),
        ),
        "Allergy to an antiviral or an antibiotic (yes or unsure).",
        "Allergy to a drug often used around resurfacing (antiviral or antibiotic "
        'prophylaxis). "Allergy to any medication necessary for treatment" is a listed '
        "relative contraindication.",
    ),
    _rule(
        "CARDIOPULMONARY",
        DISCUSS,
        "S7, S17, S61",
        answer_is("heart_lung_conditions", *_YES_UNSURE),
        "Heart or lung condition or uncontrolled blood pressure (yes or unsure).",
        "Relevant to the anaesthetic plan. Extensive (e.g. full-face ablative) resurfacing may "
        "use sedation. Topical anaesthetic over large areas carries a risk of systemic "
        "toxicity. Whether adrenaline-containing local anaesthetic suits a patient with "
        "arrhythmia or hypertension is a provider judgement (expert opinion). Significant "
        "cardiovascular or pulmonary disease and problematic hypertension are listed among "
        "relative contraindications.",
    ),
    _rule(
        "ALLERGY_AFTERCARE_PRODUCT",
        DISCUSS,
        "S56, S57",
        answer_is("allergy_aftercare", *_YES_UNSURE),
        "A rash or itching from a wound ointment (yes or unsure).",
        "Possible contact allergy to a wound ointment. Neomycin and bacitracin are among the "
        "most common contact allergens: about 10% and 9% of patch-tested patients in one North "
        "American series, and 4.2% of post-surgical patients on a topical antibiotic developed "
        "allergic contact dermatitis in one prospective study. Lanolin alcohol in some wound "
        "ointments (e.g. Aquaphor, often used after laser) has caused post-surgical ACD, though "
        "a manufacturer-funded study found it rare. After resurfacing, ACD causes itching and "
        "redness that can mimic infection and delay healing, so choose the aftercare product "
        "with this in mind.",
    ),
    _rule(
        "IMPLANTED_ELECTRONIC_DEVICE",
        DISCUSS,
        "S41, S42, S43, S44",
        has_any("energy_device_safety", "pacemaker_icd", "other_implant_electronic"),
        "A pacemaker, implanted defibrillator or another implanted electronic device.",
        "Implanted cardiac or other electronic device. CO2 and erbium lasers pass no current "
        "through the patient, but radiofrequency devices (RF microneedling, monopolar RF, "
        "electrosurgery or cautery) can cause electromagnetic interference: skipped beats, "
        "reprogramming, ICD firing. A survey of dermatologic surgeons found such events rare. "
        "Before using RF-based devices, establish the device type, the patient's dependence on "
        "it and where it sits, and involve cardiology or the manufacturer as needed.",
    ),
    _rule(
        "LIGHT_TRIGGERED_SEIZURES",
        DISCUSS,
        "S50, S51, S17",
        has_any("energy_device_safety", "light_seizures"),
        "Seizures set off by flashing or flickering lights.",
        "Seizures set off by flashing light. Photosensitive seizures are most often triggered "
        "at 3–30 flashes per second. IPL and some lasers emit bright visible flashes, and "
        "med-spa IPL screening lists name epilepsy or seizures. Opaque eye protection reduces "
        "exposure. Topical anaesthetic over large areas can cause systemic toxicity. No "
        "resurfacing-specific source was found; the severity is expert opinion.",
    ),
    _rule(
        "ANTIVIRAL_CURRENT",
        INFO,
        "S10",
        answer_is("antiviral_current", "yes"),
        "Taking an antiviral now.",
        "Already on an antiviral. Relevant to the HSV prophylaxis plan.",
    ),
    _rule(
        "FREE_TEXT_NEEDS_REVIEW",
        INFO,
        "F3, F5",
        text_given(*FREE_TEXT_QUESTIONS),
        "A free-text answer (medicines, conditions, allergies, treatment problems, anything "
        'else) says more than "none".',
        "Free text is not parsed by the rules. A human must read it. Do not treat the absence "
        "of a flag as clearance.",
    ),
    # --- 2.6 Systemic conditions and healing capacity ---
    _rule(
        "IMMUNOSUPPRESSED",
        PRIORITY,
        "S5, S7, S8, S22, S18",
        any_of(
            has_other_than("immunosuppressant_meds", "none", "unsure"),
            answer_is("immune_conditions", "yes"),
        ),
        "An immune-lowering medicine, or a condition that weakens the immune system.",
        "Immunosuppression is listed by Mayo, textbooks, the IJDVL recommendations and consent "
        "forms (infection and delayed healing). A 2021 retrospective series (22 "
        "immunocompromised patients, fractional ablative) found no significant increase in "
        "infection.",
    ),
    _rule(
        "IMMUNE_UNSURE",
        DISCUSS,
        "",
        any_of(
            has_any("immunosuppressant_meds", "unsure"), answer_is("immune_conditions", "unsure")
        ),
        "Not sure about immune-lowering medicines or immune conditions.",
        "Immune status uncertain.",
    ),
    _rule(
        "AUTOIMMUNE_CTD",
        PRIORITY,
        "S5, S7, S8",
        has_other_than("autoimmune_conditions", "none"),
        "Any listed autoimmune or connective-tissue disease.",
        "Connective-tissue or autoimmune disease (e.g. scleroderma, lupus) is listed as a risk "
        "for abnormal wound healing. Mayo cautions against resurfacing with autoimmune "
        "disease.",
    ),
    _rule(
        "DIABETES_CONTROLLED",
        INFO,
        "S5, S18",
        answer_is("diabetes", "yes_controlled"),
        "Diabetes, well controlled.",
        "Diabetes (Mayo lists it among reasons for caution). The same 2021 series found no "
        "significant difference in complications.",
    ),
    _rule(
        "DIABETES_UNCONTROLLED",
        PRIORITY,
        "S7, S33",
        answer_is("diabetes", "yes_not_controlled"),
        "Diabetes, not well controlled or not sure.",
        'Poorly controlled diabetes. "Significant" or uncompensated diabetes is listed among '
        "relative contraindications.",
    ),
    _rule(
        "KIDNEY_OR_LIVER_DISEASE",
        DISCUSS,
        "S69, S17",
        has_any("health_conditions", "kidney_liver"),
        "Kidney or liver disease.",
        "Kidney or liver disease reported. Valacyclovir, acyclovir and famciclovir need renal "
        "dose adjustment (the valacyclovir label also warns of acute renal failure and CNS "
        "effects), which matters for HSV prophylaxis. Amide local anaesthetics such as "
        "lidocaine are cleared by the liver, which matters for large-area topical anaesthesia "
        "and nerve blocks. Establish the diagnosis and current function.",
    ),
    _rule(
        "RADIATION_TO_AREA",
        PRIORITY,
        "S5, S7",
        answer_is("radiation_to_area", *_YES_UNSURE),
        "Radiation therapy to a treatment area (yes or unsure).",
        "Prior radiation reduces adnexal structures and re-epithelialisation capacity. Mayo "
        "and texts list facial radiation as a reason for caution.",
    ),
    # Its rule says "(not active)": this flag is about the condition itself, and is raised
    # whether or not it is active, because skin_condition_active does not say WHICH condition
    # flares (it may be the rosacea); an active flare also raises ACTIVE_DERMATOSIS.
    _rule(
        "KOEBNER_CONDITION",
        DISCUSS,
        "S7, S8",
        has_any("skin_conditions", *_KOEBNER_CONDITIONS),
        "Vitiligo, psoriasis or lichen planus (active or not).",
        "Koebnerising (isomorphic) disease: lesions may appear in treated skin. Labile "
        "psoriasis and vitiligo are listed as relative contraindications.",
    ),
    _rule(
        "ATOPIC_DERMATITIS",
        INFO,
        "S72, S7",
        has_any("skin_conditions", "eczema"),
        "Eczema (active or not).",
        "Atopic eczema (a flare raises ACTIVE_DERMATOSIS). Relevant to irritant or contact "
        "dermatitis from aftercare (see ALLERGY_AFTERCARE_PRODUCT) and to HSV planning: eczema "
        "herpeticum needs active eczematous skin.",
    ),
    _rule(
        "ROSACEA",
        INFO,
        "S5",
        has_any("skin_conditions", "rosacea"),
        "Rosacea.",
        "Pre-existing rosacea can add to prolonged post-treatment redness.",
    ),
    _rule(
        "PREGNANT",
        PRIORITY,
        "S9, S22, S32, S33, S5",
        answer_is("pregnancy_status", "pregnant"),
        "Pregnant or might be.",
        "Pregnancy. Sources generally defer elective resurfacing until after delivery (pain, "
        "medication and anaesthetic exposure, hormonal pigment changes). One text notes the "
        "laser itself is not known to be unsafe, but deferral is usual.",
    ),
    _rule(
        "BREASTFEEDING",
        DISCUSS,
        "S8, S33",
        answer_is("pregnancy_status", "breastfeeding"),
        "Breastfeeding.",
        "Lactation is listed as a relative contraindication, and peri-procedural medicines "
        "need review.",
    ),
    _rule(
        "TRYING_TO_CONCEIVE",
        INFO,
        "",
        answer_is("pregnancy_status", "trying"),
        "Trying to become pregnant.",
        "Timing and medication planning.",
    ),
    _rule(
        "PREGNANCY_UNKNOWN",
        INFO,
        "",
        answer_is("pregnancy_status", "prefer_not"),
        "Pregnancy status: prefer not to say.",
        "Status not disclosed. Confirm in person.",
    ),
    _rule(
        "SMOKER",
        DISCUSS,
        "S6, S31",
        answer_is("smoking_status", "current_cigarettes", "current_vape_other"),
        "Smokes or uses nicotine now.",
        "Smoking impairs healing. Mayo advises stopping at least 2 weeks before and after. "
        "Experts report slower healing and more conservative settings, with some asking for "
        "3–4 weeks of cessation.",
    ),
    _rule(
        "RECENT_QUIT_SMOKING",
        INFO,
        "S58, S6, S31",
        all_of(
            answer_is("smoking_status", "former"),
            any_of(
                date_window("quit_date", within="recent_quit_weeks"),
                date_unknown("quit_date"),
            ),
        ),
        "Quit nicotine {policy.recent_quit_weeks} weeks ago or less, or at an unknown date.",
        "Quit nicotine recently (or the date is unknown). Smoking effects on inflammatory and "
        "healing cell function recover within about 4 weeks of stopping, and most studies show "
        "better wound healing when cessation starts at least 4 weeks before surgery. This "
        "matters less than current smoking (SMOKER). Because the date is a month, the 31-day "
        "caution band applies: a quit month whose 15th is up to 31 days beyond the clinic's "
        "{policy.recent_quit_weeks}-week window counts.",
    ),
    # --- 2.7 Expectations and logistics ---
    _rule(
        "EXPECTATIONS",
        DISCUSS,
        "S8",
        any_of(
            answer_is("expected_result", "complete"),
            all_of(
                answer_is("concern_impact", "a_lot"),
                answer_is("expected_result", "complete", "unsure"),
            ),
        ),
        "Wants the problem completely gone, or concerns affect life a lot and expectations "
        "are complete or unsure.",
        "Expectations may exceed what resurfacing can deliver. Unrealistic expectations and "
        "body dysmorphic disorder are listed relative contraindications. This is not a "
        "screening diagnosis. Use a validated tool in person if concerned.",
    ),
    _rule(
        "BODY_IMAGE_CONCERN",
        DISCUSS,
        "S65, S66, S67, S68, S8",
        all_of(
            answer_is("concern_impact", "moderately", "a_lot"),
            any_of(
                answer_is("appearance_time", "1_3h", "over_3h"),
                answer_is("appearance_avoid", "yes"),
            ),
        ),
        "Concerns affect daily life somewhat or a lot, and 1 hour a day or more spent thinking "
        "about them, or they often keep the patient from people or things.",
        "The patient reports marked preoccupation (≥ 1 hour a day) or avoidance because of the "
        "concern. Not a diagnosis, and not the BDDQ-DV: these two items must not be scored as "
        "a screen. About 1 in 8 dermatology patients screened positive for body dysmorphic "
        "disorder in one study, and surgeons recognised few BDDQ-positive patients in another. "
        "Dermatological and surgical treatment rarely improves BDD. Consider the BDDQ-DV "
        "(validated in cosmetic dermatology) in person before planning treatment.",
    ),
    _rule(
        "LAXITY_OR_DEEP_FOLDS",
        INFO,
        "S24",
        has_any("skin_concerns", "loose_skin", "deep_wrinkles_folds"),
        "Loose skin or deep wrinkles among the concerns.",
        "ASPS notes resurfacing may not be the best choice for deep wrinkles or excess/sagging "
        "skin. Surgical options may need discussing.",
    ),
    _rule(
        "DOWNTIME_LIMITED",
        INFO,
        "S5",
        answer_is("recovery_time_available", "1_2_days"),
        "A day or two of recovery time.",
        "Limited downtime may favour non-ablative options. Ablative healing takes longer.",
    ),
    _rule(
        "EVENT_DEADLINE",
        INFO,
        "S5",
        all_of(
            answer_is("upcoming_event", "yes"),
            any_of(
                date_window("upcoming_event_date", within="event_horizon_months", ahead=True),
                with_note(date_unknown("upcoming_event_date"), EVENT_DATE_UNKNOWN_NOTE),
            ),
        ),
        "An event less than {policy.event_horizon_months} months away.",
        "Prolonged erythema after ablative treatment can last weeks to months.",
    ),
    _rule(
        "RECENT_FILLER_TOXIN",
        INFO,
        "S28",
        procedures_picked(
            ("filler", "neurotoxin"),
            any_of(
                prior_treatment_within("filler", "filler_toxin_weeks"),
                prior_treatment_within("neurotoxin", "filler_toxin_weeks"),
                with_note(
                    any_of(
                        prior_treatment_date_unknown("filler"),
                        prior_treatment_date_unknown("neurotoxin"),
                    ),
                    TREATMENT_DATE_UNKNOWN_NOTE,
                ),
            ),
        ),
        "Dermal filler or neurotoxin within {policy.filler_toxin_weeks} weeks (or at an "
        "unknown date).",
        "Sequencing: consensus on same-day HA filler + laser recommends doing the light/laser "
        "first. Same-day neurotoxin + NAFL showed low ptosis risk in one series. Timing is "
        "clinic policy.",
    ),
    _rule(
        "RECENT_LIGHT_TREATMENT",
        INFO,
        "S62",
        procedures_picked(
            _LIGHT_PROCEDURES,
            any_of(
                *(
                    prior_treatment_within(procedure, "recent_light_procedure_weeks")
                    for procedure in _LIGHT_PROCEDURES
                ),
                with_note(
                    any_of(
                        *(
                            prior_treatment_date_unknown(procedure)
                            for procedure in _LIGHT_PROCEDURES
                        )
                    ),
                    TREATMENT_DATE_UNKNOWN_NOTE,
                ),
            ),
        ),
        "Microneedling, light peel, IPL or non-ablative laser within "
        "{policy.recent_light_procedure_weeks} weeks, or at an unknown date.",
        "Recent lighter procedure in the area, so the skin may not have settled. This affects "
        "sequencing and pre-treatment skin checks. Laser clinics commonly ask for 1–2 weeks "
        "after peels, IPL or microdermabrasion, but those pages are about laser hair removal; no "
        "resurfacing-specific source was found, and the 4-week default is expert opinion.",
    ),
    _rule(
        "MINOR",
        PRIORITY,
        "S19",
        age_under("date_of_birth", "adult_age_years"),
        "Younger than {policy.adult_age_years} on the submission date.",
        "Minor. Parent or guardian consent and attendance are needed per clinic and state "
        "rules. Intake templates check age 18+ or guardian presence.",
    ),
    # --- 2.8 The last treatment here (return visits, questionnaire 2027.02) ---
    _rule(
        "POST_TREATMENT_SCARRING",
        PRIORITY,
        "S76, S77, S75, S73",
        course_problem("scar", unsure_too=True),
        "Since the last treatment here: a scar, or skin that got thick, raised or hard (or not "
        "sure).",
        "Scar, or thick, raised or hard skin after the last treatment (or unsure). After "
        "fractional CO2, hypertrophic scars followed non-healing or eroded areas within 2–4 "
        "weeks, mostly on the neck, and followed MRSA infection and lower-lid treatment (with "
        "ectropion); excess energy or density in sensitive sites is a common cause. Examine "
        "before treating the area again; review settings and infection history.",
    ),
    _rule(
        "POST_TREATMENT_HYPOPIGMENTATION",
        PRIORITY,
        "S73, S79, S5, S30",
        course_problem("light_patches", unsure_too=True),
        "Since the last treatment here: light or white patches (or not sure).",
        "Light or white patches after the last treatment (or unsure). It can be delayed and "
        "permanent, above all after fully ablative CO2. Tell apart from relative lightening "
        "beside photodamaged skin and from koebnerising vitiligo (KOEBNER_CONDITION). Treating "
        "the area usually waits until the cause is clear (expert opinion).",
    ),
    _rule(
        "POST_TREATMENT_INFECTION",
        PRIORITY,
        "S52, S53, S54, S77, S79",
        course_problem("infection", unsure_too=True),
        "Since the last treatment here: signs of infection (or not sure).",
        "Possible infection after the last treatment (or unsure): S. aureus incl. MRSA, "
        "Candida, or non-tuberculous mycobacteria (lasting papules or nodules weeks later). A "
        "common path to scarring. Find out what was diagnosed and given, examine, culture "
        "anything persisting, and plan prophylaxis and aftercare before the next session.",
    ),
    _rule(
        "POST_TREATMENT_HSV",
        PRIORITY,
        "S73, S74, S10, S11, S6",
        course_problem("cold_sore", unsure_too=True),
        "Since the last treatment here: a cold sore, or grouped blisters or sores (or not sure).",
        "Cold sore, or grouped blisters or sores, after the last treatment (or unsure). HSV "
        "reactivates without a known history (7.4% of 500 CO2 patients; 1.8% of 961 NAFL "
        "treatments) and may look like erosions. An antiviral plan (drug, dose, start, length) "
        "is needed before the next session; if prophylaxis was given, consider breakthrough, "
        "dose, adherence. A sore now also raises HSV_ACTIVE.",
    ),
    _rule(
        "POST_TREATMENT_DELAYED_HEALING",
        DISCUSS,
        "S77, S76, S75",
        course_problem("slow_healing"),
        "Since the last treatment here: raw, blistered or crusted skin for longer than the "
        "patient was told.",
        "Raw, blistered or crusted skin for longer than the patient was told. In reported "
        "cases, erosions or slow re-epithelialisation came before scars and infection. Review "
        "energy, density and aftercare; look for early scarring. An open area now raises "
        "ACTIVE_INFECTION_OR_WOUND.",
    ),
    _rule(
        "POST_TREATMENT_PIH",
        DISCUSS,
        "S14, S74, S78, S73",
        course_problem("dark_patches"),
        "Since the last treatment here: dark or brown patches.",
        "Dark patches after the last treatment. PIH is the commonest pigment problem, more "
        "frequent in darker phototypes and, after fractional treatment in Asian skin, at higher "
        "density. If still present, many treat it first and widen the interval or lower "
        "density and energy (expert opinion). Melasma can flare (MELASMA).",
    ),
    _rule(
        "PROLONGED_ERYTHEMA",
        DISCUSS,
        "S78, S73, S60, S75",
        course_problem("long_redness"),
        "Since the last treatment here: redness or swelling for longer than the patient was told.",
        "Redness or swelling for longer than the patient was told: the commonest adverse event "
        "in 856 NAFL treatments; after fully ablative CO2 it averages 4.5 months, so compare "
        "with what was said. Causes: settings, contact dermatitis, rosacea, infection, early "
        "scarring (a firm red area). Treating inflamed skin adds PIH risk (expert opinion).",
    ),
    _rule(
        "POST_TREATMENT_CONTACT_REACTION",
        DISCUSS,
        "S73, S56, S57",
        course_problem("rash_itch"),
        "Since the last treatment here: an itchy rash, or a reaction to a cream or medicine.",
        "Itchy rash, or a reaction to an aftercare product or medicine (dermatitis, acne and "
        "milia 10–15% after CO2; neomycin, bacitracin, lanolin; or a drug rash from the "
        "antiviral or antibiotic). Can mimic infection. Identify the product, update allergies, "
        "change aftercare.",
    ),
    _rule(
        "POST_TREATMENT_ACNE_MILIA",
        INFO,
        "S74, S79, S73",
        course_problem("bumps_acne"),
        "Since the last treatment here: tiny white bumps or acne.",
        "Milia or acne flare: the commonest complication of 961 NAFL treatments, and at 2–4 "
        "weeks after CO2, often from occlusive aftercare. Consider lighter aftercare, or "
        "prophylaxis if acne-prone.",
    ),
    _rule(
        "RESULT_SEEN_AS_WORSE",
        DISCUSS,
        "S67, S65",
        answer_is("last_session_result_view", "worse"),
        "New consultation after treatment here: the patient thinks their skin looks worse.",
        "The patient thinks their skin looks worse after treatment here. Look for a change they "
        "could not name (texture, lines, pigment). If it looks improved, consider body-image "
        "concern (BODY_IMAGE_CONCERN); treatment rarely helps BDD.",
        note="Sources S67, S65 and expert opinion.",
    ),
    _rule(
        "UNSURE_SAFETY_ANSWERS",
        INFO,
        "",
        any_of(
            unsure_answers(
                (*UNSURE_SAFETY_ITEMS, *UNSURE_SAFETY_ITEMS_V3, *UNSURE_SAFETY_ITEMS_RETURN_VISIT)
            ),
            unsure_with_nothing_added("since_last_treatments", "prior_procedures"),
        ),
        'At least one safety question (sections 2.1–2.6) answered "not sure", "I don\'t '
        'remember" or "prefer not to say", or left unanswered; on a return visit, a course '
        'problem with no flag of its own or "still there now" not sure, or other treatments '
        'since the last form "not sure" with none added.',
        'Lists all "unsure" answers together so they can be resolved in one conversation.',
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in CATALOGUE}
if len(RULES_BY_CODE) != len(CATALOGUE):  # pragma: no cover - a typo in the table above
    raise ImportError("Duplicate flag code in the catalogue")

# The flags about the course of the last treatment here (return visits, section 2.8): the rules
# that read nothing but the course's questions, in catalogue order. The provider's view lists
# them per earlier session; the flag-rate bench counts them.
COURSE_FLAG_CODES: tuple[str, ...] = tuple(
    rule.code
    for rule in CATALOGUE
    if rule.condition.reads and {read.question_id for read in rule.condition.reads} <= COURSE_IDS
)

# Evaluation order: most severe first, catalogue order within a severity (a stable sort), so that
# results come out sorted without sorting them on every call.
_SUBMISSION_RULES = tuple(
    sorted(
        (rule for rule in CATALOGUE if not rule.needs_modality),
        key=lambda rule: -rule.severity.rank,
    )
)
_MODALITY_RULES = tuple(
    sorted(
        (rule for rule in CATALOGUE if rule.needs_modality), key=lambda rule: -rule.severity.rank
    )
)
