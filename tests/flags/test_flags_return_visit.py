"""Rules 2027.02.1 on a return visit: the course flags, the changed rules, a series session's
modality flags at submission, a lifetime yes kept, and "New since …" (return-visit contract §3,
§4 rules 3 and 5). Every boundary of every new or changed rule."""

import random
from dataclasses import replace
from datetime import date

import pytest

from screening.demo import no_risk_answers, no_risk_rescreen_answers
from screening.flags import DEFAULT_POLICY, Severity, flags_for, modality_flags_for
from screening.flags.catalogue import CATALOGUE, COURSE_FLAG_CODES, RULES_BY_CODE
from screening.flags.conditions import Context
from screening.flags.derivation import derived_answers, rules_view
from screening.flags.return_visit import lifetime_answers
from screening.questionnaire import definition_for
from screening.questionnaire.validation import validate_answers
from screening.questionnaire.visit import NEW_CONSULTATION, SERIES_SESSION, Visit
from tests.flags.test_flags_engine_plan import random_answers

TODAY = date(2027, 4, 14)
FORM_DATE = date(2027, 1, 20)
TREATED = date(2027, 3, 3)
V3, V4 = "2027.01", "2027.02"
NEW_CODES = (
    "POST_TREATMENT_SCARRING",
    "POST_TREATMENT_HYPOPIGMENTATION",
    "POST_TREATMENT_INFECTION",
    "POST_TREATMENT_HSV",
    "POST_TREATMENT_DELAYED_HEALING",
    "POST_TREATMENT_PIH",
    "PROLONGED_ERYTHEMA",
    "POST_TREATMENT_CONTACT_REACTION",
    "POST_TREATMENT_ACNE_MILIA",
    "RESULT_SEEN_AS_WORSE",
)
# item -> (code, severity, raised when only listed as "not sure")
COURSE = {
    "scar": ("POST_TREATMENT_SCARRING", Severity.PRIORITY, True),
    "light_patches": ("POST_TREATMENT_HYPOPIGMENTATION", Severity.PRIORITY, True),
    "infection": ("POST_TREATMENT_INFECTION", Severity.PRIORITY, True),
    "cold_sore": ("POST_TREATMENT_HSV", Severity.PRIORITY, True),
    "slow_healing": ("POST_TREATMENT_DELAYED_HEALING", Severity.DISCUSS, False),
    "dark_patches": ("POST_TREATMENT_PIH", Severity.DISCUSS, False),
    "long_redness": ("PROLONGED_ERYTHEMA", Severity.DISCUSS, False),
    "rash_itch": ("POST_TREATMENT_CONTACT_REACTION", Severity.DISCUSS, False),
    "bumps_acne": ("POST_TREATMENT_ACNE_MILIA", Severity.INFO, False),
}
LASTING = ("scar", "light_patches", "dark_patches", "long_redness")


def visit(previous=None, **changes) -> Visit:
    return replace(
        Visit(
            visit_type=SERIES_SESSION,
            previous_reference="ABC-DEF-GHJ",
            previous_version=V3,
            form_date=FORM_DATE,
            previous_answers=no_risk_answers() if previous is None else previous,
            treatment_date=TREATED,
        ),
        **changes,
    )


def valid(answers: dict, on: Visit | None) -> dict:
    """The answers as validation keeps them for this visit (they must be a real answer set)."""
    result = validate_answers(answers, today=TODAY, version=V4, visit=on)
    assert result.is_valid, result.errors
    return result.answers


def course(*items, unsure=(), still_now="no", seen="no") -> dict:
    picked = [*items, *(["not_sure"] if unsure else [])] or ["none"]
    answers = no_risk_rescreen_answers(last_session_problems=picked)
    if unsure:
        answers["last_session_problems_unsure"] = list(unsure)
    if set(items) & set(LASTING):
        answers["last_session_still_now"] = still_now
    if items:
        answers["last_session_seen_for_it"] = seen
    return answers


def raised(answers, on=None, **kwargs) -> dict:
    on = on if on is not None else visit()
    if on.visit_type == NEW_CONSULTATION and on.treatment_date is not None:
        answers = {"last_session_result_view": "happy", **answers}
    return {flag.code: flag for flag in flags_for(valid(answers, on), TODAY, visit=on, **kwargs)}


