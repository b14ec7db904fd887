"""Benchmark of the flag engine: evaluations per second of `flags_for` on one core.

Run from the project folder: `.venv/bin/python bench/flags_bench.py [--evaluations N]`.
Prints the median of 5 rounds of `flags_for(answers, today)` as the app calls it (the policy read
from the settings on every call), for a worst case (an answers dict raising most of the
catalogue) and a typical patient. Time is CPU time of this process (time.process_time), so that
other processes on a shared machine disturb the figure less.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5


def setup_django() -> None:
    """Set Django up with the project's settings (clinic.settings unless the environment says)."""
    # The script's own folder comes first on sys.path; the project must be importable.
    sys.path.insert(0, str(PROJECT_ROOT))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()


def many_flags_answers() -> dict:
    """A complete submission that raises most of the catalogue, dates included."""
    return {
        "first_name": "Alex",
        "last_name": "Doe",
        "date_of_birth": "2009-03-27",
        "email": "alex@example.com",
        "phone": "555 010 0100",
        "preferred_contact_method": "email",
        "ok_voicemail": "yes",
        "best_contact_time": "morning",
        "unencrypted_contact_consent": "yes",
        "skin_concerns": ["loose_skin", "deep_wrinkles_folds", "acne_scars"],
        "main_concern": "acne_scars",
        "treatment_areas": ["face", "neck", "hands"],
        "area_near_eyes": "yes",
        "expected_result": "complete",
        "concern_impact": "a_lot",
        "recovery_time_available": "1_2_days",
        "upcoming_event": "yes",
        "upcoming_event_date": "2027-02",
        "skin_type_self": "V",
        "current_tan_or_burn": "unsure",
        "last_significant_sun": "within_4_weeks",
        "self_tanner_recent": "yes",
        "sun_planned_after": "yes",
        "sun_reactions": "unsure",
        "prior_procedures": [
            "ablative_laser",
            "chemical_peel_medium_deep",
            "filler",
            "neurotoxin",
            "eyelid_surgery",
        ],
        "prior_ablative_laser_last": "2025-12",
        "prior_chemical_peel_medium_deep_last": "unknown",
        "prior_filler_last": "2026-10",
        "prior_neurotoxin_last": "2026-11",
        "prior_eyelid_surgery_last": "2021-05",
        "eyelid_surgery_lower": "unsure",
        "prior_treatment_problems": "yes",
        "prior_treatment_problems_text": "Dark patches",
        "isotretinoin_ever": "yes",
        "isotretinoin_current": "no",
        "isotretinoin_last_dose": "2026-06",
        "topical_retinoid_acid_current": "yes",
        "photosensitising_meds": ["tetracycline_class", "other_unsure"],
        "blood_thinners": ["warfarin", "aspirin_daily"],
        "bleeding_supplements": "yes",
        "immunosuppressant_meds": ["unsure"],
        "gold_therapy_ever": "unsure",
        "antiviral_current": "yes",
        "current_medications_text": "Warfarin 5 mg, doxycycline",
        "allergies_any": "yes",
        "allergy_local_anaesthetic": "unsure",
        "allergy_antiviral": "no",
        "allergy_antibiotic": "yes",
        "allergy_antibiotic_text": "Penicillin",
        "allergy_other_text": "Latex",
        "cold_sores_history": "often",
        "cold_sore_now": "yes",
        "shingles_area": "unsure",
        "current_skin_problems_area": ["acne_breakout", "rash_flare"],
        "changing_spot": "unsure",
        "skin_cancer_history": "no",
        "keloid_history": "unsure",
        "slow_healing": "yes",
        "dark_marks_after_injury": "yes",
        "skin_conditions": ["psoriasis", "rosacea", "melasma", "light_patches"],
        "skin_condition_active": "yes",
        "autoimmune_conditions": ["lupus"],
        "diabetes": "yes_not_controlled",
        "bleeding_disorder": "unsure",
        "immune_conditions": "unsure",
        "radiation_to_area": "no",
        "heart_lung_conditions": "unsure",
        "pregnancy_status": "prefer_not",
        "smoking_status": "current_cigarettes",
        "other_conditions_text": "Asthma",
        "anything_else_text": "Nervous about needles",
        "attest_accurate": "yes",
        "privacy_notice_ack": "yes",
    }


