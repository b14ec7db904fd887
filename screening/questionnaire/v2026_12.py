"""Questionnaire version 2026.12 (v2): v1 with the clinical gaps of its review closed.

Changes from v1 (`v2026_11`): 11 new question ids (hair_removal_recent, photosensitivity_dx, the
prior_<procedure>_last questions of four new procedures, filler_type, oral_retinoid_type,
allergy_aftercare, recurrent_skin_infection, energy_device_safety), new prior_procedures keys,
`quit_date` accepts "I don't remember", and the wording fixes. No id or key is retired. Once
patients have answered it, this module is frozen like v1: changes go into a new version.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from screening.questionnaire.model import (
    Definition,
    Kind,
    PickedMoreThanOne,
    Section,
    Timing,
    answer_is,
    choices,
    picked,
    prior_procedure_last_questions,
    question,
    section,
)

VERSION = "2026.12"

SKIN_CONCERN_CHOICES = choices(
    ("fine_lines", _("Fine lines")),
    ("wrinkles", _("Wrinkles")),
    ("deep_wrinkles_folds", _("Deep wrinkles or folds")),
    ("acne_scars", _("Acne scars")),
    ("surgical_injury_scars", _("Scars from surgery or injury")),
    ("sun_damage", _("Sun damage")),
    ("age_spots", _("Age spots or sun spots")),
    ("uneven_tone", _("Uneven skin tone or blotchiness")),
    ("texture", _("Rough or uneven texture")),
    ("enlarged_pores", _("Enlarged pores")),
    ("loose_skin", _("Loose or sagging skin")),
    ("other", _("Something else")),
)

# Procedures of Section D; each one picked asks `prior_<key>_last`.
PRIOR_PROCEDURE_CHOICES = choices(
    ("ablative_laser", _("Full (not fractional) CO2 or erbium laser resurfacing (“laser peel”)")),
    (
        "nonablative_laser",
        _(
            "Non-ablative laser that leaves the top layer of skin in place, such as Fraxel "
            "Restore or Fraxel Dual, Clear + Brilliant, or a 1550 or 1927 nm laser"
        ),
    ),
    ("ipl", _("IPL / photofacial")),
    ("chemical_peel_light", _("Light chemical peel")),
    ("chemical_peel_medium_deep", _("Medium or deep chemical peel")),
    ("dermabrasion", _("Dermabrasion (not microdermabrasion)")),
    ("microneedling", _("Microneedling or RF microneedling")),
    ("filler", _("Dermal filler")),
    ("neurotoxin", _("Botox, Dysport, Xeomin or similar")),
    ("facial_surgery", _("Facelift or other facial surgery")),
    ("eyelid_surgery", _("Eyelid surgery")),
    (
        "fractional_ablative_laser",
        _(
            "Fractional CO2 or fractional erbium laser, such as Fraxel Repair, Active FX, "
            "Deep FX or Halo"
        ),
    ),
    ("laser_unsure", _("A laser treatment, but I'm not sure which kind")),
    ("thread_lift", _("Thread lift (threads placed under the skin)")),
    (
        "tattoo_pmu",
        _("Tattoo, microblading or permanent makeup (such as brows, eyeliner or lip liner)"),
    ),
    ("none", _("None of these")),
)

# The generated "most recent treatment" wording reads badly for a tattoo.
PRIOR_PROCEDURE_LAST_LABELS = {
    "tattoo_pmu": _(
        "About when did you get your most recent tattoo or permanent makeup in that area?"
    ),
}


# Each date question's name in the error summary and its message when left empty, by procedure.
PRIOR_PROCEDURE_LAST_WRITTEN = {
    "ablative_laser": (
        _("Last full laser resurfacing"),
        _(
            "Choose the month and enter the year of your last full CO2 or erbium laser resurfacing, or tick “I don't remember”."
        ),
    ),
    "nonablative_laser": (
        _("Last non-ablative laser"),
        _(
            "Choose the month and enter the year of your last non-ablative laser treatment, or tick “I don't remember”."
        ),
    ),
    "ipl": (
        _("Last IPL"),
        _(
            "Choose the month and enter the year of your last IPL or photofacial, or tick “I don't remember”."
        ),
    ),
    "chemical_peel_light": (
        _("Last light peel"),
        _(
            "Choose the month and enter the year of your last light chemical peel, or tick “I don't remember”."
        ),
    ),
    "chemical_peel_medium_deep": (
        _("Last medium or deep peel"),
        _(
            "Choose the month and enter the year of your last medium or deep chemical peel, or tick “I don't remember”."
        ),
    ),
    "dermabrasion": (
        _("Last dermabrasion"),
        _(
            "Choose the month and enter the year of your last dermabrasion, or tick “I don't remember”."
        ),
    ),
    "microneedling": (
        _("Last microneedling"),
        _(
            "Choose the month and enter the year of your last microneedling, or tick “I don't remember”."
        ),
    ),
    "filler": (
        _("Last filler"),
        _(
            "Choose the month and enter the year of your last dermal filler, or tick “I don't remember”."
        ),
    ),
    "neurotoxin": (
        _("Last Botox or similar"),
        _(
            "Choose the month and enter the year of your last Botox or similar treatment, or tick “I don't remember”."
        ),
    ),
    "facial_surgery": (
        _("Last facial surgery"),
        _(
            "Choose the month and enter the year of your last facial surgery, or tick “I don't remember”."
        ),
    ),
    "eyelid_surgery": (
        _("Last eyelid surgery"),
        _(
            "Choose the month and enter the year of your last eyelid surgery, or tick “I don't remember”."
        ),
    ),
    "fractional_ablative_laser": (
        _("Last fractional CO2 or erbium laser"),
        _(
            "Choose the month and enter the year of your last fractional CO2 or erbium laser treatment, or tick “I don't remember”."
        ),
    ),
    "laser_unsure": (
        _("Last laser, kind not known"),
        _(
            "Choose the month and enter the year of your last laser treatment, or tick “I don't remember”."
        ),
    ),
    "thread_lift": (
        _("Last thread lift"),
        _(
            "Choose the month and enter the year of your last thread lift, or tick “I don't remember”."
        ),
    ),
    "tattoo_pmu": (
        _("Last tattoo or permanent makeup"),
        _(
            "Choose the month and enter the year you got your last tattoo or permanent makeup there, or tick “I don't remember”."
        ),
    ),
}


def _prior_procedure_dates():
    """The generated date questions, with `filler_type` placed after `prior_filler_last`."""
    dates = prior_procedure_last_questions(
        PRIOR_PROCEDURE_CHOICES,
        PRIOR_PROCEDURE_LAST_LABELS,
        written_errors=PRIOR_PROCEDURE_LAST_WRITTEN,
    )
    after = next(i for i, item in enumerate(dates) if item.id == "prior_filler_last") + 1
    return [*dates[:after], FILLER_TYPE, *dates[after:]]


FILLER_TYPE = question(
    "filler_type",
    Kind.MULTI,
    _("What kind of filler did you have? Choose all that apply."),
    choices=choices(
        (
            "hyaluronic",
            _("A filler that can be dissolved, such as Juvéderm, Restylane, RHA or Belotero"),
        ),
        (
            "long_lasting",
            _(
                "A long-lasting or permanent filler, such as Sculptra, Radiesse, Bellafill or "
                "silicone"
            ),
        ),
        ("unsure", _("Not sure")),
    ),
    show_if=picked("prior_procedures", "filler"),
    short_label=_("Kind of filler"),
    required_message=_("Choose the kind of filler you had, or “Not sure”."),
)


_SKIN_CONDITIONS_THAT_FLARE = ("vitiligo", "psoriasis", "eczema", "lichen_planus", "rosacea")

SECTIONS: tuple[Section, ...] = (
    section(
        "about_you",
        "about-you",
        _("About you"),
        [
            question(
                "first_name",
                Kind.TEXT,
                _("First name"),
                max_length=100,
                required_message=_("Enter your first name."),
                short_label=_("First name"),
            ),
            question(
                "last_name",
                Kind.TEXT,
                _("Last name"),
                max_length=100,
                required_message=_("Enter your last name."),
                short_label=_("Last name"),
            ),
            question(
                "preferred_name",
                Kind.TEXT,
                _("What would you like us to call you?"),
                required=False,
                max_length=100,
                short_label=_("Preferred name"),
            ),
            question(
                "date_of_birth",
                Kind.DATE,
                _("Date of birth"),
                timing=Timing.PAST,
                short_label=_("Date of birth"),
                required_message=_("Enter your date of birth, for example 27 3 1984."),
            ),
            question(
                "email",
                Kind.EMAIL,
                _("Email address"),
                required_message=_("Enter your email address, like name@example.com."),
                short_label=_("Email address"),
            ),
            question(
                "phone",
                Kind.PHONE,
                _("Mobile or main phone number"),
                help_text=_("Include the area code."),
                required_message=_("Enter your phone number, with the area code."),
                short_label=_("Phone number"),
            ),
            question(
                "preferred_contact_method",
                Kind.SINGLE,
                _("How would you like us to contact you about your consultation?"),
                short_label=_("How to contact you"),
                required_message=_("Choose how you'd like us to contact you."),
                choices=choices(
                    ("email", _("Email")),
                    ("phone_call", _("Phone call")),
                    ("text_message", _("Text message")),
                ),
            ),
            question(
                "unencrypted_contact_consent",
                Kind.YES_NO,
                _(
                    "Regular email and text messages are convenient but not fully secure, so someone "
                    "else could read them. Is it OK for us to use email or text to arrange your "
                    "appointment?"
                ),
                show_if=answer_is("preferred_contact_method", "email", "text_message"),
                short_label=_("Email or text message"),
                required_message=_("Choose whether we may use email or text messages."),
            ),
            question(
                "ok_voicemail",
                Kind.YES_NO,
                _(
                    "If we can't reach you, may we leave a voicemail that says which clinic is calling?"
                ),
                short_label=_("Voicemail"),
                required_message=_("Choose Yes or No for a voicemail."),
            ),
            question(
                "best_contact_time",
                Kind.SINGLE,
                _("When is the best time to reach you?"),
                short_label=_("Best time to reach you"),
                required_message=_("Choose the best time to reach you."),
                choices=choices(
                    ("morning", _("Morning")),
                    ("afternoon", _("Afternoon")),
                    ("evening", _("Evening")),
                    ("any_time", _("Any time")),
                ),
            ),
        ],
    ),
    section(
        "concerns",
        "concerns",
        _("Skin concerns and goals"),
        [
            question(
                "skin_concerns",
                Kind.MULTI,
                _("Which of these would you like to improve? Choose all that apply."),
                short_label=_("What you'd like to improve"),
                required_message=_("Choose at least one thing you'd like to improve."),
                choices=SKIN_CONCERN_CHOICES,
            ),
            question(
                "skin_concerns_other",
                Kind.TEXT,
                _("Please describe the other concern."),
                required_message=_("Describe the other concern."),
                show_if=picked("skin_concerns", "other"),
                max_length=500,
                short_label=_("Other concern"),
            ),
            question(
                "main_concern",
                Kind.SINGLE,
                _("Which one bothers you most?"),
                required_message=_("Choose the concern that bothers you most."),
                show_if=PickedMoreThanOne("skin_concerns"),
                choices=SKIN_CONCERN_CHOICES,
                among="skin_concerns",
                help_text=_("Choose one of the concerns you picked above."),
                short_label=_("Main concern"),
            ),
            question(
                "treatment_areas",
                Kind.MULTI,
                _("Where on your body are these concerns? Choose all that apply."),
                choices=choices(
                    ("face", _("Face")),
                    ("neck", _("Neck")),
                    ("chest", _("Chest or upper chest (“décolletage”)")),
                    ("hands", _("Backs of the hands")),
                    ("other", _("Somewhere else")),
                ),
                short_label=_("Areas to treat"),
                required_message=_("Choose at least one area you'd like treated."),
            ),
            question(
                "treatment_areas_other",
                Kind.TEXT,
                _("Where else?"),
                show_if=picked("treatment_areas", "other"),
                max_length=500,
                short_label=_("Other area"),
                required_message=_("Enter where else you'd like treated."),
            ),
            question(
                "area_near_eyes",
                Kind.YES_NO_UNSURE,
                _(
                    "Is the skin right around your eyes or on your eyelids one of the areas you'd like "
                    "treated?"
                ),
                show_if=picked("treatment_areas", "face"),
                short_label=_("Skin around your eyes"),
                required_message=_("Choose whether the skin around your eyes is one of the areas."),
            ),
            question(
                "goals_text",
                Kind.TEXT,
                _(
                    "In your own words, what would you like to change, and what would a good result "
                    "look like to you?"
                ),
                required=False,
                long=True,
                short_label=_("Your goals"),
            ),
            question(
                "expected_result",
                Kind.SINGLE,
                _("How much change are you hoping for?"),
                choices=choices(
                    ("subtle", _("A subtle, natural-looking improvement")),
                    ("noticeable", _("A clearly noticeable improvement")),
                    ("complete", _("I want the problem completely gone")),
                    ("unsure", _("I'm not sure what's realistic")),
                ),
                short_label=_("How much change"),
                required_message=_("Choose how much change you're hoping for."),
            ),
            question(
                "concern_impact",
                Kind.SINGLE,
                _("How much do these skin concerns affect your day-to-day life?"),
                choices=choices(
                    ("not_at_all", _("Not at all")),
                    ("a_little", _("A little")),
                    ("moderately", _("Moderately")),
                    ("a_lot", _("A lot")),
                ),
                short_label=_("Effect on daily life"),
                required_message=_("Choose how much your skin concerns affect your daily life."),
            ),
            question(
                "recovery_time_available",
                Kind.SINGLE,
                _(
                    "How much time could you take for your skin to heal, for example time away from "
                    "work or social plans?"
                ),
                choices=choices(
                    ("1_2_days", _("A day or two")),
                    ("about_week", _("About a week")),
                    ("2_weeks_plus", _("Two weeks or more")),
                    ("unsure", _("Not sure")),
                ),
                short_label=_("Time to heal"),
                required_message=_("Choose how much time you could take for your skin to heal."),
            ),
            question(
                "upcoming_event",
                Kind.YES_NO,
                _("Is there a date you'd like to see results by, such as a wedding or trip?"),
                short_label=_("A date for results"),
                required_message=_("Choose Yes if there is a date you'd like results by, or No."),
            ),
            question(
                "upcoming_event_date",
                Kind.MONTH_YEAR,
                _("About when?"),
                show_if=answer_is("upcoming_event", "yes"),
                timing=Timing.FUTURE,
                short_label=_("Date for results"),
                required_message=_("Choose the month and enter the year you'd like results by."),
            ),
        ],
    ),
    section(
        "skin_sun",
        "skin-and-sun",
        _("Skin type and sun"),
        [
            question(
                "skin_type_self",
                Kind.SINGLE,
                _(
                    "Which description fits your skin before any tan? Your provider will check this "
                    "with you in person."
                ),
                choices=choices(
                    ("I", _("Very fair. Always burns, never tans")),
                    ("II", _("Fair. Burns easily, tans a little with difficulty")),
                    ("III", _("Medium. Sometimes burns, tans gradually")),
                    ("IV", _("Olive or light brown. Rarely burns, tans easily")),
                    ("V", _("Brown. Very rarely burns, tans very easily")),
                    ("VI", _("Dark brown or black. Never or almost never burns")),
                    ("unsure", _("Not sure")),
                ),
                short_label=_("Skin type"),
                required_message=_("Choose the description that fits your skin."),
            ),
            # Sunburn is asked here and again on the health step (`current_skin_problems_area`
            # = sunburn, read by SUNBURN_NOW), and cancer treatment both under medicines
            # (`immunosuppressant_meds` = chemotherapy) and in `immune_conditions`. Asking each once
            # would retire ids that v2 keeps from v1 (v2 retires none) and that flags read:
            # merging them is for a later version of the bank, with the clinical lead. (Each costs a patient about 10 s:
            # bench/patient_path.py.)
            question(
                "current_tan_or_burn",
                Kind.YES_NO_UNSURE,
                _(
                    "Is the skin in the area you'd like treated darker than usual right now from the "
                    "sun or a tanning bed, or do you have a sunburn there?"
                ),
                short_label=_("Tan or sunburn now"),
                required_message=_("Choose whether that skin is tanned or sunburned right now."),
            ),
            question(
                "last_significant_sun",
                Kind.SINGLE,
                _("When did you last get a tan, a sunburn, or use a tanning bed?"),
                choices=choices(
                    ("within_4_weeks", _("Within the last 4 weeks")),
                    ("1_2_months", _("1–2 months ago")),
                    ("over_2_months", _("More than 2 months ago")),
                    ("never_unsure", _("Never / can't remember")),
                ),
                short_label=_("Last tan or sunburn"),
                required_message=_(
                    "Choose when you last got a tan or a sunburn, or used a tanning bed."
                ),
            ),
            question(
                "self_tanner_recent",
                Kind.YES_NO,
                _(
                    "Have you used self-tanner, bronzer or spray tan on those areas in the last "
                    "2 weeks?"
                ),
                short_label=_("Self-tanner"),
                required_message=_("Choose Yes or No for self-tanner in the last 2 weeks."),
            ),
            question(
                "hair_removal_recent",
                Kind.YES_NO,
                _(
                    "In the last 2 weeks, have you waxed, threaded, used hair-removal cream, or had "
                    "electrolysis on any area you'd like treated?"
                ),
                short_label=_("Hair removal"),
                required_message=_("Choose Yes or No for hair removal in the last 2 weeks."),
            ),
            question(
                "sun_planned_after",
                Kind.YES_NO_UNSURE,
                _(
                    "In the next 2 months, do you expect a lot of time in the sun, such as a beach "
                    "holiday, outdoor work or outdoor sport?"
                ),
                short_label=_("Sun in the next 2 months"),
                required_message=_("Choose whether you expect a lot of time in the sun."),
            ),
            question(
                "sun_reactions",
                Kind.YES_NO_UNSURE,
                _(
                    "Does sunlight ever give you a rash, blisters, or a reaction that seems unusual?"
                ),
                short_label=_("Reactions to sunlight"),
                required_message=_(
                    "Choose whether sunlight ever gives you a rash, blisters or an unusual reaction."
                ),
            ),
            question(
                "photosensitivity_dx",
                Kind.MULTI,
                _("Has a doctor ever told you that you have any of these? Choose all that apply."),
                choices=choices(
                    ("porphyria", _("Porphyria")),
                    ("xp", _("Xeroderma pigmentosum (XP)")),
                    (
                        "pmle",
                        _(
                            "Polymorphic light eruption (sometimes called “sun allergy” or “sun "
                            "poisoning”)"
                        ),
                    ),
                    ("other_light", _("Another condition that makes skin sensitive to light")),
                    ("none", _("No, none of these")),
                    ("unsure", _("Not sure")),
                ),
                show_if=answer_is("sun_reactions", "yes", "unsure"),
                short_label=_("Conditions that make skin sensitive to light"),
                required_message=_(
                    "Choose the conditions a doctor told you about, or “No, none of these”."
                ),
            ),
        ],
    ),
    section(
        "past_treatments",
        "past-treatments",
        _("Past treatments"),
        [
            question(
                "prior_procedures",
                Kind.MULTI,
                _(
                    "Have you had any of these treatments on the areas you'd like treated? Choose all "
                    "that apply."
                ),
                choices=PRIOR_PROCEDURE_CHOICES,
                followups_heading=_("About the treatments you chose"),
                help_text=_(
                    "If you're not sure which kind of laser you had, choose “A laser treatment, "
                    "but I'm not sure which kind”."
                ),
                short_label=_("Past treatments"),
                required_message=_("Choose the treatments you've had, or “None of these”."),
            ),
            *_prior_procedure_dates(),
            question(
                "eyelid_surgery_lower",
                Kind.YES_NO_UNSURE,
                _("Was the eyelid surgery on your lower eyelids?"),
                show_if=picked("prior_procedures", "eyelid_surgery"),
                short_label=_("Lower eyelids"),
                required_message=_("Choose whether the eyelid surgery was on your lower eyelids."),
            ),
            question(
                "prior_treatment_problems",
                Kind.YES_NO_UNSURE,
                _(
                    "After any skin treatment or procedure, have you had problems such as scarring, "
                    "dark or light patches, infection, or very slow healing?"
                ),
                short_label=_("Problems after a treatment"),
                required_message=_("Choose whether you've had problems after a skin treatment."),
            ),
            question(
                "prior_treatment_problems_text",
                Kind.TEXT,
                _("What happened, and after which treatment?"),
                show_if=answer_is("prior_treatment_problems", "yes"),
                long=True,
                short_label=_("What happened"),
                required_message=_("Describe what happened, and after which treatment."),
            ),
        ],
    ),
    section(
        "medicines",
        "medicines",
        _("Medicines, supplements and allergies"),
        [
            question(
                "isotretinoin_ever",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever taken isotretinoin (Accutane) or another retinoid pill, such as "
                    "acitretin?"
                ),
                help_text=_(
                    "Other isotretinoin brand names are Absorica, Claravis, Amnesteem, Myorisan "
                    "and Zenatane. Acitretin is sold as Soriatane."
                ),
                short_label=_("Isotretinoin or retinoid pills"),
                required_message=_(
                    "Choose whether you've ever taken isotretinoin or another retinoid pill."
                ),
            ),
            question(
                "oral_retinoid_type",
                Kind.MULTI,
                _("Which one did you take? Choose all that apply."),
                choices=choices(
                    ("isotretinoin", _("Isotretinoin (Accutane or similar), usually for acne")),
                    ("acitretin", _("Acitretin (Soriatane), usually for psoriasis")),
                    ("other", _("Another retinoid pill")),
                    ("unsure", _("Not sure")),
                ),
                show_if=answer_is("isotretinoin_ever", "yes"),
                short_label=_("Which retinoid pill"),
                required_message=_("Choose the retinoid pill you took, or “Not sure”."),
            ),
            question(
                "isotretinoin_current",
                Kind.YES_NO,
                _("Are you taking any of these pills now?"),
                show_if=answer_is("isotretinoin_ever", "yes"),
                short_label=_("Retinoid pills now"),
                required_message=_("Choose whether you're taking any of these pills now."),
            ),
            question(
                "isotretinoin_last_dose",
                Kind.MONTH_YEAR,
                _("About when did you take your last dose of any of them?"),
                show_if=answer_is("isotretinoin_current", "no"),
                timing=Timing.PAST,
                allow_unknown=True,
                short_label=_("Last dose"),
                required_message=_(
                    "Choose the month and enter the year of your last dose, or tick “I don't remember”."
                ),
            ),
            question(
                "topical_retinoid_acid_current",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you currently use any of these on the areas you'd like treated: tretinoin "
                    "(Retin-A), adapalene (Differin), tazarotene, retinol, or glycolic/salicylic acid "
                    "products?"
                ),
                short_label=_("Retinoid or acid skin products"),
                required_message=_("Choose whether you use any of these skin products now."),
            ),
            question(
                "photosensitising_meds",
                Kind.MULTI,
                _(
                    "Are you taking any medicine that can make skin more sensitive to sunlight? Choose "
                    "any you take."
                ),
                choices=choices(
                    (
                        "tetracycline_class",
                        _("Doxycycline, minocycline or another tetracycline antibiotic"),
                    ),
                    (
                        "other_antibiotic",
                        _("Ciprofloxacin/levofloxacin or sulfa antibiotics (e.g. Bactrim)"),
                    ),
                    ("diuretic", _("Water pills such as hydrochlorothiazide or furosemide")),
                    ("amiodarone", _("Amiodarone")),
                    (
                        "nsaid_regular",
                        _("Anti-inflammatory pain pills taken regularly (ibuprofen, naproxen)"),
                    ),
                    ("st_johns_wort", _("St John's wort")),
                    ("antifungal", _("Voriconazole or another antifungal")),
                    ("methotrexate", _("Methotrexate")),
                    ("other_unsure", _("Another medicine, or I'm not sure whether mine counts")),
                    ("none", _("None")),
                ),
                short_label=_("Medicines that make skin sensitive to sunlight"),
                required_message=_(
                    "Choose the medicines you take that make skin sensitive to sunlight, or “None”."
                ),
            ),
            question(
                "blood_thinners",
                Kind.MULTI,
                _("Do you take any medicine that thins the blood or stops clotting?"),
                choices=choices(
                    ("warfarin", _("Warfarin (Coumadin, Jantoven)")),
                    (
                        "doac",
                        _(
                            "Apixaban (Eliquis), rivaroxaban (Xarelto), dabigatran (Pradaxa) or "
                            "edoxaban"
                        ),
                    ),
                    ("antiplatelet", _("Clopidogrel (Plavix), prasugrel or ticagrelor")),
                    ("aspirin_daily", _("Daily aspirin")),
                    ("injectable_anticoag", _("Heparin or enoxaparin injections")),
                    ("none", _("None")),
                    ("unsure", _("Not sure")),
                ),
                short_label=_("Blood thinners"),
                required_message=_("Choose the blood thinners you take, or “None”."),
            ),
            question(
                "bleeding_supplements",
                Kind.YES_NO,
                _(
                    "Do you regularly take fish oil, vitamin E, ginkgo, garlic tablets or turmeric "
                    "supplements?"
                ),
                short_label=_("Supplements"),
                required_message=_("Choose Yes or No for these supplements."),
            ),
            question(
                "immunosuppressant_meds",
                Kind.MULTI,
                _("Do you take any medicine that lowers your immune system?"),
                help_text=_(
                    "Some health conditions and medicines affect how skin heals after laser "
                    "treatment."
                ),
                choices=choices(
                    ("oral_steroid", _("Steroid tablets such as prednisone")),
                    (
                        "methotrexate_other_dmard",
                        _("Methotrexate or similar arthritis/psoriasis medicine"),
                    ),
                    (
                        "biologic_jak",
                        _(
                            "A biologic shot or drip, such as Humira, Enbrel, Remicade, Stelara, "
                            "Cosentyx or Skyrizi, or a JAK-inhibitor pill, such as Xeljanz, Rinvoq "
                            "or Olumiant"
                        ),
                    ),
                    (
                        "transplant_meds",
                        _("Anti-rejection medicine (e.g. tacrolimus, cyclosporine, mycophenolate)"),
                    ),
                    ("chemotherapy", _("Chemotherapy or other cancer treatment")),
                    ("none", _("None")),
                    ("unsure", _("Not sure")),
                ),
                short_label=_("Medicines that lower your immune system"),
                required_message=_(
                    "Choose the medicines you take that lower your immune system, or “None”."
                ),
            ),
            question(
                "gold_therapy_ever",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever been treated with gold injections or gold tablets (usually for "
                    "arthritis)?"
                ),
                short_label=_("Gold treatment"),
                required_message=_("Choose whether you've ever had gold injections or tablets."),
            ),
            question(
                "antiviral_current",
                Kind.YES_NO,
                _(
                    "Do you currently take an antiviral medicine such as valacyclovir (Valtrex), "
                    "acyclovir or famciclovir?"
                ),
                short_label=_("Antiviral medicine"),
                required_message=_("Choose Yes or No for antiviral medicine."),
            ),
            question(
                "current_medications_text",
                Kind.TEXT,
                _(
                    "Please list all medicines you take, including prescription, over-the-counter, "
                    "creams, vitamins and supplements."
                ),
                help_text=_("If you take none, write “None”."),
                long=True,
                short_label=_("Your medicines"),
                required_message=_("List the medicines you take, or write “None”."),
            ),
            question(
                "allergies_any",
                Kind.YES_NO,
                _(
                    "Do you have any allergies to medicines, numbing products, skin creams or "
                    "ointments, latex or adhesive tape?"
                ),
                short_label=_("Allergies"),
                required_message=_("Choose Yes or No for allergies."),
            ),
            question(
                "allergy_aftercare",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had a rash or itching from an ointment put on a cut or wound, such "
                    "as Neosporin, bacitracin, triple-antibiotic ointment or Aquaphor?"
                ),
                show_if=answer_is("allergies_any", "yes"),
                short_label=_("Reaction to a wound ointment"),
                required_message=_(
                    "Choose whether a wound ointment ever gave you a rash or itching."
                ),
            ),
            question(
                "allergy_other_text",
                Kind.TEXT,
                _("Please list any other allergies and what happened."),
                show_if=answer_is("allergies_any", "yes"),
                required=False,
                long=True,
                short_label=_("Other allergies"),
            ),
            # The clinical lead recommends always asking this one, whatever `allergies_any` says.
            question(
                "allergy_local_anaesthetic",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever reacted badly to a numbing medicine, such as lidocaine, benzocaine, "
                    "tetracaine or prilocaine, or to numbing cream or a dental injection?"
                ),
                short_label=_("Reaction to a numbing medicine"),
                required_message=_(
                    "Choose whether you've ever reacted badly to a numbing medicine."
                ),
            ),
            question(
                "allergy_antiviral",
                Kind.YES_NO_UNSURE,
                _("Are you allergic to acyclovir, valacyclovir or famciclovir?"),
                short_label=_("Antiviral allergy"),
                required_message=_("Choose whether you're allergic to these antivirals."),
            ),
            question(
                "allergy_antibiotic",
                Kind.YES_NO_UNSURE,
                _("Are you allergic to any antibiotic?"),
                short_label=_("Antibiotic allergy"),
                required_message=_("Choose whether you're allergic to any antibiotic."),
            ),
            question(
                "allergy_antibiotic_text",
                Kind.TEXT,
                _("Which antibiotic?"),
                show_if=answer_is("allergy_antibiotic", "yes"),
                max_length=500,
                short_label=_("Which antibiotic"),
                required_message=_("Enter the antibiotic you're allergic to."),
            ),
        ],
        intro=_(
            "Don't stop or change any prescribed medicine because of this form. If your "
            "provider suggests a change, they will work it out with the doctor who "
            "prescribed it."
        ),
    ),
    section(
        "health",
        "health",
        _("Health history"),
        [
            question(
                "cold_sores_history",
                Kind.SINGLE,
                _(
                    "Have you ever had cold sores, fever blisters, or another herpes outbreak on your "
                    "face or lips?"
                ),
                choices=choices(
                    ("never", _("Never")),
                    ("rarely", _("Yes, once a year or less")),
                    ("often", _("Yes, more than once a year")),
                    ("unsure", _("Not sure")),
                ),
                short_label=_("Cold sores"),
                required_message=_("Choose how often you've had cold sores or fever blisters."),
            ),
            question(
                "cold_sore_now",
                Kind.YES_NO,
                _("Do you have a cold sore or tingling at a usual cold-sore spot right now?"),
                short_label=_("Cold sore now"),
                required_message=_("Choose Yes or No for a cold sore right now."),
            ),
            question(
                "shingles_area",
                Kind.YES_NO_UNSURE,
                _("Have you had shingles on your face or in any area you'd like treated?"),
                short_label=_("Shingles"),
                required_message=_(
                    "Choose whether you've had shingles in an area you'd like treated."
                ),
            ),
            question(
                "current_skin_problems_area",
                Kind.MULTI,
                _("In the area you'd like treated, do you have any of these right now?"),
                choices=choices(
                    ("open_wound", _("Open wound, cut or sore")),
                    ("infection", _("Skin infection (e.g. impetigo, boils, infected spots)")),
                    ("acne_breakout", _("Active acne breakout")),
                    ("rash_flare", _("Rash or flare of eczema/psoriasis")),
                    ("sunburn", _("Sunburn")),
                    ("none", _("None")),
                ),
                short_label=_("Skin problems now"),
                required_message=_("Choose the skin problems you have there right now, or “None”."),
            ),
            question(
                "recurrent_skin_infection",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had MRSA, or skin infections such as boils, abscesses or impetigo "
                    "that keep coming back?"
                ),
                short_label=_("Skin infections that come back"),
                required_message=_(
                    "Choose whether you've had MRSA or skin infections that keep coming back."
                ),
            ),
            question(
                "changing_spot",
                Kind.YES_NO_UNSURE,
                _(
                    "Is there a mole or spot in the area that is new, changing, bleeding, or worrying "
                    "you?"
                ),
                short_label=_("New or changing spot"),
                required_message=_("Choose whether there is a new or changing mole or spot."),
            ),
            question(
                "skin_cancer_history",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had skin cancer (basal cell, squamous cell, melanoma) in the area "
                    "you'd like treated?"
                ),
                short_label=_("Skin cancer"),
                required_message=_("Choose whether you've had skin cancer in the area."),
            ),
            question(
                "keloid_history",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had a keloid, or a scar that became thick, raised and larger than "
                    "the original wound?"
                ),
                short_label=_("Thick or raised scars"),
                required_message=_("Choose whether you've had a keloid or a thick, raised scar."),
            ),
            question(
                "slow_healing",
                Kind.YES_NO_UNSURE,
                _("Do cuts or scrapes usually take much longer than normal to heal for you?"),
                short_label=_("Slow healing"),
                required_message=_("Choose whether cuts or scrapes take longer to heal for you."),
            ),
            question(
                "dark_marks_after_injury",
                Kind.YES_NO_UNSURE,
                _(
                    "Do pimples, cuts, burns or bug bites often leave dark marks that last for "
                    "months?"
                ),
                short_label=_("Dark marks after injuries"),
                required_message=_("Choose whether small injuries often leave dark marks."),
            ),
            question(
                "skin_conditions",
                Kind.MULTI,
                _("Have you ever been told you have any of these skin conditions?"),
                choices=choices(
                    ("vitiligo", _("Vitiligo (white patches)")),
                    ("psoriasis", _("Psoriasis")),
                    ("eczema", _("Eczema / atopic dermatitis")),
                    ("lichen_planus", _("Lichen planus")),
                    ("rosacea", _("Rosacea")),
                    (
                        "melasma",
                        _("Melasma (“pregnancy mask”, brown patches on cheeks, forehead or lip)"),
                    ),
                    ("light_patches", _("Light or white patches after a previous treatment")),
                    ("none", _("None")),
                ),
                short_label=_("Skin conditions"),
                required_message=_(
                    "Choose the skin conditions you've been told you have, or “None”."
                ),
            ),
            question(
                "skin_condition_active",
                Kind.YES_NO,
                _("Is any of these active or flaring right now?"),
                show_if=picked("skin_conditions", *_SKIN_CONDITIONS_THAT_FLARE),
                short_label=_("Flaring now"),
                required_message=_("Choose Yes or No for a flare right now."),
            ),
            question(
                "autoimmune_conditions",
                Kind.MULTI,
                _("Have you ever been diagnosed with any of these?"),
                choices=choices(
                    ("lupus", _("Lupus")),
                    ("scleroderma", _("Scleroderma or morphea")),
                    ("dermatomyositis", _("Dermatomyositis")),
                    ("rheumatoid_arthritis", _("Rheumatoid arthritis")),
                    ("sjogrens", _("Sjögren's syndrome")),
                    ("other_autoimmune", _("Another autoimmune or connective-tissue disease")),
                    ("none", _("None")),
                ),
                short_label=_("Autoimmune conditions"),
                required_message=_("Choose the conditions you've been diagnosed with, or “None”."),
            ),
            question(
                "diabetes",
                Kind.SINGLE,
                _("Do you have diabetes?"),
                choices=choices(
                    ("no", _("No")),
                    ("yes_controlled", _("Yes, and my doctor says it is well controlled")),
                    ("yes_not_controlled", _("Yes, and it is not well controlled or I'm not sure")),
                    ("prediabetes", _("Prediabetes only")),
                ),
                short_label=_("Diabetes"),
                required_message=_("Choose whether you have diabetes."),
            ),
            question(
                "bleeding_disorder",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you have a bleeding or clotting problem, for example hemophilia, von Willebrand "
                    "disease or low platelets, or do you bruise or bleed very easily?"
                ),
                short_label=_("Bleeding or clotting"),
                required_message=_("Choose whether you have a bleeding or clotting problem."),
            ),
            question(
                "immune_conditions",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you have a condition that weakens your immune system, for example HIV, an organ "
                    "transplant, or cancer treatment in the last 12 months?"
                ),
                help_text=_(
                    "We ask because some health conditions and medicines affect how skin "
                    "heals after laser treatment. Your provider will ask about details in "
                    "person."
                ),
                short_label=_("Weakened immune system"),
                required_message=_(
                    "Choose whether you have a condition that weakens your immune system."
                ),
            ),
            question(
                "radiation_to_area",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had radiation therapy (for example for cancer) to any area you'd "
                    "like treated?"
                ),
                short_label=_("Radiation therapy"),
                required_message=_(
                    "Choose whether you've had radiation therapy to an area you'd like treated."
                ),
            ),
            question(
                "heart_lung_conditions",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you have any heart or lung condition, an irregular heartbeat, or high blood "
                    "pressure that is not controlled?"
                ),
                short_label=_("Heart or lung condition"),
                required_message=_("Choose whether you have a heart or lung condition."),
            ),
            question(
                "energy_device_safety",
                Kind.MULTI,
                _(
                    "Some treatments use a small electric current or bright flashes of light. Do any "
                    "of these apply to you? Choose all that apply."
                ),
                choices=choices(
                    ("pacemaker_icd", _("A pacemaker or implanted defibrillator (ICD)")),
                    (
                        "other_implant_electronic",
                        _(
                            "Another implanted electronic device, such as a nerve stimulator, "
                            "cochlear implant or implanted pump"
                        ),
                    ),
                    (
                        "metal_in_area",
                        _(
                            "Metal plates, screws or wires under the skin of an area you'd like "
                            "treated (not dental work)"
                        ),
                    ),
                    (
                        "light_seizures",
                        _("Seizures (fits) set off by flashing or flickering lights"),
                    ),
                    ("none", _("None of these")),
                    ("unsure", _("Not sure")),
                ),
                short_label=_("Implants, metal or seizures"),
                required_message=_("Choose the ones that apply to you, or “None of these”."),
            ),
            question(
                "pregnancy_status",
                Kind.SINGLE,
                _("Are any of these true for you right now?"),
                help_text=_(
                    "We ask because pregnancy and breastfeeding change which medicines and "
                    "treatments are used."
                ),
                choices=choices(
                    ("pregnant", _("I am pregnant or might be")),
                    ("breastfeeding", _("I am breastfeeding")),
                    ("trying", _("I am trying to become pregnant")),
                    ("none", _("None of these")),
                    ("not_applicable", _("Not applicable to me")),
                    ("prefer_not", _("Prefer not to say")),
                ),
                short_label=_("Pregnancy and breastfeeding"),
                required_message=_(
                    "Choose the answer that fits you now. You may choose “Prefer not to say”."
                ),
            ),
            question(
                "smoking_status",
                Kind.SINGLE,
                _("Do you smoke or use nicotine?"),
                choices=choices(
                    ("never", _("Never")),
                    ("former", _("I used to but quit")),
                    ("current_cigarettes", _("Yes, cigarettes/cigars")),
                    ("current_vape_other", _("Yes, vaping, nicotine pouches, gum or patches")),
                ),
                short_label=_("Smoking or nicotine"),
                required_message=_("Choose whether you smoke or use nicotine."),
            ),
            question(
                "quit_date",
                Kind.MONTH_YEAR,
                _("About when did you quit?"),
                show_if=answer_is("smoking_status", "former"),
                timing=Timing.PAST,
                allow_unknown=True,
                short_label=_("Quit date"),
                required_message=_(
                    "Choose the month and enter the year you quit, or tick “I don't remember”."
                ),
            ),
            question(
                "other_conditions_text",
                Kind.TEXT,
                _(
                    "Any other medical conditions, surgeries or hospital stays we should know about?"
                ),
                required=False,
                long=True,
                short_label=_("Other medical conditions"),
            ),
        ],
    ),
    section(
        "confirm",
        "confirm",
        _("Anything else, and confirmation"),
        [
            question(
                "anything_else_text",
                Kind.TEXT,
                _(
                    "Is there anything else you'd like your provider to know before your "
                    "consultation?"
                ),
                required=False,
                long=True,
                short_label=_("Anything else"),
            ),
            question(
                "questions_for_provider_text",
                Kind.TEXT,
                _("Do you have questions you'd like answered at the consultation?"),
                required=False,
                long=True,
                short_label=_("Your questions"),
            ),
            question(
                "attest_accurate",
                Kind.YES_NO,
                _(
                    "I confirm these answers are true and complete as far as I know, and I will tell "
                    "the clinic if anything changes before my visit."
                ),
                checkbox=True,
                asked_at_review=True,
                short_label=_("Declaration"),
                required_message=_("Tick the box to confirm your answers are true and complete."),
            ),
            question(
                "privacy_notice_ack",
                Kind.YES_NO,
                _("I have been given access to the clinic's Notice of Privacy Practices."),
                checkbox=True,
                required=False,
                asked_at_review=True,
                short_label=_("Privacy notice"),
            ),
        ],
    ),
)

DEFINITION = Definition(VERSION, SECTIONS)
