"""`manage.py evaluate_flags ANSWERS.json [--today]`: the catalogue for tools outside the form."""

import json

import pytest
from django.core.management import call_command

from tests.factories import full_answers, many_followups_answers


def run(tmp_path, capsys, answers, *args):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers) if not isinstance(answers, str) else answers)
    status = 0
    try:
        call_command("evaluate_flags", str(path), *args)
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_prints_the_flags_as_json_most_severe_first(tmp_path, capsys):
    answers = many_followups_answers(current_skin_problems_area=["cold_sore"])
    status, out, err = run(tmp_path, capsys, answers, "--today", "2026-11-24")
    assert status == 0
    assert err == ""
    flags = json.loads(out)
    codes = [flag["code"] for flag in flags]
    assert "HSV_ACTIVE" in codes
    assert "ISO_WITHIN_6M" in codes  # last dose 2026-08, three months before --today
    ranks = {"priority": 2, "discuss": 1, "info": 0}
    assert [ranks[f["severity"]] for f in flags] == sorted(
        (ranks[f["severity"]] for f in flags), reverse=True
    )
    hsv = next(flag for flag in flags if flag["code"] == "HSV_ACTIVE")
    assert set(hsv) >= {"code", "severity", "reason", "questions"}
    assert hsv["questions"] == {
        "current_skin_problems_area": "A cold sore on your lips or face, or the tingling before one"
    }


def test_today_changes_what_the_windows_see(tmp_path, capsys):
    answers = many_followups_answers(upcoming_event="no")  # last isotretinoin dose 2026-08
    status, out, _ = run(tmp_path, capsys, answers, "--today", "2027-04-24")
    assert status == 0
    codes = {flag["code"] for flag in json.loads(out)}
    assert "ISO_WITHIN_6M" not in codes
    assert "ISO_6_TO_12M" in codes


def test_hidden_answers_are_dropped_before_the_rules_run(tmp_path, capsys):
    answers = full_answers(isotretinoin_ever="no", isotretinoin_current="yes")
    status, out, _ = run(tmp_path, capsys, answers, "--today", "2026-11-24")
    assert status == 0
    assert "ISO_CURRENT" not in {flag["code"] for flag in json.loads(out)}


@pytest.mark.parametrize(
    ("answers", "question_ids"),
    [
        (full_answers(email="nope", skin_concerns=["freckles"]), {"email", "skin_concerns"}),
        (full_answers(date_of_birth="2030-01-01"), {"date_of_birth"}),
        ({"first_name": "Ana"}, {"last_name", "email"}),
    ],
)
def test_invalid_answers_exit_2_with_one_line_per_problem_and_nothing_on_stdout(
    tmp_path, capsys, answers, question_ids
):
    status, out, err = run(tmp_path, capsys, answers, "--today", "2026-11-24")
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    named = {line.split(":", 1)[0] for line in lines}
    assert question_ids <= named
    assert len(lines) == len(named)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '"answers"'])
def test_not_an_answers_object_exits_2(tmp_path, capsys, text):
    status, out, err = run(tmp_path, capsys, text)
    assert status == 2
    assert out == ""
    assert err.startswith("__all__")


def v1_answers(**changes):
    from screening.demo import no_risk_answers_v1

    return no_risk_answers_v1(**changes)


def test_a_v1_answers_file_is_read_as_v1_when_it_says_so(tmp_path, capsys):
    answers = v1_answers(
        prior_procedures=["nonablative_laser"], prior_nonablative_laser_last="2026-08"
    )
    status, out, err = run(
        tmp_path, capsys, answers, "--today", "2026-11-24", "--questionnaire-version", "2026.11.1"
    )
    assert (status, err) == (0, "")
    flags = {flag["code"]: flag for flag in json.loads(out)}
    assert (
        "v1 form: this choice also covered fractional lasers."
        in flags["RECENT_RESURFACING"]["reason"]
    )
    assert "UNSURE_SAFETY_ANSWERS" not in flags  # v2's new questions were not asked


def test_a_v1_answers_file_read_as_the_current_version_misses_the_new_questions(tmp_path, capsys):
    status, out, err = run(tmp_path, capsys, v1_answers(), "--today", "2026-11-24")
    assert status == 2 and out == ""
    assert "recent_skin_prep:" in err and "health_conditions:" in err


def test_an_unknown_questionnaire_version_is_refused(tmp_path, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice"):
        run(tmp_path, capsys, v1_answers(), "--questionnaire-version", "1999.1")
