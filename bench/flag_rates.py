"""How often each flag fires: rules 2026.12.1 on v2 answers and rules 2027.01.1 on v3 answers,
for the same synthetic people; and rules 2027.02.1 when they come back for a series session.

    .venv/bin/python bench/flag_rates.py [--people N] [--seed S] [--json]

A seeded synthetic population of aesthetic-clinic patients: each risk factor is drawn
independently at the prevalence in `FACTORS` (each written down with its source, or marked as an
assumption), on top of an ordinary patient (screening.demo's no-risk answers). Each person is
answered on questionnaire 2026.12 and, as the same person, on 2027.01 (the gateways ticked as
that person would: tests/v2_to_v3.py), both validated. It prints each flag's raise rate under
both, the share of people with at least one PRIORITY flag, and that share among people with no
risk factor at all. Targets: no PRIORITY flag for a person with no risk factor; the PRIORITY
share at least halved from v2 to v3; no flag raised for more than half of all people.

Rules 2026.12.1 are rebuilt from today's catalogue by undoing the changes of 2027.01.1 that a
v2 answer set can see (`rules_2026_12_1`): the severities it raised, PHOTOTYPE_SELF_REPORT for
everyone, the eyes, a tan within 4 weeks and eczema as before, and no rule that only 2027.01
added.

The returning people (`measure_returning`): each person's v3 answers are their first form; six
weeks after a fractional treatment here they answer the re-screen, with the course problems of
`COURSE_FACTORS` and the changes of `RETURN_CHANGES` drawn at the rates given (sources or
assumptions), and the rules read them with the visit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
TARGET_PRIORITY_RATIO = 0.5  # v3's PRIORITY share at most half of v2's
TARGET_MAX_RATE = 0.5  # no flag for more than half of the people

S_ASSUMPTION = "assumption (no population source found; a plausible aesthetic-clinic figure)"


@dataclass(frozen=True)
class Factor:
    """One risk factor: its prevalence, where that figure comes from, and the v2 answers it
    changes (the v3 answers follow through the translation)."""

    name: str
    prevalence: float
    source: str
    v2: dict


def _procedure(key: str, last: str) -> dict:
    return {"prior_procedures": [key], f"prior_{key}_last": last}


FACTORS: tuple[Factor, ...] = (
    Factor("skin type IV-VI", 0.25, S_ASSUMPTION + "; a mixed US clinic", {"skin_type_self": "IV"}),
    Factor("skin type not known", 0.03, S_ASSUMPTION, {"skin_type_self": "unsure"}),
    Factor(
        "sun or tanning bed in the last 4 weeks",
        0.20,
        S_ASSUMPTION + " (seasonal)",
        {"last_significant_sun": "within_4_weeks"},
    ),
    Factor("sun 1-2 months ago", 0.15, S_ASSUMPTION, {"last_significant_sun": "1_2_months"}),
    Factor("tanned now", 0.05, S_ASSUMPTION, {"current_tan_or_burn": "yes"}),
    Factor(
        "cold sores (any)",
        0.25,
        "recurrent herpes labialis in 20-40% of adults (commonly cited range; lower end taken)",
        {"cold_sores_history": "rarely"},
    ),
    Factor("cold sore now", 0.01, S_ASSUMPTION, {"cold_sore_now": "yes"}),
    Factor(
        "isotretinoin in the last 6 months",
        0.02,
        S_ASSUMPTION,
        {
            "isotretinoin_ever": "yes",
            "oral_retinoid_type": ["isotretinoin"],
            "isotretinoin_current": "no",
            "isotretinoin_last_dose": "2026-08",
        },
    ),
    Factor(
        "topical retinoid or acid", 0.30, S_ASSUMPTION, {"topical_retinoid_acid_current": "yes"}
    ),
    Factor("fish oil or similar supplements", 0.20, S_ASSUMPTION, {"bleeding_supplements": "yes"}),
    Factor(
        "prescribed blood thinner",
        0.03,
        S_ASSUMPTION,
        {"blood_thinners": ["doac"]},
    ),
    Factor(
        "water pill or regular NSAID",
        0.15,
        S_ASSUMPTION,
        {"photosensitising_meds": ["diuretic"]},
    ),
    Factor(
        "bruises easily (no disorder)",
        0.10,
        S_ASSUMPTION,
        {"bleeding_disorder": "yes", "_v3_easy_bruising": True},
    ),
    Factor("bleeding disorder", 0.005, S_ASSUMPTION, {"bleeding_disorder": "yes"}),
    Factor(
        "faint or racing heart at the dentist",
        0.04,
        S_ASSUMPTION,
        {"allergy_local_anaesthetic": "yes", "_v3_numbing_reaction": "heart_faint"},
    ),
    Factor(
        "antibiotic allergy",
        0.10,
        "about 10% of US patients report a penicillin allergy (CDC, Is It Really a Penicillin Allergy?)",
        {
            "allergies_any": "yes",
            "allergy_antibiotic": "yes",
            "allergy_antibiotic_text": "Penicillin",
            "allergy_aftercare": "no",
        },
    ),
    Factor("keloid", 0.03, S_ASSUMPTION, {"keloid_history": "yes"}),
    Factor(
        "skin cancer or 'spots frozen', not sure",
        0.05,
        S_ASSUMPTION + "; frequent in photoaged patients (clinical review)",
        {"skin_cancer_history": "unsure"},
    ),
    Factor(
        "childhood or mild eczema",
        0.10,
        "lifetime atopic dermatitis in about 10-20% (commonly cited range; lower end taken)",
        {"skin_conditions": ["eczema"], "skin_condition_active": "no"},
    ),
    Factor(
        "psoriasis",
        0.03,
        "about 3% of US adults (Armstrong et al., JAMA Dermatol 2021)",
        {"skin_conditions": ["psoriasis"], "skin_condition_active": "no"},
    ),
    Factor(
        "rosacea",
        0.05,
        S_ASSUMPTION,
        {"skin_conditions": ["rosacea"], "skin_condition_active": "no"},
    ),
    Factor("melasma", 0.05, S_ASSUMPTION, {"skin_conditions": ["melasma"]}),
    Factor(
        "diabetes, controlled",
        0.08,
        "diabetes in about 11% of US adults (CDC National Diabetes Statistics Report), most treated",
        {"diabetes": "yes_controlled"},
    ),
    Factor(
        "asthma, heart or blood pressure",
        0.12,
        S_ASSUMPTION + " (asthma alone about 8% of US adults, CDC)",
        {"heart_lung_conditions": "yes"},
    ),
    Factor(
        "smokes",
        0.11,
        "about 11.5% of US adults smoke cigarettes (CDC, 2021)",
        {"smoking_status": "current_cigarettes"},
    ),
    Factor("neck, chest or hands too", 0.35, S_ASSUMPTION, {"treatment_areas": ["face", "neck"]}),
    # The clinical review says the eyes are asked for by "most facial-rejuvenation patients": about
    # 70% of patients come for rejuvenation, and 60% of those for the eyes too: 0.7 x 0.6. The
    # flag nearest the 50% line: a clinic of rejuvenation patients only would cross it.
    Factor(
        "skin around the eyes",
        0.42,
        S_ASSUMPTION + " (0.7 of patients come for rejuvenation x 0.6 of them for the eyes)",
        {"area_near_eyes": "yes"},
    ),
    Factor("Botox 3 months ago", 0.25, S_ASSUMPTION, _procedure("neurotoxin", "2026-08")),
    Factor(
        "deep peel 5 years ago",
        0.02,
        S_ASSUMPTION,
        _procedure("chemical_peel_medium_deep", "2021-06"),
    ),
    Factor("sun planned after", 0.15, S_ASSUMPTION, {"sun_planned_after": "yes"}),
    Factor("not sure about a safety question", 0.05, S_ASSUMPTION, {"slow_healing": "unsure"}),
)


def setup_django() -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()


def _merge(answers: dict, changes: dict) -> None:
    for key, value in changes.items():
        if key.startswith("_"):
            continue
        if isinstance(value, list) and isinstance(answers.get(key), list):
            kept = [item for item in answers[key] if item not in ("none", *value)]
            answers[key] = [*kept, *value]
        else:
            answers[key] = value


def person(rng: random.Random) -> tuple[list[Factor], dict, dict]:
    """(the risk factors drawn, v2 answers, v3 answers) of one synthetic patient."""
    from screening.demo import no_risk_answers_v2
    from tests.v2_to_v3 import to_v3

    factors = [factor for factor in FACTORS if rng.random() < factor.prevalence]
    v2 = no_risk_answers_v2()
    for factor in factors:
        _merge(v2, factor.v2)
    if "treatment_areas" in v2 and "face" not in v2["treatment_areas"]:
        v2.pop("area_near_eyes", None)
    if v2.get("skin_conditions", ["none"]) == ["melasma"]:
        v2.pop("skin_condition_active", None)
    v3 = to_v3(v2)
    for factor in factors:
        if factor.v2.get("_v3_easy_bruising"):
            v3["health_conditions"] = [
                "easy_bruising" if item == "bleeding_dx" else item
                for item in v3["health_conditions"]
            ]
        if "_v3_numbing_reaction" in factor.v2:
            v3["numbing_reaction"] = factor.v2["_v3_numbing_reaction"]
    return factors, v2, v3


def rules_2026_12_1():
    """Rules 2026.12.1 as a v2 answer set saw them, rebuilt from today's catalogue."""
    from screening.flags import catalogue as c
    from screening.flags.base import DISCUSS, INFO, PRIORITY
    from screening.flags.conditions import always, answer_is, any_of, has_any

    v3_only = {
        "SUN_WITHIN_4_WEEKS",
        "PERIORBITAL_AREA",
        "ATOPIC_DERMATITIS",
        "PRIOR_DEEP_RESURFACING",
        "BODY_IMAGE_CONCERN",
        "KIDNEY_OR_LIVER_DISEASE",
        "PRECANCER_FIELD_TREATMENT",
        "EASY_BRUISING",
        "LOCAL_ANAESTHETIC_SIDE_EFFECT",
    }
    severities = {
        "ISO_CURRENT": PRIORITY,
        "ISO_WITHIN_6M": PRIORITY,
        "ISO_6_TO_12M": DISCUSS,
        "DIABETES_CONTROLLED": DISCUSS,
    }
    conditions = {
        "PERIORBITAL_OR_PRIOR_LOWER_BLEPH": any_of(
            answer_is("area_near_eyes", "yes"), answer_is("eyelid_surgery_lower", "yes", "unsure")
        ),
        "TAN_OR_SUN_RECENT": any_of(
            answer_is("current_tan_or_burn", "yes", "unsure"),
            answer_is("last_significant_sun", "within_4_weeks"),
        ),
        "KOEBNER_CONDITION": has_any(
            "skin_conditions", "vitiligo", "psoriasis", "lichen_planus", "eczema"
        ),
    }
    rules = []
    for rule in c._SUBMISSION_RULES:
        if rule.code in v3_only:
            continue
        rule = replace(
            rule,
            severity=severities.get(rule.code, rule.severity),
            condition=conditions.get(rule.code, rule.condition),
        )
        rules.append(rule)
    rules.append(
        c.Rule("PHOTOTYPE_SELF_REPORT", INFO, "", (), always("skin_type_self"), rule="Always.")
    )
    return tuple(sorted(rules, key=lambda rule: -rule.severity.rank))


