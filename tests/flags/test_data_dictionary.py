"""The data dictionary (docs/data-dictionary/, screening/flags/dictionary.py): committed as the
code makes it, complete, read from the code, and written and checked by its command."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from screening.flags import CATALOGUE
from screening.flags.dictionary import (
    FLAGS_CSV,
    FLAGS_MD,
    INDEX,
    RULES,
    _md,
    dictionary_files,
    flag_entries,
    question_entries,
    questionnaire_csv,
    questionnaire_md,
    shown_when,
)
from screening.flags.provider_checks import PROVIDER_RULES
from screening.management.commands import data_dictionary as command
from screening.questionnaire import definition_for
from screening.questionnaire.versions import ORDER
from screening.workspace.sources import SOURCES

V1, V2 = ORDER[:2]


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return dictionary_files(SOURCES)


def _entry(version: str, question_id: str):
    (entry,) = [e for e in question_entries(version) if e.question_id == question_id]
    return entry


def test_the_committed_dictionary_is_what_the_code_generates(files):
    stale, extra = command.differences(command.DEFAULT_DIRECTORY, files)
    assert not stale and not extra, (
        f"docs/data-dictionary/ is stale ({stale}) or has files the code does not make "
        f"({extra}): run `.venv/bin/python manage.py data_dictionary` and commit the result."
    )


def test_a_file_for_each_version_and_for_the_flags(files):
    expected = {INDEX, FLAGS_MD, FLAGS_CSV}
    expected |= {
        name(version) for version in ORDER for name in (questionnaire_md, questionnaire_csv)
    }
    assert set(files) == expected
    for version in ORDER:
        assert f"({questionnaire_md(version)})" in files[INDEX]


@pytest.mark.parametrize("version", ORDER)
def test_every_question_of_every_version_is_listed_in_order(version, files):
    asked = [q.id for part in definition_for(version).sections for q in part.questions]
    assert [entry.question_id for entry in question_entries(version)] == asked
    rows = list(csv.DictReader(io.StringIO(files[questionnaire_csv(version)])))
    assert [row["question_id"] for row in rows] == asked
    assert {row["version"] for row in rows} == {version}
    markdown = files[questionnaire_md(version)]
    for question_id in asked:
        assert f"| `{question_id}` |" in markdown


def test_every_flag_code_is_listed(files):
    codes = [rule.code for rule in CATALOGUE] + list(PROVIDER_RULES)
    assert sorted(entry.code for entry in flag_entries(SOURCES)) == sorted(codes)
    rows = list(csv.DictReader(io.StringIO(files[FLAGS_CSV])))
    assert sorted(row["code"] for row in rows) == sorted(codes)
    for code in codes:
        assert f"| `{code}` |" in files[FLAGS_MD]


@pytest.mark.parametrize("version", ORDER)
def test_an_isotretinoin_question_lists_the_flags_that_read_it(version):
    entry = _entry(version, "isotretinoin_current")
    assert "ISO_CURRENT" in entry.flags
    assert "ACITRETIN_RECENT" in entry.flags
    assert "UNSURE_SAFETY_ANSWERS" in entry.flags
    assert "HSV_ACTIVE" not in entry.flags
    assert "ISO_WITHIN_6M" in _entry(version, "isotretinoin_last_dose").flags
    assert "MINOR" in _entry(version, "date_of_birth").flags
    assert _entry(version, "first_name").flags == ()


def test_the_flags_of_a_question_are_those_that_read_it_on_that_version():
    # RECENT_RESURFACING reads the non-ablative laser date on v1's answers only.
    assert "RECENT_RESURFACING" in _entry(V1, "prior_nonablative_laser_last").flags
    assert "RECENT_RESURFACING" not in _entry(V2, "prior_nonablative_laser_last").flags
    assert "RECENT_LIGHT_TREATMENT" in _entry(V2, "prior_nonablative_laser_last").flags
    # The provider's own assessment is compared with the self-reported skin type.
    assert "SKIN_TYPE_DIFFERS" in _entry(V2, "skin_type_self").flags


@pytest.mark.parametrize("version", ORDER)
def test_every_question_a_rule_reads_lists_the_rule(version):
    entries = {entry.question_id: entry for entry in question_entries(version)}
    for rule in RULES:
        for question_id in rule.reads(version):
            if question_id in entries:
                assert rule.code in entries[question_id].flags, (rule.code, question_id)


def test_spanish_labels_are_spanish():
    entry = _entry(V2, "isotretinoin_current")
    assert entry.label_en.startswith("Are you")
    assert entry.label_es.startswith("¿Está")
    assert {(c.key, c.label_en, c.label_es) for c in entry.choices} >= {("yes", "Yes", "Sí")}
    assert entry.section_title_es != entry.section_title_en


def test_when_a_question_is_shown_in_plain_words():
    questions = definition_for(V2).questions
    assert shown_when(questions["first_name"]) == ""
    assert _entry(V2, "isotretinoin_last_dose").shown_when.startswith("shown when ")
    assert (
        shown_when(questions["prior_filler_last"]) == "shown when prior_procedures includes filler"
    )
    parent = questions["oral_retinoid_type"].show_if
    assert _entry(V2, "oral_retinoid_type").shown_when == (
        f"shown when {parent.question_id} is {' or '.join(parent.values)}"
    )


def test_a_rule_is_in_plain_words_with_the_default_windows_whatever_the_clinic_sets(files):
    entries = {entry.code: entry for entry in flag_entries(SOURCES)}
    iso = entries["ISO_WITHIN_6M"]
    assert iso.rule == "Last isotretinoin dose 6 months ago or less."
    assert iso.windows == (("isotretinoin_priority_months", 6),)
    assert iso.sources[0] == ("S1", SOURCES["S1"].title)
    assert entries["HSV_PROPHYLAXIS_POLICY"].modalities == ("ablative", "fractional_ablative")
    assert entries["ISO_CURRENT"].modalities == ()
    with override_settings(SCREENING_FLAG_POLICY={"isotretinoin_priority_months": 3}):
        assert dictionary_files(SOURCES) == files


def test_markdown_cells_escape_pipes_and_brackets():
    assert _md("a | b") == r"a \| b"
    assert _md("[x] <y>") == r"\[x\] \<y\>"
    assert _md("one\ntwo") == "one<br>two"


def test_every_markdown_table_row_has_as_many_cells_as_its_header(files):
    for name, text in files.items():
        if not name.endswith(".md"):
            continue
        width = None
        for line in text.splitlines():
            if not line.startswith("|"):
                width = None
                continue
            cells = len(re.findall(r"(?<!\\)\|", line)) - 1
            if width is None:
                width = cells
            assert cells == width, (name, line[:120])


# --- The command ---------------------------------------------------------------------------


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("data_dictionary", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_writes_the_files_and_check_then_passes(tmp_path: Path, files):
    target = tmp_path / "dictionary"
    code, out, _err = _run("--directory", str(target))
    assert code == 0
    assert out.count("wrote ") == len(files)
    assert sorted(path.name for path in target.iterdir()) == sorted(files)
    assert (target / FLAGS_MD).read_text(encoding="utf-8") == files[FLAGS_MD]
    assert _run("--check", "--directory", str(target))[0] == 0


def test_check_names_a_stale_file_and_a_file_the_code_does_not_make(tmp_path: Path):
    _run("--directory", str(tmp_path))
    stale = tmp_path / questionnaire_csv(V2)
    stale.write_text(stale.read_text(encoding="utf-8") + "x\n", encoding="utf-8")
    (tmp_path / "questionnaire-2020.1.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kept\n", encoding="utf-8")
    code, _out, err = _run("--check", "--directory", str(tmp_path))
    assert code == 1
    assert f"stale: {stale}" in err
    assert "not generated by the code: " in err and "questionnaire-2020.1.md" in err
    assert "notes.txt" not in err
    # Writing puts it right: the stale file rewritten, the old version's file removed.
    assert _run("--directory", str(tmp_path))[0] == 0
    assert not (tmp_path / "questionnaire-2020.1.md").exists()
    assert (tmp_path / "notes.txt").exists()
    assert _run("--check", "--directory", str(tmp_path))[0] == 0


def test_check_fails_when_nothing_was_generated(tmp_path: Path):
    code, _out, err = _run("--check", "--directory", str(tmp_path / "missing"))
    assert code == 1
    assert err.count("stale: ") == len(dictionary_files(SOURCES))


def test_the_command_refuses_an_uncompiled_catalogue(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(command, "stale_catalogues", lambda locale: [Path(locale) / "x.mo"])
    with pytest.raises(CommandError, match="compile_translations"):
        call_command("data_dictionary", "--directory", str(tmp_path))
    assert not any(tmp_path.iterdir())