def typical_answers() -> dict:
    """A typical submission: a few things to discuss (phototype, acne, a topical retinoid)."""
    answers = many_flags_answers()
    answers.update(
        {
            "date_of_birth": "1988-07-02",
            "skin_concerns": ["acne_scars"],
            "treatment_areas": ["face"],
            "area_near_eyes": "no",
            "expected_result": "noticeable",
            "concern_impact": "moderately",
            "recovery_time_available": "about_week",
            "upcoming_event": "no",
            "skin_type_self": "IV",
            "current_tan_or_burn": "no",
            "last_significant_sun": "over_2_months",
            "self_tanner_recent": "no",
            "sun_planned_after": "no",
            "sun_reactions": "no",
            "prior_procedures": ["chemical_peel_light"],
            "prior_chemical_peel_light_last": "2025-06",
            "prior_treatment_problems": "no",
            "isotretinoin_ever": "no",
            "topical_retinoid_acid_current": "yes",
            "photosensitising_meds": ["none"],
            "blood_thinners": ["none"],
            "bleeding_supplements": "no",
            "immunosuppressant_meds": ["none"],
            "gold_therapy_ever": "no",
            "antiviral_current": "no",
            "current_medications_text": "None",
            "allergies_any": "no",
            "allergy_local_anaesthetic": "no",
            "allergy_antibiotic": "no",
            "cold_sores_history": "rarely",
            "cold_sore_now": "no",
            "shingles_area": "no",
            "current_skin_problems_area": ["acne_breakout"],
            "changing_spot": "no",
            "keloid_history": "no",
            "slow_healing": "no",
            "dark_marks_after_injury": "unsure",
            "skin_conditions": ["none"],
            "autoimmune_conditions": ["none"],
            "diabetes": "no",
            "bleeding_disorder": "no",
            "immune_conditions": "no",
            "heart_lung_conditions": "no",
            "pregnancy_status": "none",
            "smoking_status": "never",
            "other_conditions_text": "",
            "anything_else_text": "",
        }
    )
    for hidden in (
        "main_concern",
        "upcoming_event_date",
        "prior_ablative_laser_last",
        "prior_chemical_peel_medium_deep_last",
        "prior_filler_last",
        "prior_neurotoxin_last",
        "prior_eyelid_surgery_last",
        "eyelid_surgery_lower",
        "prior_treatment_problems_text",
        "isotretinoin_current",
        "isotretinoin_last_dose",
        "allergy_antibiotic_text",
        "allergy_other_text",
        "skin_condition_active",
    ):
        answers.pop(hidden)
    return answers


def return_visit(answers: dict, today: date, *, worst: bool):
    """(today's answers, the Visit) of the same patient at a series session 6 weeks after a
    treatment here: the previous form is `answers`; today adds the course answers (the worst
    case: every course problem, still there, seen elsewhere; a lifetime yes removed; a modality
    carried) or "none of these" and no changes."""
    from datetime import timedelta

    from screening.questionnaire.visit import SERIES_SESSION, Visit

    previous = dict(answers)
    today_answers = dict(answers)
    if worst:
        previous["isotretinoin_ever"] = "yes"
        today_answers.update(
            last_session_problems=[
                "scar",
                "light_patches",
                "infection",
                "cold_sore",
                "slow_healing",
                "dark_patches",
                "long_redness",
                "rash_itch",
                "bumps_acne",
            ],
            last_session_still_now="yes",
            last_session_seen_for_it="yes_elsewhere",
            since_last_treatments="unsure",
            since_last_medicines="yes",
            skin_history=["none"],
            pregnancy_status="pregnant",
        )
    else:
        today_answers.update(
            last_session_problems=["none"], since_last_treatments="no", since_last_medicines="no"
        )
    visit = Visit(
        visit_type=SERIES_SESSION,
        previous_reference="BENCH-REF",
        previous_version="2027.01",
        form_date=today - timedelta(weeks=10),
        previous_answers=previous,
        treatment_date=today - timedelta(weeks=6),
        carried_modality="ablative" if worst else "fractional_ablative",
    )
    return today_answers, visit


def evaluations_per_second(run, evaluations: int) -> float:
    start = time.process_time()
    for _ in range(evaluations):
        run()
    return evaluations / (time.process_time() - start)


def main() -> None:
    """Print the median evaluations per second of 5 rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--evaluations", type=int, default=20_000, help="evaluations per round (default 20000)"
    )
    options = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.utils import translation

    from screening.flags import flags_for

    # As in a request, where LocaleMiddleware has activated a language (without one, Django's
    # get_language() takes a slower path).
    translation.activate(settings.LANGUAGE_CODE)
    today = date(2026, 11, 24)
    print(f"{options.evaluations} evaluations x {ROUNDS} rounds, CPU time")
    from tests.v2_to_v3 import to_v3

    cases = []
    for name, answers in (("worst case", many_flags_answers()), ("typical", typical_answers())):
        # The current questionnaire (2027.02: a first visit answers what 2027.01 asks), the same
        # patient on 2027.01 and on 2026.12 (stored submissions are read as they were answered),
        # and the patient back for a series session after a treatment here (2027.02 with its
        # visit: the course of the last treatment, the previous form's answers compared).
        cases.append((f"{name}, 2027.02", to_v3(answers), "2027.02", None))
        cases.append((f"{name}, 2027.01", to_v3(answers), "2027.01", None))
        cases.append((f"{name}, 2026.12", answers, "2026.12", None))
        returning, visit = return_visit(to_v3(answers), today, worst=name == "worst case")
        cases.append((f"{name}, 2027.02 return visit", returning, "2027.02", visit))
    for name, answers, version, visit in cases:
        raised = flags_for(answers, today, questionnaire_version=version, visit=visit)
        print(f"{name}: {len(answers)} answers raise {len(raised)} flags")
        run = functools.partial(
            flags_for, answers, today, questionnaire_version=version, visit=visit
        )
        run()  # warm the label cache, as in a running server
        rates = [evaluations_per_second(run, options.evaluations) for _ in range(ROUNDS)]
        median = statistics.median(rates)
        print(
            f"  flags_for(answers, today, questionnaire_version={version!r}"
            f"{', visit=…' if visit else ''}): median "
            f"{median:,.0f} evaluations/s "
            f"({1e6 / median:.1f} µs each; rounds {', '.join(f'{rate:,.0f}' for rate in rates)})"
        )


if __name__ == "__main__":
    main()