def measure(people: int, seed: int) -> dict:
    from screening.flags import flags_for
    from screening.flags.engine import _evaluate
    from screening.questionnaire.validation import validate_answers

    old_rules = rules_2026_12_1()
    rng = random.Random(seed)
    counts = {"v2": Counter(), "v3": Counter()}
    priority = {"v2": 0, "v3": 0}
    no_risk = {"people": 0, "v2": 0, "v3": 0}
    for _ in range(people):
        factors, v2, v3 = person(rng)
        v2_valid = validate_answers(v2, today=TODAY, version="2026.12")
        v3_valid = validate_answers(v3, today=TODAY, version="2027.01")
        assert v2_valid.is_valid, ([f.name for f in factors], v2_valid.errors)
        assert v3_valid.is_valid, ([f.name for f in factors], v3_valid.errors)
        raised = {
            "v2": _evaluate(old_rules, v2_valid.answers, TODAY, None, "2026.12", "en"),
            "v3": flags_for(v3_valid.answers, TODAY, questionnaire_version="2027.01"),
        }
        if not factors:
            no_risk["people"] += 1
        for version, flags in raised.items():
            counts[version].update({flag.code for flag in flags})
            has_priority = any(flag.severity.rank == 2 for flag in flags)
            priority[version] += has_priority
            if not factors:
                no_risk[version] += has_priority
    rates = {
        version: {code: count / people for code, count in sorted(counter.items())}
        for version, counter in counts.items()
    }
    share = {version: priority[version] / people for version in priority}
    no_risk_share = {
        version: (no_risk[version] / no_risk["people"]) if no_risk["people"] else 0.0
        for version in ("v2", "v3")
    }
    targets = {
        "no_priority_without_risk": no_risk["v3"] == 0,
        "priority_share_halved": share["v3"] <= share["v2"] * TARGET_PRIORITY_RATIO,
        "no_flag_for_most": max(rates["v3"].values(), default=0) <= TARGET_MAX_RATE,
    }
    return {
        "people": people,
        "seed": seed,
        "people_without_risk_factor": no_risk["people"],
        "rates": rates,
        "priority_share": share,
        "priority_share_without_risk_factor": no_risk_share,
        "targets": targets,
    }


