"""Questionnaire version 2027.01 (v3): gateways, and a healthy patient's path under 9 minutes.

Changes from v2 (`v2026_12`):
- Gateways: "Do any of these apply?" lists (`multi`) whose items are the old yes/no questions,
  with an active "None of these" (exclusive) and "I'm not sure about one of these" (`not_sure`,
  not exclusive: it is not the word `unsure`), which opens `<gateway>_unsure` listing the same
  items. The items behind priority flags come first. A gateway reads: ticked = yes, in the
  unsure list (and not ticked) = unsure, otherwise no (`flags/derivation.py` reads them for the
  rules; the stored answers are the gateways).
- The five highest-stakes questions stay forced-choice questions of their own:
  `isotretinoin_ever`, `pregnancy_status`, `cold_sores_history`, `sun_reactions` and
  `prior_treatment_problems`. Checklists draw fewer "yes" answers than yes/no questions, so the
  gateway items are watched (`manage.py gateway_endorsement`).
- Sunburn and cancer treatment are asked once; the "Anything else" step is folded into Health
  history (the declaration is still asked on the review page).
- 24 ids retired as of this version (`versions.RETIRED_IDS`), 15 new, shorter wording.

Kept questions keep their ids, kinds, keys and meaning; some become follow-ups of a gateway
item. Once patients have answered it, this module is frozen like v1 and v2.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from screening.questionnaire import v2026_12 as v2
from screening.questionnaire.model import (
    Definition,
    Kind,
    Section,
    answer_is,
    choices,
    picked,
    prior_procedure_last_questions,
    question,
    section,
)

VERSION = "2027.01"

# "I'm not sure about one of these": not exclusive (EXCLUSIVE_KEYS holds `unsure`, not this).
NOT_SURE = "not_sure"
NONE = "none"
UNSURE_LIST_LABEL = _("Which ones are you not sure about? Choose all that apply.")
NOT_SURE_CHOICE = (NOT_SURE, _("I'm not sure about one of these"))
NONE_CHOICE = (NONE, _("None of these"))


def _v2(question_id: str, **changes):
    """A v2 question kept: same id, kind and keys (and meaning), with `changes` (wording,
    show_if) applied."""
    return replace(v2.DEFINITION.questions[question_id], **changes)


def unsure_id(gateway_id: str) -> str:
    """The id of a gateway's "Which ones are you not sure about?" follow-up."""
    return f"{gateway_id}_unsure"


def _gateway(
    question_id: str, label, items, *, short_label, required_message, unsure_label, help_text=""
):
    """A gateway and its "not sure" list: the items, "I'm not sure about one of these" and
    "None of these"; the list repeats the items and is asked when "not sure" is ticked."""
    gateway = question(
        question_id,
        Kind.MULTI,
        label,
        choices=choices(*items, NOT_SURE_CHOICE, NONE_CHOICE),
        help_text=help_text,
        short_label=short_label,
        required_message=required_message,
    )
    not_sure = question(
        unsure_id(question_id),
        Kind.MULTI,
        UNSURE_LIST_LABEL,
        choices=choices(*items),
        show_if=picked(question_id, NOT_SURE),
        short_label=unsure_label,
        required_message=_("Choose the ones you're not sure about."),
    )
    return gateway, not_sure


# --- Gateway items, priority items first ----------------------------------------------------

