"""Benchmark of the flag engine: evaluations per second of `flags_for` on one core.

Run from the project folder: `.venv/bin/python bench/flags_bench.py [--evaluations N]`.
Uses the project settings (clinic.settings) when they import, else a minimal configuration,
since the engine needs Django only for translated choice labels and the policy setting.
Prints the median of 5 rounds, for the default call (policy read from settings on every call,
as the app calls it) and with a policy passed in.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5


def setup_django() -> str:
    """Configure Django; returns which settings were used."""
    # The script's own folder comes first on sys.path; the project must be importable.
    sys.path.insert(0, str(PROJECT_ROOT))
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImportError:
        # The settings are not written yet (or do not import): the engine needs very little.
        os.environ.pop("DJANGO_SETTINGS_MODULE")
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en-us", INSTALLED_APPS=[])
        django.setup()
        return "minimal settings.configure()"
    django.setup()
    return os.environ["DJANGO_SETTINGS_MODULE"]


def many_flags_answers() -> dict:
    """A complete submission that raises most of the catalogue, dates included."""
    return {
        "first_name": "Alex", "last_name": "Doe", "date_of_birth": "2009-03-27",
        "email": "alex@example.com", "phone": "555 010 0100",
        "preferred_contact_method": "email", "ok_voicemail": "yes",
        "best_contact_time": "morning", "unencrypted_contact_consent": "yes",
        "skin_concerns": ["loose_skin", "deep_wrinkles_folds", "acne_scars"],
        "main_concern": "acne_scars", "treatment_areas": ["face", "neck", "hands"],
        "area_near_eyes": "yes", "expected_result": "complete", "concern_impact": "a_lot",
        "recovery_time_available": "1_2_days", "upcoming_event": "yes",
        "upcoming_event_date": "2027-02",
        "skin_type_self": "V", "current_tan_or_burn": "unsure",
        "last_significant_sun": "within_4_weeks", "self_tanner_recent": "yes",
        "sun_planned_after": "yes", "sun_reactions": "unsure",
        "prior_procedures": ["ablative_laser", "chemical_peel_medium_deep", "filler",
                             "neurotoxin", "eyelid_surgery"],
        "prior_ablative_laser_last": "2025-12", "prior_chemical_peel_medium_deep_last": "unknown",
        "prior_filler_last": "2026-10", "prior_neurotoxin_last": "2026-11",
        "prior_eyelid_surgery_last": "2021-05", "eyelid_surgery_lower": "unsure",
        "prior_treatment_problems": "yes", "prior_treatment_problems_text": "Dark patches",
        "isotretinoin_ever": "yes", "isotretinoin_current": "no",
        "isotretinoin_last_dose": "2026-06", "topical_retinoid_acid_current": "yes",
        "photosensitising_meds": ["tetracycline_class", "other_unsure"],
        "blood_thinners": ["warfarin", "aspirin_daily"], "bleeding_supplements": "yes",
        "immunosuppressant_meds": ["unsure"], "gold_therapy_ever": "unsure",
        "antiviral_current": "yes", "current_medications_text": "Warfarin 5 mg, doxycycline",
        "allergies_any": "yes", "allergy_local_anaesthetic": "unsure",
        "allergy_antiviral": "no", "allergy_antibiotic": "yes",
        "allergy_antibiotic_text": "Penicillin", "allergy_other_text": "Latex",
        "cold_sores_history": "often", "cold_sore_now": "yes", "shingles_area": "unsure",
        "current_skin_problems_area": ["acne_breakout", "rash_flare"], "changing_spot": "unsure",
        "skin_cancer_history": "no", "keloid_history": "unsure", "slow_healing": "yes",
        "dark_marks_after_injury": "yes",
        "skin_conditions": ["psoriasis", "rosacea", "melasma", "light_patches"],
        "skin_condition_active": "yes", "autoimmune_conditions": ["lupus"],
        "diabetes": "yes_not_controlled", "bleeding_disorder": "unsure",
        "immune_conditions": "unsure", "radiation_to_area": "no",
        "heart_lung_conditions": "unsure", "pregnancy_status": "prefer_not",
        "smoking_status": "current_cigarettes", "other_conditions_text": "Asthma",
        "anything_else_text": "Nervous about needles", "attest_accurate": "yes",
        "privacy_notice_ack": "yes",
    }


def evaluations_per_second(run, evaluations: int) -> float:
    start = time.perf_counter()
    for _ in range(evaluations):
        run()
    return evaluations / (time.perf_counter() - start)


def main() -> None:
    """Print the median evaluations per second of 5 rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=20_000,
                        help="evaluations per round (default 20000)")
    options = parser.parse_args()
    used = setup_django()

    from screening.flags import current_policy, flags_for

    answers = many_flags_answers()
    today = date(2026, 11, 24)
    policy = current_policy()
    raised = flags_for(answers, today)
    print(f"settings: {used}; {len(answers)} answers raise {len(raised)} flags; "
          f"{options.evaluations} evaluations x {ROUNDS} rounds")

    for label, run in (
        ("flags_for(answers, today)", lambda: flags_for(answers, today)),
        ("flags_for(answers, today, policy)", lambda: flags_for(answers, today, policy)),
    ):
        run()  # warm the label cache, as in a running server
        rates = [evaluations_per_second(run, options.evaluations) for _ in range(ROUNDS)]
        median = statistics.median(rates)
        print(f"{label}: median {median:,.0f} evaluations/s "
              f"({1e6 / median:.1f} µs each; rounds {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