# --- A first visit is untouched ------------------------------------------------------------


def test_a_returning_patient_with_nothing_new_raises_no_flag():
    assert raised(no_risk_rescreen_answers()) == {}


def test_first_visit_answers_never_raise_a_new_flag_and_flag_as_on_2027_01():
    rng = random.Random("first-visit-2027.02")
    for _ in range(300):
        answers = random_answers(V3, rng)
        v3 = flags_for(answers, TODAY, questionnaire_version=V3)
        v4 = flags_for(answers, TODAY, questionnaire_version=V4)
        assert v4 == v3
        assert not {flag.code for flag in v4} & set(NEW_CODES)
        assert all(flag.change_note == "" for flag in v4)


def test_course_answers_without_a_visit_are_never_asked_so_never_flag_on_a_first_visit():
    answers = course("scar", "cold_sore")
    kept = validate_answers(answers, today=TODAY, version=V4).answers
    assert not {flag.code for flag in flags_for(kept, TODAY)} & set(NEW_CODES)


# --- The course flags -----------------------------------------------------------------------


@pytest.mark.parametrize("item", COURSE)
def test_each_course_item_ticked_raises_its_flag_with_its_severity(item):
    code, severity, _unsure_too = COURSE[item]
    flags = raised(course(item))
    assert flags[code].severity is severity
    others = set(NEW_CODES) - {code}
    assert not others & set(flags)
    assert flags[code].sources == RULES_BY_CODE[code].sources


@pytest.mark.parametrize("item", COURSE)
def test_an_item_only_listed_as_not_sure_raises_its_flag_only_for_the_four_priority_ones(item):
    code, _severity, unsure_too = COURSE[item]
    flags = raised(course(unsure=(item,)))
    assert (code in flags) is unsure_too
    # The others are "not known" answers of the roll-up instead.
    assert ("UNSURE_SAFETY_ANSWERS" in flags) is (not unsure_too)
    if not unsure_too:
        assert "last_session_problems_unsure" in flags["UNSURE_SAFETY_ANSWERS"].questions


def test_none_of_these_raises_no_course_flag():
    assert not set(raised(course())) & set(NEW_CODES)


def test_a_course_flag_shows_the_treatment_date_the_modality_and_the_follow_up_answers():
    on = visit(carried_modality="fractional_ablative")
    flag = raised(course("scar", still_now="yes", seen="yes_here"), on)["POST_TREATMENT_SCARRING"]
    assert "Treated here on March 3, 2027; modality: fractional ablative" in flag.reason
    assert flag.questions["last_session_still_now"] == "Yes"
    assert flag.questions["last_session_seen_for_it"] == "Yes, here"
    assert "ask for the records" not in flag.reason


def test_seen_somewhere_else_adds_ask_for_the_records():
    flag = raised(course("infection", seen="yes_elsewhere"))["POST_TREATMENT_INFECTION"]
    assert flag.reason.endswith("Seen for it somewhere else: ask for the records.")
    assert "modality: not on record" in flag.reason


def test_still_there_now_is_quoted_only_where_it_is_asked():
    flag = raised(course("infection"))["POST_TREATMENT_INFECTION"]
    assert "last_session_still_now" not in flag.questions
    assert flag.questions["last_session_seen_for_it"] == "No"


@pytest.mark.parametrize(
    ("view", "flagged"),
    [("worse", True), ("less_than_hoped", False), ("happy", False), ("too_early", False)],
)
def test_result_seen_as_worse_only_for_worse_on_a_new_consultation(view, flagged):
    on = visit(visit_type=NEW_CONSULTATION)
    flags = raised({**no_risk_rescreen_answers(), "last_session_result_view": view}, on)
    assert ("RESULT_SEEN_AS_WORSE" in flags) is flagged
    if flagged:
        assert flags["RESULT_SEEN_AS_WORSE"].severity is Severity.DISCUSS


