"""The derivation: the rules read a 2027.01 answer set through the v2 inputs derived from its
gateways, and the flags quote what the patient answered.

The round trip: seeded random valid v2 answer sets, each translated to the same patient's
2027.01 answers (as that patient would tick the gateways), validated under 2027.01, give the
same flags (code, severity, reason) as the v2 answers, but for the one class the bank's change
names: v2 let a patient say "not tanned or sunburned now" and then tick "Sunburn"; 2027.01 asks
once, so the sunburn raises TAN_OR_SUN_RECENT (the cautious reading of the contradiction), and
SUN_WITHIN_4_WEEKS, which is raised only without it, gives way.
"""

import random
from datetime import date, timedelta

import pytest

from screening.flags import flags_for, modality_flags_for
from screening.flags.derivation import FROM_ITEMS, derived_answers, quotes
from screening.questionnaire import RETIRED_IDS, Kind, Timing, definition_for
from screening.questionnaire.validation import validate_answers
from tests.factories import full_answers
from tests.v2_to_v3 import to_v3

TODAY = date(2026, 11, 24)
V2, V3 = "2026.12", "2027.01"
TEXTS = ("None", "Warfarin 5 mg", "n/a", "Latex: rash")


def _month(rng, timing) -> str:
    days = rng.randint(20, 1500) if timing is Timing.PAST else -rng.randint(40, 400)
    month = TODAY.replace(day=15) - timedelta(days=days)
    return f"{month.year:04d}-{month.month:02d}"


def random_v2_answers(rng: random.Random) -> dict:
    """A valid v2 answer set: each question shown by the answers before it is answered, with a
    random valid answer; safety answers lean towards "no", as most patients' do."""
    answers: dict = {}
    for question in definition_for(V2).questions.values():
        if not question.is_shown(answers):
            continue
        keys = list(question.choice_keys)
        if question.checkbox:
            answers[question.id] = "yes"
        elif question.among:
            answers[question.id] = rng.choice(answers[question.among])
        elif question.kind is Kind.MULTI:
            exclusive = [key for key in keys if key in ("none", "unsure")]
            if exclusive and rng.random() < 0.6:
                answers[question.id] = [rng.choice(exclusive)]
            else:
                others = [key for key in keys if key not in exclusive]
                answers[question.id] = sorted(
                    rng.sample(others, rng.randint(1, min(2, len(others)))), key=keys.index
                )
        elif keys:
            safe = "no" if "no" in keys else None
            answers[question.id] = safe if safe and rng.random() < 0.6 else rng.choice(keys)
        elif question.kind is Kind.MONTH_YEAR:
            unknown = question.allow_unknown and rng.random() < 0.15
            answers[question.id] = "unknown" if unknown else _month(rng, question.timing)
        elif question.kind is Kind.DATE:
            answers[question.id] = (
                TODAY - timedelta(days=rng.randint(16 * 365, 80 * 365))
            ).isoformat()
        elif question.kind is Kind.EMAIL:
            answers[question.id] = "ana@example.com"
        elif question.kind is Kind.PHONE:
            answers[question.id] = "(555) 010-0123"
        elif question.required or rng.random() < 0.5:
            answers[question.id] = rng.choice(TEXTS)
    return answers


def the_named_class(v2: dict) -> bool:
    """Sunburn ticked "right now" while the tan-or-burn question said no."""
    return "sunburn" in v2["current_skin_problems_area"] and v2["current_tan_or_burn"] == "no"


def shown(flags) -> set:
    return {(flag.code, flag.severity, flag.reason) for flag in flags}


def test_seeded_random_v2_answer_sets_flag_the_same_through_the_derivation():
    rng = random.Random("v2-to-v3")
    checked = named = 0
    raised_codes: set[str] = set()
    for _ in range(500):
        v2 = validate_answers(random_v2_answers(rng), today=TODAY, version=V2)
        assert v2.is_valid, v2.errors
        v3 = validate_answers(to_v3(v2.answers), today=TODAY, version=V3)
        assert v3.is_valid, v3.errors
        before = shown(flags_for(v2.answers, TODAY, questionnaire_version=V2))
        after = shown(flags_for(v3.answers, TODAY, questionnaire_version=V3))
        if the_named_class(v2.answers):
            named += 1
            added = {flag for flag in after - before}
            removed = {flag for flag in before - after}
            assert {code for code, *_ in added} == {"TAN_OR_SUN_RECENT"}, (added, v2.answers)
            assert {code for code, *_ in removed} <= {"SUN_WITHIN_4_WEEKS"}, removed
        else:
            assert after == before, (before ^ after, v2.answers)
        for modality in ("ablative", "fractional_ablative"):
            assert shown(
                modality_flags_for(v2.answers, modality, TODAY, questionnaire_version=V2)
            ) == shown(modality_flags_for(v3.answers, modality, TODAY, questionnaire_version=V3))
        raised_codes |= {code for code, *_ in before}
        checked += 1
    assert checked == 500 and named > 0
    # Varied enough to exercise the rules that read a derived input.
    assert {
        "KELOID_HYPERTROPHIC",
        "BLEEDING_DISORDER",
        "ALLERGY_LOCAL_ANAESTHETIC",
        "LESION_OF_CONCERN",
        "ANTICOAGULANT_UNSURE",
        "IMMUNOSUPPRESSED",
        "HYPOPIGMENTATION_HISTORY",
        "GOLD_THERAPY",
        "UNSURE_SAFETY_ANSWERS",
    } <= raised_codes