# --- Returning patients (rules 2027.02.1) ----------------------------------------------------
# The same synthetic people, back for a series session 6 weeks after a fractional treatment here
# (their first form 10 weeks before): what happened since, drawn independently per person.
# Rates after fractional (non-ablative or ablative) treatment, per treatment; a patient's "longer
# than you were told" and a lay "scar" or "infection" are assumptions around them.
COURSE_FACTORS: tuple[tuple[str, float, str], ...] = (
    (
        "long_redness",
        0.04,
        "S78 prolonged erythema 1.8% of NAFL treatments; self-report: assumption",
    ),
    ("dark_patches", 0.03, "S78 PIH 1.1% (NAFL), S74 more in darker types; 25% IV-VI: assumption"),
    ("bumps_acne", 0.03, "S74 acneiform 1.87%, milia (961 treatments)"),
    ("cold_sore", 0.018, "S74 HSV 1.77%"),
    ("rash_itch", 0.02, S_ASSUMPTION + "; S73 10-15% after fully ablative CO2"),
    ("slow_healing", 0.01, S_ASSUMPTION),
    ("infection", 0.005, S_ASSUMPTION + "; S52-S54 case series"),
    ("scar", 0.003, S_ASSUMPTION + "; S76, S77 case reports"),
    ("light_patches", 0.003, S_ASSUMPTION + "; S73, S79 (fully ablative, delayed)"),
)
RETURN_CHANGES: tuple[tuple[str, float, str], ...] = (
    ("a course item not sure", 0.02, S_ASSUMPTION),
    ("other treatment since: yes", 0.05, S_ASSUMPTION),
    ("other treatment since: not sure", 0.02, S_ASSUMPTION),
    ("a blood thinner started", 0.01, S_ASSUMPTION),
    ("pregnant since", 0.005, S_ASSUMPTION),
    ("a lifetime item removed by mistake", 0.03, S_ASSUMPTION),
)