# --- Changed rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "policy_flag"),
    [
        (course("scar"), True),
        (course("cold_sore"), False),
        (course(unsure=("cold_sore",)), False),
        (course(unsure=("scar",)), True),
    ],
)
def test_hsv_prophylaxis_policy_is_not_raised_after_a_cold_sore_since_the_last_treatment(
    answers, policy_flag
):
    on = visit()
    flags = modality_flags_for(valid(answers, on), "ablative", TODAY, visit=on)
    assert ("HSV_PROPHYLAXIS_POLICY" in {flag.code for flag in flags}) is policy_flag


def test_still_there_now_not_sure_counts_as_an_unsure_safety_answer():
    flags = raised(course("dark_patches", still_now="unsure"))
    assert "last_session_still_now" in flags["UNSURE_SAFETY_ANSWERS"].questions
    assert "UNSURE_SAFETY_ANSWERS" not in raised(course("dark_patches", still_now="no"))


def test_other_treatments_not_sure_counts_only_when_no_treatment_was_added():
    unsure = {**no_risk_rescreen_answers(), "since_last_treatments": "unsure"}
    assert "since_last_treatments" in raised(unsure)["UNSURE_SAFETY_ANSWERS"].questions
    added = {
        **unsure,
        "prior_procedures": ["neurotoxin"],
        "prior_neurotoxin_last": "2027-03",
    }
    assert "UNSURE_SAFETY_ANSWERS" not in raised(added)
    assert "UNSURE_SAFETY_ANSWERS" not in raised({**unsure, "since_last_treatments": "no"})
    assert "UNSURE_SAFETY_ANSWERS" not in raised({**unsure, "since_last_treatments": "yes"})


# --- A series session's modality flags, at submission ---------------------------------------

ON_ISOTRETINOIN = {
    "isotretinoin_ever": "yes",
    "oral_retinoid_type": ["isotretinoin"],
    "isotretinoin_current": "yes",
}


def test_isotretinoin_started_mid_series_before_a_fully_ablative_pass_is_priority_now():
    on = visit(carried_modality="ablative")
    flags = raised({**no_risk_rescreen_answers(), **ON_ISOTRETINOIN}, on)
    flag = flags["ISO_FULLY_ABLATIVE"]
    assert flag.severity is Severity.PRIORITY
    assert flag.reason.endswith(
        "Modality from the decision on the previous form (of January 20, 2027)."
    )
    # The previous form never asked whether it was current (isotretinoin: never).
    assert flag.change_note == "New since January 20, 2027 (was: not asked)"
    dated = raised(
        {**no_risk_rescreen_answers(), **ON_ISOTRETINOIN},
        visit(carried_modality="ablative", carried_decision_date=date(2027, 1, 22)),
    )
    assert dated["ISO_FULLY_ABLATIVE"].reason.endswith(
        "Modality from the decision of January 22, 2027."
    )


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"carried_modality": "ablative"}, {"ISO_FULLY_ABLATIVE", "HSV_PROPHYLAXIS_POLICY"}),
        ({"carried_modality": "fractional_ablative"}, {"HSV_PROPHYLAXIS_POLICY"}),
        ({"carried_modality": "non_ablative"}, set()),
        ({"carried_modality": ""}, set()),
        ({"carried_modality": "ablative", "visit_type": NEW_CONSULTATION}, set()),
    ],
)
def test_the_modality_flags_follow_the_carried_decision_of_a_series_session_only(changes, codes):
    flags = raised({**no_risk_rescreen_answers(), **ON_ISOTRETINOIN}, visit(**changes))
    modality_codes = {"ISO_FULLY_ABLATIVE", "HSV_PROPHYLAXIS_POLICY", "PHOTOTYPE_IV_VI_ABLATIVE"}
    assert set(flags) & modality_codes == codes


def test_the_carried_skin_type_assessment_stands_for_the_self_report():
    on = visit(carried_modality="ablative", carried_provider_skin_type="V")
    flag = raised(no_risk_rescreen_answers(), on)["PHOTOTYPE_IV_VI_ABLATIVE"]
    assert "The provider assessed skin type V." in flag.reason
    on = visit(carried_modality="ablative", carried_provider_skin_type="II")
    assert "PHOTOTYPE_IV_VI_ABLATIVE" not in raised(
        no_risk_rescreen_answers(skin_type_self="V"), on
    )