SKIN_NOW_ITEMS = (
    ("open_wound", _("An open wound, cut or sore")),
    ("infection", _("A skin infection, such as impetigo or boils")),
    ("acne_breakout", _("An acne breakout")),
    ("rash_flare", _("A rash, or an eczema or psoriasis flare")),
    ("sunburn", _("A sunburn")),
    ("tan_now", _("A tan from sun or a tanning bed")),
    ("cold_sore", _("A cold sore on your lips or face, or the tingling before one")),
    ("changing_spot", _("A mole or spot that is new, changing, bleeding or worrying you")),
)
MEDICINE_ITEMS = (
    (
        "immune_medicine",
        _("A medicine that weakens the immune system, such as prednisone, methotrexate or Humira"),
    ),
    (
        "blood_thinner",
        _("A blood thinner, such as warfarin, Eliquis, Xarelto, Plavix or daily aspirin"),
    ),
    (
        "sun_sensitising",
        _("A medicine that makes skin sensitive to sun, such as doxycycline or water pills"),
    ),
    ("gold", _("Gold shots or pills, ever (usually for arthritis)")),
    ("antiviral", _("An antiviral, such as Valtrex, acyclovir or famciclovir")),
    ("supplements", _("Fish oil, vitamin E, ginkgo, garlic or turmeric pills")),
    (
        "topical_retinoid_acid",
        _(
            "Retin-A, retinol, Differin, tazarotene, or glycolic or salicylic acid on the "
            "areas you want treated"
        ),
    ),
)
ALLERGY_ITEMS = (
    ("numbing", _("A numbing medicine, such as lidocaine, numbing cream or a dental shot")),
    ("antiviral", _("An antiviral: acyclovir, valacyclovir or famciclovir")),
    ("antibiotic", _("An antibiotic")),
    ("wound_ointment", _("A wound ointment, such as Neosporin, bacitracin or Aquaphor")),
    ("other", _("Anything else, such as another medicine, latex or tape")),
)
SKIN_HISTORY_ITEMS = (
    ("keloid", _("A keloid, or a scar that grew thick and raised past the wound")),
    (
        "skin_cancer",
        _(
            "Skin cancer, such as basal cell, squamous cell or melanoma, in an area you want "
            "treated"
        ),
    ),
    ("radiation", _("Radiation treatment to an area you want treated")),
    (
        "skin_condition",
        _(
            "A skin condition: vitiligo, psoriasis, eczema, lichen planus, rosacea, or melasma "
            "(brown patches on the cheeks)"
        ),
    ),
    ("slow_healing", _("Cuts or scrapes that usually take much longer than normal to heal")),
    ("recurrent_infection", _("MRSA, or boils or skin infections that keep coming back")),
    ("shingles", _("Shingles on your face or an area you want treated")),
    ("dark_marks", _("Dark marks that often last months after pimples, cuts or bug bites")),
    ("light_patches", _("Light or white patches after a skin treatment")),
)
HEALTH_ITEMS = (
    (
        "bleeding_dx",
        _("A bleeding or clotting disorder, such as hemophilia or low platelets"),
    ),
    (
        "weak_immune",
        _(
            "A weak immune system, for example from HIV, an organ transplant, or cancer "
            "treatment in the last 12 months"
        ),
    ),
    (
        "autoimmune",
        _("An autoimmune disease, such as lupus, scleroderma or rheumatoid arthritis"),
    ),
    ("diabetes", _("Diabetes or prediabetes")),
    (
        "heart_lung",
        _(
            "A heart or lung condition, an irregular heartbeat, or high blood pressure that "
            "isn't controlled"
        ),
    ),
    ("kidney_liver", _("Kidney or liver disease")),
    (
        "implant_or_seizures",
        _(
            "A pacemaker or other implant, metal under the skin of an area you want treated, "
            "or seizures from flashing lights"
        ),
    ),
    ("easy_bruising", _("You bruise or bleed very easily")),
)

# The gateways, by id: (items, the step they are asked on). Read by the derivation, the
# endorsement monitor and the FHIR mapping.
GATEWAYS: dict[str, tuple[tuple[str, object], ...]] = {
    "current_skin_problems_area": SKIN_NOW_ITEMS,
    "medicines_any": MEDICINE_ITEMS,
    "allergies_list": ALLERGY_ITEMS,
    "skin_history": SKIN_HISTORY_ITEMS,
    "health_conditions": HEALTH_ITEMS,
}