def returning(rng: random.Random, first: dict) -> tuple[dict, object]:
    """(today's answers, the Visit) of one person back for a series session."""
    from datetime import timedelta

    from screening.questionnaire.visit import SERIES_SESSION, Visit

    today = dict(first)
    problems = [item for item, rate, _source in COURSE_FACTORS if rng.random() < rate]
    today["last_session_problems"] = problems or ["none"]
    drawn = {name for name, rate, _source in RETURN_CHANGES if rng.random() < rate}
    if "a course item not sure" in drawn:
        today["last_session_problems"] = [*problems, "not_sure"]
        today["last_session_problems_unsure"] = [rng.choice(COURSE_FACTORS)[0]]
    if problems:
        today["last_session_seen_for_it"] = rng.choice(("yes_here", "yes_elsewhere", "no", "no"))
        if {"scar", "light_patches", "dark_patches", "long_redness"} & set(problems):
            today["last_session_still_now"] = rng.choice(("yes", "no", "no", "unsure"))
    today["since_last_treatments"] = "no"
    if "other treatment since: yes" in drawn:
        today["since_last_treatments"] = "yes"
        today["prior_procedures"] = [
            *(
                key
                for key in today.get("prior_procedures", [])
                if key not in ("none", "neurotoxin")
            ),
            "neurotoxin",
        ]
        today["prior_neurotoxin_last"] = "2026-11"
    elif "other treatment since: not sure" in drawn:
        today["since_last_treatments"] = "unsure"
    today["since_last_medicines"] = "no"
    if "a blood thinner started" in drawn and "blood_thinner" not in today["medicines_any"]:
        today["since_last_medicines"] = "yes"
        today["medicines_any"] = [
            *(key for key in today["medicines_any"] if key != "none"),
            "blood_thinner",
        ]
        today["blood_thinners"] = ["doac"]
    if "pregnant since" in drawn:
        today["pregnancy_status"] = "pregnant"
    if "a lifetime item removed by mistake" in drawn:
        today["skin_history"] = ["none"]
        today.pop("skin_history_unsure", None)
        today.pop("skin_conditions", None)
        today.pop("skin_condition_active", None)
        today.pop("vitiligo_active_12m", None)
    visit = Visit(
        visit_type=SERIES_SESSION,
        previous_reference="SYNTHETIC",
        previous_version="2027.02",
        form_date=TODAY - timedelta(weeks=10),
        previous_answers=first,
        treatment_date=TODAY - timedelta(weeks=6),
        carried_modality=rng.choice(("non_ablative", "fractional_ablative")),
    )
    return today, visit


