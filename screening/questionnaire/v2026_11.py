"""Questionnaire version 2026.11.1 (v1), frozen: submissions answered on it are read with it.

Do not edit: a patient answered these exact words. Wording or choices change in a new version
module, registered in `versions.py`: a stored submission is always shown with the labels of
the version its patient answered.
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

VERSION = "2026.11.1"

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
    ("ablative_laser", _("Laser resurfacing such as CO2 or erbium (“laser peel”)")),
    (
        "nonablative_laser",
        _("Non-ablative or fractional laser such as Fraxel, Clear + Brilliant or 1550 nm"),
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
    ("none", _("None of these")),
)


_SKIN_CONDITIONS_THAT_FLARE = ("vitiligo", "psoriasis", "eczema", "lichen_planus", "rosacea")

SECTIONS: tuple[Section, ...] = (
    section(
        "about_you",
        "about-you",
        _("About you"),
        [
            question("first_name", Kind.TEXT, _("First name"), max_length=100),
            question("last_name", Kind.TEXT, _("Last name"), max_length=100),
            question(
                "preferred_name",
                Kind.TEXT,
                _("What would you like us to call you?"),
                required=False,
                max_length=100,
            ),
            question("date_of_birth", Kind.DATE, _("Date of birth"), timing=Timing.PAST),
            question("email", Kind.EMAIL, _("Email address")),
            question(
                "phone",
                Kind.PHONE,
                _("Mobile or main phone number"),
                help_text=_("Include the area code."),
            ),
            question(
                "preferred_contact_method",
                Kind.SINGLE,
                _("How would you like us to contact you about your consultation?"),
                choices=choices(
                    ("email", _("Email")),
                    ("phone_call", _("Phone call")),
                    ("text_message", _("Text message")),
                ),
            ),
            question(
                "ok_voicemail",
                Kind.YES_NO,
                _(
                    "If we can't reach you, may we leave a voicemail that says which clinic is calling?"
                ),
            ),
            question(
                "best_contact_time",
                Kind.SINGLE,
                _("When is the best time to reach you?"),
                choices=choices(
                    ("morning", _("Morning")),
                    ("afternoon", _("Afternoon")),
                    ("evening", _("Evening")),
                    ("any_time", _("Any time")),
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
                choices=SKIN_CONCERN_CHOICES,
            ),
            question(
                "skin_concerns_other",
                Kind.TEXT,
                _("Please describe the other concern."),
                show_if=picked("skin_concerns", "other"),
                max_length=500,
            ),
            question(
                "main_concern",
                Kind.SINGLE,
                _("Which one bothers you most?"),
                show_if=PickedMoreThanOne("skin_concerns"),
                choices=SKIN_CONCERN_CHOICES,
                among="skin_concerns",
                help_text=_("Choose one of the concerns you picked above."),
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
            ),
            question(
                "treatment_areas_other",
                Kind.TEXT,
                _("Where else?"),
                show_if=picked("treatment_areas", "other"),
                max_length=500,
            ),
            question(
                "area_near_eyes",
                Kind.YES_NO_UNSURE,
                _(
                    "Is the skin right around your eyes or on your eyelids one of the areas you'd like "
                    "treated?"
                ),
                show_if=picked("treatment_areas", "face"),
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
            ),
            question(
                "upcoming_event",
                Kind.YES_NO,
                _("Is there a date you'd like to see results by, such as a wedding or trip?"),
            ),
            question(
                "upcoming_event_date",
                Kind.MONTH_YEAR,
                _("About when?"),
                show_if=answer_is("upcoming_event", "yes"),
                timing=Timing.FUTURE,
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
            ),
            question(
                "current_tan_or_burn",
                Kind.YES_NO_UNSURE,
                _(
                    "Is the skin in the area you'd like treated darker than usual right now from the "
                    "sun or a tanning bed, or do you have a sunburn there?"
                ),
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
            ),
            question(
                "self_tanner_recent",
                Kind.YES_NO,
                _(
                    "Have you used self-tanner, bronzer or spray tan on those areas in the last "
                    "2 weeks?"
                ),
            ),
            question(
                "sun_planned_after",
                Kind.YES_NO_UNSURE,
                _(
                    "In the next 2 months, do you expect a lot of time in the sun, such as a beach "
                    "holiday, outdoor work or outdoor sport?"
                ),
            ),
            question(
                "sun_reactions",
                Kind.YES_NO_UNSURE,
                _(
                    "Does sunlight ever give you a rash, blisters, or a reaction that seems unusual?"
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
            ),
            *prior_procedure_last_questions(PRIOR_PROCEDURE_CHOICES),
            question(
                "eyelid_surgery_lower",
                Kind.YES_NO_UNSURE,
                _("Was the eyelid surgery on your lower eyelids?"),
                show_if=picked("prior_procedures", "eyelid_surgery"),
            ),
            question(
                "prior_treatment_problems",
                Kind.YES_NO_UNSURE,
                _(
                    "After any skin treatment or procedure, have you had problems such as scarring, "
                    "dark or light patches, infection, or very slow healing?"
                ),
            ),
            question(
                "prior_treatment_problems_text",
                Kind.TEXT,
                _("What happened, and after which treatment?"),
                show_if=answer_is("prior_treatment_problems", "yes"),
                long=True,
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
                    "Have you ever taken isotretinoin (Accutane, Absorica, Claravis, Amnesteem, "
                    "Myorisan, Zenatane or similar) or another retinoid tablet such as acitretin?"
                ),
            ),
            question(
                "isotretinoin_current",
                Kind.YES_NO,
                _("Are you taking it now?"),
                show_if=answer_is("isotretinoin_ever", "yes"),
            ),
            question(
                "isotretinoin_last_dose",
                Kind.MONTH_YEAR,
                _("About when did you take your last dose?"),
                show_if=answer_is("isotretinoin_current", "no"),
                timing=Timing.PAST,
                allow_unknown=True,
            ),
            question(
                "topical_retinoid_acid_current",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you currently use any of these on the areas you'd like treated: tretinoin "
                    "(Retin-A), adapalene (Differin), tazarotene, retinol, or glycolic/salicylic acid "
                    "products?"
                ),
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
            ),
            question(
                "bleeding_supplements",
                Kind.YES_NO,
                _(
                    "Do you regularly take fish oil, vitamin E, ginkgo, garlic tablets or turmeric "
                    "supplements?"
                ),
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
                    ("biologic_jak", _("Biologic injections or JAK-inhibitor tablets")),
                    (
                        "transplant_meds",
                        _("Anti-rejection medicine (e.g. tacrolimus, cyclosporine, mycophenolate)"),
                    ),
                    ("chemotherapy", _("Chemotherapy or other cancer treatment")),
                    ("none", _("None")),
                    ("unsure", _("Not sure")),
                ),
            ),
            question(
                "gold_therapy_ever",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever been treated with gold injections or gold tablets (usually for "
                    "arthritis)?"
                ),
            ),
            question(
                "antiviral_current",
                Kind.YES_NO,
                _(
                    "Do you currently take an antiviral medicine such as valacyclovir (Valtrex), "
                    "acyclovir or famciclovir?"
                ),
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
            ),
            question(
                "allergies_any",
                Kind.YES_NO,
                _(
                    "Do you have any allergies to medicines, numbing products, latex or adhesive "
                    "tape?"
                ),
            ),
            # The clinical lead recommends always asking this one, whatever `allergies_any` says.
            question(
                "allergy_local_anaesthetic",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever reacted badly to a numbing medicine, such as lidocaine, benzocaine, "
                    "tetracaine or prilocaine, or to numbing cream or a dental injection?"
                ),
            ),
            question(
                "allergy_antiviral",
                Kind.YES_NO_UNSURE,
                _("Are you allergic to acyclovir, valacyclovir or famciclovir?"),
            ),
            question(
                "allergy_antibiotic", Kind.YES_NO_UNSURE, _("Are you allergic to any antibiotic?")
            ),
            question(
                "allergy_antibiotic_text",
                Kind.TEXT,
                _("Which antibiotic?"),
                show_if=answer_is("allergy_antibiotic", "yes"),
                max_length=500,
            ),
            question(
                "allergy_other_text",
                Kind.TEXT,
                _("Please list any other allergies and what happened."),
                show_if=answer_is("allergies_any", "yes"),
                required=False,
                long=True,
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
            ),
            question(
                "cold_sore_now",
                Kind.YES_NO,
                _("Do you have a cold sore or tingling at a usual cold-sore spot right now?"),
            ),
            question(
                "shingles_area",
                Kind.YES_NO_UNSURE,
                _("Have you had shingles on your face or in any area you'd like treated?"),
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
            ),
            question(
                "changing_spot",
                Kind.YES_NO_UNSURE,
                _(
                    "Is there a mole or spot in the area that is new, changing, bleeding, or worrying "
                    "you?"
                ),
            ),
            question(
                "skin_cancer_history",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had skin cancer (basal cell, squamous cell, melanoma) in the area "
                    "you'd like treated?"
                ),
            ),
            question(
                "keloid_history",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had a keloid, or a scar that became thick, raised and larger than "
                    "the original wound?"
                ),
            ),
            question(
                "slow_healing",
                Kind.YES_NO_UNSURE,
                _("Do cuts or scrapes usually take much longer than normal to heal for you?"),
            ),
            question(
                "dark_marks_after_injury",
                Kind.YES_NO_UNSURE,
                _(
                    "Do pimples, cuts, burns or bug bites often leave dark marks that last for "
                    "months?"
                ),
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
            ),
            question(
                "skin_condition_active",
                Kind.YES_NO,
                _("Is any of these active or flaring right now?"),
                show_if=picked("skin_conditions", *_SKIN_CONDITIONS_THAT_FLARE),
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
            ),
            question(
                "bleeding_disorder",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you have a bleeding or clotting problem, for example hemophilia, von Willebrand "
                    "disease or low platelets, or do you bruise or bleed very easily?"
                ),
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
            ),
            question(
                "radiation_to_area",
                Kind.YES_NO_UNSURE,
                _(
                    "Have you ever had radiation therapy (for example for cancer) to any area you'd "
                    "like treated?"
                ),
            ),
            question(
                "heart_lung_conditions",
                Kind.YES_NO_UNSURE,
                _(
                    "Do you have any heart or lung condition, an irregular heartbeat, or high blood "
                    "pressure that is not controlled?"
                ),
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
            ),
            question(
                "quit_date",
                Kind.MONTH_YEAR,
                _("About when did you quit?"),
                show_if=answer_is("smoking_status", "former"),
                timing=Timing.PAST,
            ),
            question(
                "other_conditions_text",
                Kind.TEXT,
                _(
                    "Any other medical conditions, surgeries or hospital stays we should know about?"
                ),
                required=False,
                long=True,
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
            ),
            question(
                "questions_for_provider_text",
                Kind.TEXT,
                _("Do you have questions you'd like answered at the consultation?"),
                required=False,
                long=True,
            ),
            question(
                "attest_accurate",
                Kind.YES_NO,
                _(
                    "I confirm these answers are true and complete as far as I know, and I will tell "
                    "the clinic if anything changes before my visit."
                ),
                checkbox=True,
            ),
            question(
                "privacy_notice_ack",
                Kind.YES_NO,
                _("I have been given access to the clinic's Notice of Privacy Practices."),
                checkbox=True,
                required=False,
            ),
        ],
    ),
)

DEFINITION = Definition(VERSION, SECTIONS)