SKIN_NOW, SKIN_NOW_UNSURE = _gateway(
    "current_skin_problems_area",
    _("Do you have any of these right now on the areas you want treated? Choose all that apply."),
    SKIN_NOW_ITEMS,
    short_label=_("Skin problems now"),
    unsure_label=_("Not sure about: skin now"),
    required_message=_("Choose the ones you have there right now, or “None of these”."),
)
MEDICINES, MEDICINES_UNSURE = _gateway(
    "medicines_any",
    _("Do you take or use any of these? Choose all that apply."),
    MEDICINE_ITEMS,
    short_label=_("Medicines"),
    unsure_label=_("Not sure about: medicines"),
    required_message=_("Choose the ones you take or use, or “None of these”."),
)
ALLERGIES, ALLERGIES_UNSURE = _gateway(
    "allergies_list",
    _("Have you had an allergy or bad reaction to any of these? Choose all that apply."),
    ALLERGY_ITEMS,
    short_label=_("Allergies"),
    unsure_label=_("Not sure about: allergies"),
    required_message=_("Choose the ones that apply, or “None of these”."),
)
SKIN_HISTORY, SKIN_HISTORY_UNSURE = _gateway(
    "skin_history",
    _("Have you ever had any of these? Choose all that apply."),
    SKIN_HISTORY_ITEMS,
    short_label=_("Skin and healing"),
    unsure_label=_("Not sure about: skin and healing"),
    required_message=_("Choose the ones you've had, or “None of these”."),
)
HEALTH, HEALTH_UNSURE = _gateway(
    "health_conditions",
    _("Do you have any of these? Choose all that apply."),
    HEALTH_ITEMS,
    help_text=_(
        "We ask because some health conditions affect how skin heals after laser treatment."
    ),
    short_label=_("Health conditions"),
    unsure_label=_("Not sure about: health conditions"),
    required_message=_("Choose the ones you have, or “None of these”."),
)


# --- Wording shared with v2's choice lists, in the plainer v3 words --------------------------

SKIN_CONCERN_CHOICES = tuple(
    replace(choice, label=relabelled)
    if (
        relabelled := {
            "uneven_tone": _("Uneven tone or blotches"),
            "texture": _("Rough texture"),
            "enlarged_pores": _("Large pores"),
        }.get(choice.key)
    )
    else choice
    for choice in v2.SKIN_CONCERN_CHOICES
)

_PROCEDURE_LABELS = {
    "ablative_laser": _("Full CO2 or erbium laser resurfacing (“laser peel”), not fractional"),
    "nonablative_laser": _(
        "Non-ablative laser (leaves the top layer of skin in place), such as Fraxel Restore, "
        "Clear + Brilliant, 1550 or 1927 nm"
    ),
    "ipl": _("IPL, BBL or photofacial"),
    "microneedling": _("Microneedling, with or without RF"),
    "filler": _("Filler"),
    "neurotoxin": _("Botox or similar"),
    "facial_surgery": _("Facelift or other face surgery"),
    "fractional_ablative_laser": _(
        "Fractional CO2 or erbium, such as Fraxel Repair, Active FX or Halo"
    ),
    "laser_unsure": _("A laser, but I'm not sure which kind"),
    "thread_lift": _("Thread lift"),
    "tattoo_pmu": _("Tattoo, microblading or permanent makeup (brows, eyeliner, lips)"),
}
PRIOR_PROCEDURE_CHOICES = (
    *(
        replace(choice, label=_PROCEDURE_LABELS.get(choice.key, choice.label))
        for choice in v2.PRIOR_PROCEDURE_CHOICES
        if choice.key != NONE
    ),
    *choices(
        ("precancer_treatment", _("Cream or light (PDT) treatment for precancers, such as Efudex")),
        NONE_CHOICE,
    ),
)
PRIOR_PROCEDURE_LAST_LABELS = {
    **v2.PRIOR_PROCEDURE_LAST_LABELS,
    "precancer_treatment": _(
        "About when was your last cream or light treatment for precancers there?"
    ),
}
PRIOR_PROCEDURE_LAST_WRITTEN = {
    **v2.PRIOR_PROCEDURE_LAST_WRITTEN,
    "precancer_treatment": (
        _("Last precancer treatment"),
        _(
            "Choose the month and enter the year of your last precancer treatment, or tick "
            "“I don't remember”."
        ),
    ),
}