def test_every_v2_id_is_kept_or_derived():
    v3 = definition_for(V3).questions
    for qid in definition_for(V2).questions:
        assert qid in v3 or qid in FROM_ITEMS, qid
    assert set(FROM_ITEMS) == set(RETIRED_IDS)


def test_derived_values_are_never_stored_and_older_answers_pass_through():
    answers = full_answers(skin_history=["keloid"])
    derived = derived_answers(answers, V3)
    assert derived["keloid_history"] == "yes" and "keloid_history" not in answers
    v2 = {"keloid_history": "yes"}
    assert derived_answers(v2, V2) is v2


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (dict(skin_history=["keloid"]), "yes"),
        (dict(skin_history=["not_sure"], skin_history_unsure=["keloid"]), "unsure"),
        (dict(skin_history=["keloid", "not_sure"], skin_history_unsure=["keloid"]), "yes"),
        (dict(skin_history=["not_sure"], skin_history_unsure=["shingles"]), "no"),
        (dict(skin_history=["none"]), "no"),
    ],
)
def test_a_gateway_item_reads_ticked_yes_unsure_list_unsure_otherwise_no(answers, expected):
    assert derived_answers(full_answers(**answers), V3)["keloid_history"] == expected


def test_an_unanswered_gateway_derives_nothing_because_missing_is_never_no():
    answers = full_answers()
    del answers["skin_history"]
    derived = derived_answers(answers, V3)
    assert "keloid_history" not in derived and "skin_conditions" not in derived


def test_a_yes_no_item_marked_unsure_derives_no_value():
    answers = full_answers(
        current_skin_problems_area=["not_sure"], current_skin_problems_area_unsure=["cold_sore"]
    )
    assert "cold_sore_now" not in derived_answers(answers, V3)
    codes = {flag.code for flag in flags_for(answers, TODAY)}
    assert "HSV_ACTIVE" not in codes and "UNSURE_SAFETY_ANSWERS" in codes


@pytest.mark.parametrize(
    ("answers", "question_id", "expected"),
    [
        (dict(medicines_any=["none"]), "blood_thinners", ["none"]),
        (
            dict(medicines_any=["not_sure"], medicines_any_unsure=["blood_thinner"]),
            "blood_thinners",
            ["unsure"],
        ),
        (
            dict(medicines_any=["not_sure"], medicines_any_unsure=["sun_sensitising"]),
            "photosensitising_meds",
            ["other_unsure"],
        ),
        (dict(health_conditions=["none"]), "diabetes", "no"),
        (dict(skin_history=["light_patches"]), "skin_conditions", ["light_patches"]),
        (
            dict(skin_history=["skin_condition", "light_patches"], skin_conditions=["rosacea"]),
            "skin_conditions",
            ["rosacea", "light_patches"],
        ),
    ],
)
def test_a_follow_up_not_asked_reads_as_the_table_says(answers, question_id, expected):
    assert derived_answers(full_answers(**answers), V3)[question_id] == expected


def test_unsure_about_diabetes_derives_no_value_and_the_roll_up_asks():
    answers = full_answers(health_conditions=["not_sure"], health_conditions_unsure=["diabetes"])
    assert "diabetes" not in derived_answers(answers, V3)
    flag = next(f for f in flags_for(answers, TODAY) if f.code == "UNSURE_SAFETY_ANSWERS")
    assert flag.questions == {"health_conditions_unsure": "Diabetes or prediabetes"}


def test_quotes_name_the_v3_question_and_the_ticked_item_never_a_derived_id():
    answers = full_answers(
        skin_history=["keloid", "light_patches"], medicines_any=["none"], allergies_list=["none"]
    )
    definition = definition_for(V3)
    shown_ = quotes(["keloid_history", "skin_conditions", "blood_thinners"], answers, definition)
    assert shown_ == {
        "skin_history": "A keloid, or a scar that grew thick and raised past the wound; "
        "Light or white patches after a skin treatment",
        "medicines_any": "None of these",
    }


def test_every_v3_flag_quotes_only_questions_the_patient_was_asked():
    rng = random.Random("quotes")
    definition = definition_for(V3)
    for _ in range(200):
        v2 = validate_answers(random_v2_answers(rng), today=TODAY, version=V2)
        answers = validate_answers(to_v3(v2.answers), today=TODAY, version=V3).answers
        for flag in flags_for(answers, TODAY, questionnaire_version=V3):
            for qid in flag.questions:
                assert qid in definition.questions and qid not in RETIRED_IDS, (flag.code, qid)