def test_the_flags_are_most_severe_first():
    flags = list(
        raised(
            course("bumps_acne", "long_redness", "scar"), visit(carried_modality="ablative")
        ).values()
    )
    ranks = [flag.severity.rank for flag in flags]
    assert ranks == sorted(ranks, reverse=True)


# --- New since the previous form --------------------------------------------------------------


def test_a_changed_answer_says_new_since_the_form_date_and_what_it_was():
    flags = raised(no_risk_rescreen_answers(pregnancy_status="pregnant"))
    assert flags["PREGNANT"].change_note == (
        "New since January 20, 2027 (was: Does not apply to me)"
    )


def test_an_unchanged_answer_says_nothing():
    previous = no_risk_answers(pregnancy_status="breastfeeding")
    flags = raised(no_risk_rescreen_answers(pregnancy_status="breastfeeding"), visit(previous))
    assert flags["BREASTFEEDING"].change_note == ""


def test_pregnant_after_a_treatment_here_adds_the_review_sentence():
    sentence = (
        "Reported after the treatment on March 3, 2027: review what was given around it "
        "(antivirals, antibiotics, local or topical anaesthetic)."
    )
    answers = no_risk_rescreen_answers(pregnancy_status="pregnant")
    assert raised(answers)["PREGNANT"].reason.endswith(sentence)
    # Not without a treatment here, nor when already pregnant on the previous form.
    no_treatment = visit(treatment_date=None)
    answers_no_course = {k: v for k, v in answers.items() if k != "last_session_problems"}
    assert sentence not in raised(answers_no_course, no_treatment)["PREGNANT"].reason
    already = visit(no_risk_answers(pregnancy_status="pregnant"))
    assert sentence not in raised(answers, already)["PREGNANT"].reason


STARTED = (
    "Started since January 20, 2027: ask what for. A new clot, heart-rhythm problem, stent, "
    "autoimmune disease or transplant may not show in the carried health answers."
)


@pytest.mark.parametrize(
    ("code", "medicine"),
    [
        ("ANTICOAGULANT_RX", {"medicines_any": ["blood_thinner"], "blood_thinners": ["doac"]}),
        (
            "IMMUNOSUPPRESSED",
            {
                "medicines_any": ["immune_medicine"],
                "immunosuppressant_meds": ["methotrexate_other_dmard"],
            },
        ),
    ],
)
def test_a_blood_thinner_or_immune_medicine_newly_started_adds_ask_what_for(code, medicine):
    answers = no_risk_rescreen_answers(since_last_medicines="yes", **medicine)
    flag = raised(answers)[code]
    assert flag.reason.endswith(STARTED)
    assert flag.change_note.startswith("New since January 20, 2027 (was:")
    taken_before = visit(no_risk_answers(**medicine))
    flag = raised(answers, taken_before)[code]
    assert STARTED not in flag.reason
    assert flag.change_note == ""


def test_immunosuppressed_by_a_condition_not_a_medicine_adds_no_started_sentence():
    answers = no_risk_rescreen_answers(health_conditions=["weak_immune"])
    assert STARTED not in raised(answers)["IMMUNOSUPPRESSED"].reason


# --- Rule 3: a lifetime yes stays yes -------------------------------------------------------

REMOVED = "Removed on April 14, 2027; was yes on January 20, 2027"


@pytest.mark.parametrize(
    ("previous", "today", "code"),
    [
        ({"skin_history": ["keloid"]}, {}, "KELOID_HYPERTROPHIC"),
        ({"allergies_list": ["antiviral"]}, {}, "ALLERGY_PERIPROCEDURE_DRUG"),
        ({"medicines_any": ["gold"]}, {}, "GOLD_THERAPY"),
        (
            {"prior_treatment_problems": "yes", "prior_treatment_problems_text": "A scar"},
            {"prior_treatment_problems": "no"},
            "PRIOR_ADVERSE_OUTCOME",
        ),
        (
            {
                "isotretinoin_ever": "yes",
                "oral_retinoid_type": ["isotretinoin"],
                "isotretinoin_current": "no",
                "isotretinoin_last_dose": "2026-12",
            },
            {},
            "ISO_WITHIN_6M",
        ),
        ({"cold_sores_history": "often"}, {"cold_sores_history": "never"}, "HSV_HISTORY"),
        (
            {"prior_procedures": ["ablative_laser"], "prior_ablative_laser_last": "2026-10"},
            {},
            "RECENT_RESURFACING",
        ),
        (
            {"sun_reactions": "yes", "photosensitivity_dx": ["porphyria"]},
            {"sun_reactions": "no"},
            "PORPHYRIA_OR_XP",
        ),
    ],
)
def test_a_lifetime_yes_removed_today_is_still_read_and_says_so(previous, today, code):
    on = visit(no_risk_answers(**previous))
    answers = no_risk_rescreen_answers(**today)
    flag = raised(answers, on)[code]
    assert flag.change_note.startswith(REMOVED)
    # Without the visit, today's answers alone raise nothing of it.
    assert code not in {f.code for f in flags_for(valid(answers, None), TODAY)}