def measure_returning(people: int, seed: int) -> dict:
    """Each flag's raise rate among the returning people (rules 2027.02.1), the share with a new
    course flag, and the share whose return visit added a PRIORITY flag their first form lacked."""
    from screening.flags import flags_for
    from screening.flags.catalogue import COURSE_FLAG_CODES
    from screening.questionnaire.validation import validate_answers

    rng = random.Random(seed)
    counts: Counter = Counter()
    added_priority = course = changed = 0
    for _ in range(people):
        _factors, _v2, v3 = person(rng)
        first = validate_answers(v3, today=TODAY, version="2027.02")
        assert first.is_valid, first.errors
        today, visit = returning(rng, first.answers)
        valid = validate_answers(today, today=TODAY, version="2027.02", visit=visit)
        assert valid.is_valid, valid.errors
        before = {f.code for f in flags_for(first.answers, TODAY) if f.severity.rank == 2}
        flags = flags_for(valid.answers, TODAY, visit=visit)
        codes = {flag.code for flag in flags}
        counts.update(codes)
        course += bool(codes & set(COURSE_FLAG_CODES))
        changed += any(flag.change_note for flag in flags)
        added_priority += bool({f.code for f in flags if f.severity.rank == 2} - before)
    return {
        "people": people,
        "seed": seed,
        "rates": {code: count / people for code, count in sorted(counts.items())},
        "course_flag_share": course / people,
        "change_note_share": changed / people,
        "added_priority_share": added_priority / people,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    setup_django()
    figures = measure(options.people, options.seed)
    if options.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"Flag rates, {figures['people']} synthetic people (seed {figures['seed']}; "
        f"{figures['people_without_risk_factor']} with no risk factor)"
    )
    print("Prevalences drawn:")
    for factor in FACTORS:
        print(f"  {factor.prevalence:6.1%}  {factor.name}  [{factor.source}]")
    codes = sorted(set(figures["rates"]["v2"]) | set(figures["rates"]["v3"]))
    print(f"  {'flag':<34} {'v2 rules':>9} {'v3 rules':>9}")
    for code in codes:
        v2 = figures["rates"]["v2"].get(code, 0.0)
        v3 = figures["rates"]["v3"].get(code, 0.0)
        print(f"  {code:<34} {v2:>9.1%} {v3:>9.1%}")
    share, alone = figures["priority_share"], figures["priority_share_without_risk_factor"]
    print(f"  {'>= 1 PRIORITY flag':<34} {share['v2']:>9.1%} {share['v3']:>9.1%}")
    print(f"  {'  among people with no risk factor':<34} {alone['v2']:>9.1%} {alone['v3']:>9.1%}")
    for target, met in figures["targets"].items():
        print(f"  {'ok' if met else 'MISS'}  {target}")
    back = measure_returning(options.people, options.seed)
    from screening.flags.catalogue import COURSE_FLAG_CODES  # Django is set up by now

    print(f"Returning for a series session (rules 2027.02.1), the same {back['people']} people:")
    print("Since the last treatment, drawn:")
    for name, rate, source in (*COURSE_FACTORS, *RETURN_CHANGES):
        print(f"  {rate:6.1%}  {name}  [{source}]")
    print(f"  {'flag':<34} {'return visit':>12}")
    for code in (*COURSE_FLAG_CODES, "HSV_PROPHYLAXIS_POLICY", "UNSURE_SAFETY_ANSWERS"):
        print(f"  {code:<34} {back['rates'].get(code, 0.0):>12.2%}")
    print(f"  {'>= 1 course flag':<34} {back['course_flag_share']:>12.2%}")
    print(f"  {'a PRIORITY flag the first form lacked':<34} {back['added_priority_share']:>12.2%}")
    print(f"  {'a flag with a change note':<34} {back['change_note_share']:>12.2%}")


if __name__ == "__main__":
    main()
