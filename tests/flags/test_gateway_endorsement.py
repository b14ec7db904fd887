"""`manage.py gateway_endorsement`: each gateway item's endorsement over the first N 2027.01
submissions against its v2 yes/no rate over the last N 2026.12 ones; items that fell by more
than a third are named."""

import io

import pytest
from django.core.management import call_command

from screening.flags.endorsement import Item, Row, endorsement_rows
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("gateway_endorsement", *args, stdout=out)
    return out.getvalue()


def test_an_item_that_fell_by_more_than_a_third_is_named_and_one_that_held_is_not():
    # v2: 3 of 6 keloids and 3 of 6 slow healers (50% each).
    for index in range(6):
        factories.submission(
            keloid_history="yes" if index < 3 else "no",
            slow_healing="yes" if index < 3 else "no",
        )
    # 2027.01: 1 of 6 ticks "keloid" (17%: fell by two thirds), 3 of 6 "slow healing" (held);
    # a keloid listed as "not sure" is not an endorsement.
    for index in range(6):
        ticked = ["slow_healing"] if index < 3 else []
        answers = {}
        if index == 0:
            ticked.append("keloid")
        if index == 5:
            ticked.append("not_sure")
            answers["skin_history_unsure"] = ["keloid"]
        factories.submission(skin_history=ticked or ["none"], **answers)
    text = run("--first", "6")
    assert "first 6 submissions of 2027.01 on against the last 6 of 2026.12" in text
    keloid = next(line for line in text.splitlines() if line.strip().startswith("keloid_history"))
    assert "50.0%" in keloid and "16.7%" in keloid and "FELL BY MORE THAN A THIRD" in keloid
    slow = next(line for line in text.splitlines() if line.strip().startswith("slow_healing"))
    assert "FELL" not in slow
    assert text.splitlines()[-1].startswith("Fell by more than 33%")
    assert "keloid_history" in text.splitlines()[-1]
    assert "slow_healing" not in text.splitlines()[-1]


def test_the_first_n_v3_and_the_last_n_v2_are_read():
    factories.submission(keloid_history="yes")  # the oldest v2: outside the last 1
    factories.submission(keloid_history="no")
    factories.submission(skin_history=["keloid"])  # the first v3: inside the first 1
    factories.submission(skin_history=["none"])
    line = next(
        line
        for line in run("--first", "1").splitlines()
        if line.strip().startswith("keloid_history")
    )
    assert "0.0%" in line and "100.0%" in line and "FELL" not in line


def test_the_threshold_is_a_third_exactly():
    item = Item("x", "skin_history", ("keloid",), None)
    assert Row(item, 0.30, 0.199).fell_by_more_than_a_third
    assert not Row(item, 0.30, 0.20).fell_by_more_than_a_third
    assert not Row(item, None, 0.0).fell_by_more_than_a_third


def test_with_no_submissions_it_says_so_and_names_nothing():
    text = run()
    assert "Fewer submissions than asked for" in text
    assert "No item fell by more than a third." in text
    assert endorsement_rows([], [])[0].v3_rate == 0.0