@pytest.mark.parametrize(
    ("previous", "today", "code"),
    [
        # Current-state answers take today's value.
        ({"medicines_any": ["blood_thinner"], "blood_thinners": ["doac"]}, {}, "ANTICOAGULANT_RX"),
        ({"pregnancy_status": "pregnant"}, {}, "PREGNANT"),
        # "Not sure" then "never" is no yes removed.
        ({"cold_sores_history": "unsure"}, {"cold_sores_history": "never"}, "HSV_HISTORY"),
        ({"isotretinoin_ever": "unsure"}, {}, "ISO_DATE_UNKNOWN"),
    ],
)
def test_a_current_state_answer_or_an_earlier_not_sure_is_not_kept(previous, today, code):
    on = visit(no_risk_answers(**previous))
    assert code not in raised(no_risk_rescreen_answers(**today), on)


def test_a_v1_non_ablative_laser_is_not_kept_its_meaning_changed():
    definition = definition_for(V4)
    previous = {
        "prior_procedures": ["nonablative_laser"],
        "prior_nonablative_laser_last": "2026-12",
    }
    v1 = visit(previous, previous_version="2026.11.1")
    _read, kept = lifetime_answers(no_risk_answers(), v1, definition, definition_for("2026.11.1"))
    assert kept == {}
    v2 = visit(previous, previous_version="2026.12")
    read, kept = lifetime_answers(no_risk_answers(), v2, definition, definition_for("2026.12"))
    assert read["prior_procedures"] == ["nonablative_laser"]
    assert read["prior_nonablative_laser_last"] == "2026-12"


def test_a_kept_yes_keeps_todays_other_items_and_drops_none():
    definition = definition_for(V4)
    on = visit(no_risk_answers(skin_history=["keloid", "shingles"]))
    read, kept = lifetime_answers(
        no_risk_answers(skin_history=["radiation", "shingles"]), on, definition, definition_for(V3)
    )
    assert read["skin_history"] == ["keloid", "radiation", "shingles"]
    assert kept["skin_history"].value == ["keloid"]
    read, _kept = lifetime_answers(no_risk_answers(), on, definition, definition_for(V3))
    assert read["skin_history"] == ["keloid", "shingles"]


def test_nothing_removed_reads_todays_answers_themselves():
    answers = no_risk_rescreen_answers()
    read, kept = lifetime_answers(answers, visit(), definition_for(V4), definition_for(V3))
    assert read is answers and kept == {}


# --- Rule 5: windows run from the new submission date ---------------------------------------


def test_windows_run_from_the_new_submission_date_not_the_previous_forms():
    dose = {
        "isotretinoin_ever": "yes",
        "oral_retinoid_type": ["isotretinoin"],
        "isotretinoin_current": "no",
        "isotretinoin_last_dose": "2026-08",
    }
    on = visit(no_risk_answers(**dose))
    # On January 20 the last dose was 5 months before; on April 14, 8 months.
    first = {
        f.code for f in flags_for(no_risk_answers(**dose), FORM_DATE, questionnaire_version=V3)
    }
    assert "ISO_WITHIN_6M" in first
    flags = raised(no_risk_rescreen_answers(**dose), on)
    assert "ISO_WITHIN_6M" not in flags
    assert flags["ISO_6_TO_12M"].change_note == ""  # the answer itself did not change


# --- What a rule says it reads ----------------------------------------------------------------


