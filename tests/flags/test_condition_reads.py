"""What a condition says it reads (`reads`, `windows`) is what it reads.

The data dictionary lists, for each question, the flag rules that read it, and for each rule the
⚙ windows it measures; both come from the conditions themselves (screening/flags/conditions.py).
These tests hold the declarations to the behaviour: a rule given only the answers it says it
reads raises exactly what it raises given them all, and every answer a flag quotes is one of them.
"""

import random

import pytest

from screening.flags import CATALOGUE, DEFAULT_POLICY
from screening.flags.conditions import (
    Context,
    Read,
    answer_is,
    any_of,
    date_unknown,
    date_window,
    question_ids_read,
    under_version,
    windows_used,
    with_note,
)
from screening.flags.derivation import ITEM_OF
from screening.flags.policy import policy_fields_in
from screening.flags.provider_checks import PROVIDER_RULES
from screening.questionnaire import definition_for
from screening.questionnaire.versions import ORDER
from tests.flags.test_flags_engine_plan import TODAY, random_answers

RULES = (*CATALOGUE, *PROVIDER_RULES.values())
V1, V2 = ORDER[:2]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_says_which_questions_it_reads(rule):
    assert rule.reads()
    asked = {qid for version in ORDER for qid in definition_for(version).questions}
    assert set(rule.reads()) <= asked, "a rule reads a question no version asks"


@pytest.mark.parametrize("version", ORDER)
def test_a_rule_given_only_what_it_reads_raises_what_it_raises_given_everything(version):
    rng = random.Random(f"reads-{version}")
    definition = definition_for(version)
    for _ in range(300):
        answers = random_answers(version, rng)
        whole = Context(answers, TODAY, DEFAULT_POLICY, definition)
        for rule in RULES:
            read = set(rule.reads(version))
            only_read = {qid: value for qid, value in answers.items() if qid in read}
            part = Context(only_read, TODAY, DEFAULT_POLICY, definition)
            hit = rule.condition(whole)
            assert rule.condition(part) == hit, (rule.code, answers)
            if hit is not None:
                # An input naming one item ("last_session_problems=scar") reads its question.
                assert {qid.split(ITEM_OF)[0] for qid in hit[0]} <= read, (rule.code, hit)


def test_a_question_is_read_on_the_versions_a_part_is_tied_to():
    # RECENT_RESURFACING reads the non-ablative laser date only on v1, whose choice covered
    # fractional lasers too; RECENT_LIGHT_TREATMENT reads it on every version.
    rules = {rule.code: rule for rule in CATALOGUE}
    assert "prior_nonablative_laser_last" in rules["RECENT_RESURFACING"].reads(V1)
    assert "prior_nonablative_laser_last" not in rules["RECENT_RESURFACING"].reads(V2)
    assert "prior_nonablative_laser_last" in rules["RECENT_RESURFACING"].reads()
    assert "prior_nonablative_laser_last" in rules["RECENT_LIGHT_TREATMENT"].reads(V2)


def test_combinations_carry_the_reads_and_windows_of_their_parts():
    condition = any_of(
        answer_is("upcoming_event", "yes"),
        with_note(date_unknown("upcoming_event_date"), "{policy.event_horizon_months} months"),
        date_window("isotretinoin_last_dose", within="acitretin_years", beyond="adult_age_years"),
    )
    assert question_ids_read(condition) == (
        "upcoming_event",
        "upcoming_event_date",
        "isotretinoin_last_dose",
    )
    assert windows_used(condition) == ("event_horizon_months", "acitretin_years", "adult_age_years")
    tied = under_version(V1, condition)
    assert tied.reads[0] == Read("upcoming_event", V1)
    assert question_ids_read(tied, V2) == ()
    assert question_ids_read(under_version(V2, tied)) == ()  # tied to two versions: never


def test_a_date_asked_only_after_another_answer_reads_that_answer_too():
    condition = date_unknown("isotretinoin_last_dose", if_asked=True)
    parents = {definition_for(v).questions["isotretinoin_last_dose"].show_if for v in ORDER}
    assert {parent.question_id for parent in parents} <= set(question_ids_read(condition))


def test_a_function_built_elsewhere_is_refused():
    with pytest.raises(TypeError, match="does not say what it reads"):
        question_ids_read(lambda ctx: None)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_windows_a_rule_measures_are_those_its_description_names(rule):
    assert set(rule.windows) == set(policy_fields_in(rule.rule))


def test_policy_fields_in_a_text():
    text = "{policy.acitretin_years} years, or {policy.adult_age_years}; {policy.acitretin_years}"
    assert policy_fields_in(text) == ("acitretin_years", "adult_age_years")
    assert policy_fields_in("no window") == ()
    with pytest.raises(ValueError, match="names no Policy field"):
        policy_fields_in("{policy.no_such_window}")
    with pytest.raises(ValueError, match="names no Policy field"):
        policy_fields_in("{acitretin_years}")
