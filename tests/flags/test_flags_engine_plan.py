"""The engine's shortcuts give the answers of the plain definitions, on many varied answer sets.

The engine (screening/flags/engine.py) looks most rules up by answer instead of calling them,
caches displayed choice labels per language, and formats dates through a compiled template
(screening/questionnaire/date_display.py). These tests compare it with the plain reading: every rule's
condition called in order, every quoted answer rendered by `answer_types.display_answer`, every
date by Django's `date_format`. The answer sets are random but seeded (deterministic), and
include malformed values (a list for a one-choice question, unhashable items, numbers).
"""

import random
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.formats import date_format

from screening.flags import DEFAULT_POLICY, NO_ANSWER, flags_for, modality_flags_for
from screening.flags.catalogue import _MODALITY_RULES, _SUBMISSION_RULES
from screening.flags.conditions import Context
from screening.flags.derivation import reads_gateways
from screening.flags.engine import _plan_for
from screening.questionnaire import Kind, definition_for
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.date_display import compile_date_format, display_date
from screening.questionnaire.versions import ORDER

TODAY = date(2026, 11, 24)
TEXTS = ("", "none", "None.", "Warfarin 5 mg", "n/a", "  ")
MALFORMED = ([["nested"]], 7, ["unsure", {"a": 1}], ("yes",), {"key": "value"})


def random_answer(question, rng: random.Random):
    """A plausible answer to `question`, now and then a malformed one."""
    if rng.random() < 0.05:
        return rng.choice(MALFORMED)
    keys = [choice.key for choice in question.choices]
    if question.kind is Kind.MULTI:
        return rng.sample(keys, rng.randint(0, min(3, len(keys))))
    if keys:
        return rng.choice(keys)
    if question.kind is Kind.MONTH_YEAR:
        if rng.random() < 0.15:
            return "unknown"
        month = TODAY.replace(day=15) + timedelta(days=rng.randint(-1500, 400))
        return f"{month.year:04d}-{month.month:02d}"
    if question.kind is Kind.DATE:
        return (TODAY - timedelta(days=rng.randint(0, 365 * 80))).isoformat()
    return rng.choice(TEXTS)


def random_answers(version: str, rng: random.Random) -> dict:
    questions = definition_for(version).questions.values()
    return {q.id: random_answer(q, rng) for q in questions if rng.random() < 0.8}


def called_in_order(rules, answers: dict, version: str) -> list[tuple[str, tuple]]:
    """(code, hit) of every rule whose condition holds, calling each one: the plain reading."""
    ctx = Context(answers, TODAY, DEFAULT_POLICY, definition_for(version))
    hits = [(rule.code, rule.condition(ctx)) for rule in rules]
    return [(code, hit) for code, hit in hits if hit is not None]


def planned(rules, answers: dict, version: str) -> list[tuple[str, tuple]]:
    ctx = Context(answers, TODAY, DEFAULT_POLICY, definition_for(version))
    return [(rules[position].code, hit) for position, hit in _plan_for(rules).hits(ctx)]


@pytest.mark.parametrize("version", ORDER)
def test_the_plan_raises_what_calling_every_rule_raises(version):
    rng = random.Random(f"plan-{version}")
    raised_somewhere = set()
    for _ in range(400):
        answers = random_answers(version, rng)
        expected = called_in_order(_SUBMISSION_RULES, answers, version)
        assert planned(_SUBMISSION_RULES, answers, version) == expected, answers
        raised_somewhere.update(code for code, _hit in expected)
    # The answer sets are varied enough to exercise most of the catalogue.
    assert len(raised_somewhere) > len(_SUBMISSION_RULES) * 0.7


def test_the_plan_of_the_modality_rules_raises_what_calling_them_raises():
    rng = random.Random("modality")
    for _ in range(200):
        answers = random_answers(ORDER[-1], rng)
        expected = called_in_order(_MODALITY_RULES, answers, ORDER[-1])
        assert planned(_MODALITY_RULES, answers, ORDER[-1]) == expected