def _prior_procedure_dates():
    dates = prior_procedure_last_questions(
        PRIOR_PROCEDURE_CHOICES,
        PRIOR_PROCEDURE_LAST_LABELS,
        written_errors=PRIOR_PROCEDURE_LAST_WRITTEN,
    )
    after = next(i for i, item in enumerate(dates) if item.id == "prior_filler_last") + 1
    return [*dates[:after], v2.FILLER_TYPE, *dates[after:]]


def _relabel(question_id: str, labels: dict):
    """A kept question whose choices keep their keys (and order) with plainer labels."""
    kept = v2.DEFINITION.questions[question_id]
    return tuple(
        replace(choice, label=labels.get(choice.key, choice.label)) for choice in kept.choices
    )


_SKIN_CONDITIONS_THAT_FLARE = ("vitiligo", "psoriasis", "eczema", "lichen_planus", "rosacea")

SECTIONS: tuple[Section, ...] = (
    section(
        "about_you",
        "about-you",
        _("About you"),
        [
            _v2("first_name"),
            _v2("last_name"),
            _v2("preferred_name", label=_("Name you'd like us to use")),
            _v2("date_of_birth"),
            _v2("email"),
            _v2("phone"),
            _v2(
                "preferred_contact_method",
                label=_("How should we contact you about your visit?"),
            ),
            _v2("unencrypted_contact_consent"),
            _v2(
                "ok_voicemail",
                label=_(
                    "If we can't reach you, may we leave a voicemail that says our clinic's name?"
                ),
            ),
            _v2("best_contact_time", label=_("Best time to reach you?")),
        ],
    ),
    section(
        "concerns",
        "concerns",
        _("Skin concerns and goals"),
        [
            _v2(
                "skin_concerns",
                label=_("What would you like to improve? Choose all that apply."),
                choices=SKIN_CONCERN_CHOICES,
            ),
            _v2("skin_concerns_other", label=_("Describe the other concern.")),
            _v2(
                "main_concern",
                choices=SKIN_CONCERN_CHOICES,
                help_text=_("Choose one you picked above."),
            ),
            _v2(
                "treatment_areas",
                label=_("Where are these concerns? Choose all that apply."),
                choices=_relabel(
                    "treatment_areas", {"chest": _("Chest"), "hands": _("Backs of hands")}
                ),
            ),
            _v2("treatment_areas_other"),
            _v2(
                "area_near_eyes",
                label=_("Do you want the skin around your eyes or on your eyelids treated?"),
            ),
            _v2(
                "goals_text",
                label=_("What would you like to change, and what would a good result look like?"),
            ),
            _v2(
                "expected_result",
                choices=_relabel(
                    "expected_result",
                    {
                        "subtle": _("Subtle and natural"),
                        "noticeable": _("Clearly noticeable"),
                        "complete": _("Completely gone"),
                        "unsure": _("Not sure what's realistic"),
                    },
                ),
            ),
            _v2(
                "concern_impact",
                label=_("How much do these concerns affect your daily life?"),
                choices=_relabel("concern_impact", {"moderately": _("Somewhat")}),
            ),
            question(
                "appearance_time",
                Kind.SINGLE,
                _(
                    "On a typical day, about how much time do you spend thinking about these "
                    "concerns?"
                ),
                choices=choices(
                    ("under_1h", _("Less than 1 hour")),
                    ("1_3h", _("1 to 3 hours")),
                    ("over_3h", _("More than 3 hours")),
                    ("unsure", _("Not sure")),
                ),
                help_text=_("We ask because it helps your provider plan your care with you."),
                show_if=answer_is("concern_impact", "moderately", "a_lot"),
                short_label=_("Time spent thinking about it"),
                required_message=_("Choose about how much time you spend."),
            ),
            question(
                "appearance_avoid",
                Kind.YES_NO_UNSURE,
                _(
                    "Do these concerns often keep you from seeing people or doing things you "
                    "want to do?"
                ),
                show_if=answer_is("concern_impact", "moderately", "a_lot"),
                short_label=_("Avoiding people or things"),
                required_message=_("Choose Yes, No or Not sure."),
            ),
            _v2(
                "recovery_time_available",
                label=_("How much time could you take to heal, such as time off work or plans?"),
                choices=_relabel("recovery_time_available", {"2_weeks_plus": _("2 weeks or more")}),
            ),
            _v2(
                "upcoming_event",
                label=_("Is there a date you want results by, like a wedding or trip?"),
            ),
            _v2("upcoming_event_date"),
        ],
    ),
    section(
        "skin_sun",
        "skin-and-sun",
        _("Skin type and sun"),
        [
            _v2(
                "skin_type_self",
                label=_(
                    "Which fits your skin before any tan? Your provider will check this in person."
                ),
                choices=_relabel(
                    "skin_type_self",
                    {
                        "I": _("Very fair: always burns, never tans"),
                        "II": _("Fair: burns easily, tans a little"),
                        "III": _("Medium: sometimes burns, tans slowly"),
                        "IV": _("Olive or light brown: rarely burns, tans easily"),
                        "V": _("Brown: very rarely burns, tans very easily"),
                        "VI": _("Dark brown or black: almost never burns"),
                    },
                ),
            ),
            SKIN_NOW,
            SKIN_NOW_UNSURE,
            _v2(
                "last_significant_sun",
                label=_("When did you last get a tan or sunburn, or use a tanning bed?"),
                choices=_relabel(
                    "last_significant_sun",
                    {
                        "within_4_weeks": _("In the last 4 weeks"),
                        "1_2_months": _("1 to 2 months ago"),
                        "over_2_months": _("Over 2 months ago"),
                        "never_unsure": _("Never, or I don't remember"),
                    },
                ),
            ),
            question(
                "recent_skin_prep",
                Kind.MULTI,
                _("In the last 2 weeks, have you used any of these on the areas you want treated?"),
                choices=choices(
                    ("self_tanner", _("Self-tanner, bronzer or spray tan")),
                    (
                        "hair_removal",
                        _("Waxing, threading, hair-removal cream or electrolysis"),
                    ),
                    NONE_CHOICE,
                ),
                short_label=_("Self-tanner or hair removal"),
                required_message=_("Choose the ones you used, or “None of these”."),
            ),
            _v2(
                "sun_planned_after",
                label=_(
                    "In the next 2 months, will you spend a lot of time in the sun, such as on a "
                    "beach trip or outdoor work?"
                ),
            ),
            _v2(
                "sun_reactions",
                label=_("Does the sun ever give you a rash, blisters or another odd reaction?"),
            ),
            _v2("photosensitivity_dx"),
        ],
    ),
    section(
        "past_treatments",
        "past-treatments",
        _("Past treatments"),
        [
            _v2(
                "prior_procedures",
                label=_(
                    "Have you had any of these on the areas you want treated? Choose all that "
                    "apply."
                ),
                choices=PRIOR_PROCEDURE_CHOICES,
                help_text=_("Not sure which laser? Choose “A laser, but I'm not sure which kind”."),
            ),
            *_prior_procedure_dates(),
            _v2("eyelid_surgery_lower"),
            _v2(
                "prior_treatment_problems",
                label=_(
                    "After any skin treatment, have you had scarring, dark or light patches, "
                    "infection or very slow healing?"
                ),
            ),
            _v2("prior_treatment_problems_text"),
        ],
    ),
    section(
        "medicines",
        "medicines",
        _("Medicines, supplements and allergies"),
        [
            _v2("isotretinoin_ever"),
            _v2("oral_retinoid_type"),
            _v2("isotretinoin_current"),
            _v2("isotretinoin_last_dose"),
            MEDICINES,
            _v2(
                "immunosuppressant_meds",
                label=_("Which of these do you take? Choose all that apply."),
                help_text="",
                show_if=picked("medicines_any", "immune_medicine"),
            ),
            _v2(
                "blood_thinners",
                label=_("Which blood thinners do you take? Choose all that apply."),
                show_if=picked("medicines_any", "blood_thinner"),
            ),
            _v2(
                "photosensitising_meds",
                label=_("Which of these do you take? Choose all that apply."),
                show_if=picked("medicines_any", "sun_sensitising"),
            ),
            MEDICINES_UNSURE,
            _v2(
                "current_medications_text",
                label=_(
                    "List all medicines you take, with or without a prescription. Include "
                    "creams, vitamins and supplements."
                ),
                help_text=_("If none, write “None”."),
            ),
            ALLERGIES,
            question(
                "numbing_reaction",
                Kind.SINGLE,
                _("What happened with the numbing medicine?"),
                choices=choices(
                    ("allergic", _("Rash, hives, swelling or trouble breathing")),
                    ("heart_faint", _("Racing heart, shakiness or fainting")),
                    ("other", _("Something else")),
                    ("unsure", _("Not sure")),
                ),
                show_if=picked("allergies_list", "numbing"),
                short_label=_("Reaction to numbing medicine"),
                required_message=_("Choose what happened, or “Not sure”."),
            ),
            _v2("allergy_antibiotic_text", show_if=picked("allergies_list", "antibiotic")),
            _v2(
                "allergy_other_text",
                label=_("What else are you allergic to, and what happened?"),
                show_if=picked("allergies_list", "other"),
                required=True,
                required_message=_("Tell us what else you're allergic to, and what happened."),
            ),
            ALLERGIES_UNSURE,
        ],
        intro=v2.DEFINITION.sections_by_key["medicines"].intro,
    ),
    section(
        "health",
        "health",
        _("Health history"),
        [
            _v2(
                "cold_sores_history",
                label=_(
                    "Have you ever had cold sores, fever blisters or other herpes sores on your "
                    "face or lips?"
                ),
                choices=_relabel(
                    "cold_sores_history",
                    {"rarely": _("Once a year or less"), "often": _("More than once a year")},
                ),
            ),
            SKIN_HISTORY,
            _v2(
                "skin_conditions",
                label=_("Which skin conditions? Choose all that apply."),
                show_if=picked("skin_history", "skin_condition"),
            ),
            _v2("skin_condition_active"),
            question(
                "vitiligo_active_12m",
                Kind.YES_NO_UNSURE,
                _("Have you had new or growing white patches in the last 12 months?"),
                show_if=picked("skin_conditions", "vitiligo"),
                short_label=_("Vitiligo in the last year"),
                required_message=_("Choose Yes, No or Not sure."),
            ),
            SKIN_HISTORY_UNSURE,
            HEALTH,
            _v2(
                "autoimmune_conditions",
                label=_("Which ones? Choose all that apply."),
                show_if=picked("health_conditions", "autoimmune"),
            ),
            _v2(
                "diabetes",
                label=_("Which fits you?"),
                choices=_relabel("diabetes", {"no": _("I don't have diabetes")}),
                show_if=picked("health_conditions", "diabetes"),
            ),
            _v2(
                "energy_device_safety",
                label=_("Which of these apply? Choose all that apply."),
                show_if=picked("health_conditions", "implant_or_seizures"),
            ),
            HEALTH_UNSURE,
            _v2(
                "pregnancy_status",
                label=_("Are any of these true for you now?"),
                choices=_relabel(
                    "pregnancy_status",
                    {
                        "pregnant": _("Pregnant, or might be"),
                        "breastfeeding": _("Breastfeeding"),
                        "trying": _("Trying to get pregnant"),
                        "not_applicable": _("Does not apply to me"),
                    },
                ),
            ),
            _v2(
                "smoking_status",
                choices=_relabel(
                    "smoking_status",
                    {
                        "former": _("I used to, but quit"),
                        "current_cigarettes": _("Yes: cigarettes or cigars"),
                        "current_vape_other": _("Yes: vape, pouches, gum or patches"),
                    },
                ),
            ),
            _v2("quit_date"),
            _v2(
                "other_conditions_text",
                label=_("Any other health problems, surgeries or hospital stays?"),
            ),
            _v2(
                "anything_else_text",
                label=_("Anything else you'd like your provider to know?"),
            ),
            _v2(
                "questions_for_provider_text",
                label=_("Questions you'd like answered at your visit?"),
            ),
            _v2("attest_accurate"),
            _v2("privacy_notice_ack"),
        ],
    ),
)

DEFINITION = Definition(VERSION, SECTIONS)