def test_a_rule_given_only_what_it_reads_raises_the_same_on_a_return_visit():
    rng = random.Random("reads-return-visit")
    definition = definition_for(V4)
    view = rules_view(definition)
    for _ in range(300):
        answers = derived_answers(random_answers(V4, rng), V4)
        previous = random_answers(V3, rng)
        on = visit(
            previous,
            treatment_date=rng.choice((None, TREATED)),
            carried_modality=rng.choice(("", "ablative", "fractional_ablative")),
        )
        whole = Context(answers, TODAY, DEFAULT_POLICY, view, "", on)
        for rule in CATALOGUE:
            read = set(rule.reads(V4)) | set(rule.reads())
            only_read = {qid: value for qid, value in answers.items() if qid in read}
            part = Context(only_read, TODAY, DEFAULT_POLICY, view, "", on)
            hit = rule.condition(whole)
            assert rule.condition(part) == hit, (rule.code, answers)
            if getattr(rule.condition, "visit_reads", ()) == ():
                assert rule.condition(Context(answers, TODAY, DEFAULT_POLICY, view)) == hit


def test_the_course_rules_say_which_fields_of_the_visit_they_read():
    for code in NEW_CODES[:-1]:
        assert set(RULES_BY_CODE[code].condition.visit_reads) == {
            "treatment_date",
            "carried_modality",
        }
    assert "previous_answers" in RULES_BY_CODE["UNSURE_SAFETY_ANSWERS"].condition.visit_reads


@pytest.mark.parametrize(
    ("cleared", "kept_items"),
    [
        (frozenset(), ["keloid", "shingles"]),
        (frozenset({"skin_history=keloid"}), ["shingles"]),
        (frozenset({"skin_history"}), None),
    ],
)
def test_a_provider_amendment_clears_a_kept_yes_by_question_or_item(cleared, kept_items):
    on = visit(no_risk_answers(skin_history=["keloid", "shingles"]), lifetime_cleared=cleared)
    read, kept = lifetime_answers(no_risk_answers(), on, definition_for(V4), definition_for(V3))
    if kept_items is None:
        assert "skin_history" not in kept and read["skin_history"] == ["none"]
    else:
        assert kept["skin_history"].value == kept_items
    on = visit(
        no_risk_answers(isotretinoin_ever="yes", isotretinoin_current="yes"),
        lifetime_cleared=frozenset({"isotretinoin_ever"}),
    )
    _read, kept = lifetime_answers(no_risk_answers(), on, definition_for(V4), definition_for(V3))
    assert kept == {}


def test_each_course_flag_quotes_only_its_own_item_of_the_list_it_came_from():
    flags = raised(course("scar", "infection", "bumps_acne", unsure=("cold_sore", "dark_patches")))
    scarring = flags["POST_TREATMENT_SCARRING"].questions
    assert scarring["last_session_problems"] == "A scar, or skin that got thick, raised or hard"
    assert "last_session_problems_unsure" not in scarring
    infection = flags["POST_TREATMENT_INFECTION"].questions["last_session_problems"]
    assert infection.startswith("Signs of infection") and "scar" not in infection
    assert (
        "Tiny white bumps" in flags["POST_TREATMENT_ACNE_MILIA"].questions["last_session_problems"]
    )
    # From the "not sure" list: that list's own item only.
    hsv = flags["POST_TREATMENT_HSV"].questions
    assert (
        hsv["last_session_problems_unsure"] == "A cold sore, or a group of small blisters or sores"
    )
    assert "last_session_problems" not in hsv


def test_the_course_flags_are_the_ten_rules_that_read_only_the_course():
    assert COURSE_FLAG_CODES == (
        "POST_TREATMENT_SCARRING",
        "POST_TREATMENT_HYPOPIGMENTATION",
        "POST_TREATMENT_INFECTION",
        "POST_TREATMENT_HSV",
        "POST_TREATMENT_DELAYED_HEALING",
        "POST_TREATMENT_PIH",
        "PROLONGED_ERYTHEMA",
        "POST_TREATMENT_CONTACT_REACTION",
        "POST_TREATMENT_ACNE_MILIA",
        "RESULT_SEEN_AS_WORSE",
    )