@pytest.mark.parametrize("version", ORDER)
def test_quoted_answers_are_the_answers_as_displayed(version):
    rng = random.Random(f"display-{version}")
    questions = definition_for(version).questions
    for _ in range(150):
        answers = random_answers(version, rng)
        for flag in flags_for(answers, TODAY, questionnaire_version=version):
            for question_id, shown in flag.questions.items():
                value = answers.get(question_id)
                if value is None or value == "" or value == []:
                    assert shown == NO_ANSWER
                elif reads_gateways(version) and isinstance(value, list):
                    # A gateway quotes the items the rule read: some of those the patient ticked.
                    labels = {
                        str(label)
                        for label in display_answer(questions[question_id], value).split("; ")
                    }
                    assert set(shown.split("; ")) <= labels, (question_id, shown)
                else:
                    assert shown == display_answer(questions[question_id], value)


def test_a_modality_flag_is_raised_through_its_plan():
    answers = {"cold_sores_history": "never", "cold_sore_now": "no"}
    assert [f.code for f in modality_flags_for(answers, "ablative", TODAY)] == [
        "HSV_PROPHYLAXIS_POLICY"
    ]
    assert modality_flags_for(answers, "non_ablative", TODAY) == []


DAYS = [date(2009, 3, 27), date(1988, 7, 2), date(2000, 1, 1), date(1999, 12, 31), date(5, 9, 9)]


@pytest.mark.parametrize("language", ["en", "es", "de", "pl", "ru", "ja", "fr"])
def test_a_date_is_displayed_as_date_format_displays_it(language):
    with translation.override(language):
        for day in [*DAYS, *(date(2024, month, 1 + month) for month in range(1, 13))]:
            assert display_date(day) == date_format(day, "DATE_FORMAT")


def test_the_date_format_follows_the_active_language():
    with translation.override("en"):
        assert display_date(date(2009, 3, 27)) == "March 27, 2009"
    with translation.override("es"):
        assert display_date(date(2009, 3, 27)) == "27 de marzo de 2009"


def test_a_format_with_a_weekday_is_left_to_date_format(monkeypatch):
    assert compile_date_format(r"l jS F") is None
    monkeypatch.setattr(
        "screening.questionnaire.date_display._templates", {}
    )  # nothing compiled yet
    monkeypatch.setattr(
        "screening.questionnaire.date_display.get_format", lambda *args: r"l \t\h\e jS \o\f F"
    )
    assert display_date(date(2009, 3, 27)) == "Friday the 27th of March"


def test_a_format_is_compiled_with_its_literal_text():
    templates = compile_date_format(r"Y-m-d {j} \Y")
    assert templates[2].format(d="07", j=7, Y="2009", y="09") == "2009-03-07 {7} Y"
    # Switching the language switches the month names of the compiled format.
    with translation.override("es"):
        assert compile_date_format("F")[2] == "marzo"
    with translation.override("en"):
        assert compile_date_format("F")[2] == "March"


def test_a_changed_setting_is_seen_at_once():
    # Afrikaans has no format module of its own: DATE_FORMAT applies.
    with translation.override("af"):
        first = display_date(date(2009, 3, 7))
        assert first == date_format(date(2009, 3, 7), "DATE_FORMAT")
        with override_settings(DATE_FORMAT="Y-m-d {j}"):
            assert display_date(date(2009, 3, 7)) == "2009-03-07 {7}"
        assert display_date(date(2009, 3, 7)) == first


def test_window_boundaries_follow_the_date_and_the_policy_of_each_evaluation():
    # The boundaries are cached per (policy, submission date) across evaluations: the same
    # answer, evaluated on alternate days and under alternate policies, must read its own.
    from screening.flags import Policy

    answers = {"prior_procedures": ["filler"], "prior_filler_last": "2026-10"}
    longer = Policy(filler_toxin_weeks=12)
    for _ in range(2):
        for today, policy, raised in (
            (date(2026, 10, 20), DEFAULT_POLICY, True),
            (date(2027, 6, 1), DEFAULT_POLICY, False),
            (date(2026, 10, 20), longer, True),
            (date(2027, 1, 10), longer, True),
            (date(2027, 1, 10), DEFAULT_POLICY, False),
        ):
            codes = {flag.code for flag in flags_for(answers, today, policy)}
            assert ("RECENT_FILLER_TOXIN" in codes) is raised, (today, policy)
